"""Listing extraction: structured data first, selectors as fallback, hostile pages never crash."""

from __future__ import annotations

import json

import pytest
from scrapy.http import HtmlResponse

from ipwatch.spiders.extract import extract_listing, parse_price
from ipwatch.spiders.profile import load_profile

PROFILE = load_profile("demo")


def page(body: str, *, encoding: str = "utf-8", headers: dict[str, str] | None = None,
         url: str = "http://127.0.0.1:8800/item/p0001") -> HtmlResponse:
    return HtmlResponse(url=url, body=body.encode(encoding), headers=headers or {}, encoding=None
                        if headers else encoding)


def jsonld(product: dict) -> str:
    data = json.dumps(product, ensure_ascii=False).replace("</", "<\\/")
    return f'<script type="application/ld+json">{data}</script>'


PRODUCT = {
    "@context": "https://schema.org", "@type": "Product", "name": "固阳黄芪 正宗 500g", "sku": "p0042",
    "brand": {"@type": "Brand", "name": "固阳黄芪"}, "image": ["/img/p0042/0.jpg", "/img/p0042/1.jpg"],
    "category": "保健品",
    "offers": {"@type": "Offer", "price": "128.00", "priceCurrency": "CNY",
               "seller": {"@type": "Organization", "name": "定西药材店"}},
}


def test_jsonld_fields_win_and_urls_are_absolute() -> None:
    listing = extract_listing(page(f"<html><head>{jsonld(PRODUCT)}</head><body>"
                                   '<span class="seller-location">甘肃省定西市</span></body></html>'), PROFILE)
    assert (listing.title, listing.price, listing.currency, listing.seller) == (
        "固阳黄芪 正宗 500g", 128.0, "CNY", "定西药材店")
    assert listing.listing_key == "p0042"
    assert listing.seller_location == "甘肃省定西市"
    assert listing.image_urls == ("http://127.0.0.1:8800/img/p0042/0.jpg", "http://127.0.0.1:8800/img/p0042/1.jpg")
    assert listing.brand == "固阳黄芪" and listing.category == "保健品" and listing.problems == ()


def test_selectors_are_the_fallback_without_structured_data() -> None:
    html = ('<h1 class="title">小肥羊火锅底料</h1><span class="price">¥1,299.50</span>'
            '<span class="seller">某某专营店</span><img class="product-image" src="/img/a.jpg">')
    listing = extract_listing(page(html), PROFILE)
    assert (listing.title, listing.price, listing.currency, listing.seller) == (
        "小肥羊火锅底料", 1299.5, "CNY", "某某专营店")
    assert listing.listing_key == "/item/p0001"


@pytest.mark.parametrize(("html", "problems"), [
    ('<h1 class="title">无价格商品</h1>', ("no price",)),
    ("<p>nothing here</p>", ("no title", "no price")),
    ('<script type="application/ld+json">{"@type": "Product", "name": </script><h1 class="title">x</h1>',
     ("no price",)),
])
def test_missing_fields_are_named_problems_not_errors(html: str, problems: tuple[str, ...]) -> None:
    assert extract_listing(page(html), PROFILE).problems == problems


def test_a_script_in_the_title_stays_text() -> None:
    hostile = dict(PRODUCT, name='<script>alert(1)</script>"><img src=x onerror=alert(2)>')
    listing = extract_listing(page(jsonld(hostile)), PROFILE)
    assert listing.title == hostile["name"]


def test_gbk_page_is_decoded_from_its_declared_charset() -> None:
    body = '<meta charset="gbk"><h1 class="title">正宗固陽黃芪 内蒙古包头</h1><span class="price">￥88</span>'
    response = HtmlResponse(url="http://127.0.0.1/gbk/item/p9", body=body.encode("gbk"),
                            headers={"Content-Type": "text/html; charset=gbk"})
    listing = extract_listing(response, PROFILE)
    assert listing.title == "正宗固陽黃芪 内蒙古包头" and listing.price == 88.0


def test_gbk_page_without_header_uses_its_meta_charset() -> None:
    body = '<html><head><meta charset="gbk"></head><body><h1 class="title">鹿王羊绒衫</h1></body></html>'
    response = HtmlResponse(url="http://127.0.0.1/gbk/item/p8", body=body.encode("gbk"))
    assert extract_listing(response, PROFILE).title == "鹿王羊绒衫"


def test_graph_and_list_types_are_found() -> None:
    graph = {"@context": "https://schema.org",
             "@graph": [{"@type": "WebPage"}, dict(PRODUCT, **{"@type": ["Product", "Thing"]})]}
    assert extract_listing(page(jsonld(graph)), PROFILE).title == PRODUCT["name"]


@pytest.mark.parametrize(("text", "expected"), [
    ("¥128.00", (128.0, "CNY")), ("￥1,299", (1299.0, "CNY")), ("88元", (88.0, "CNY")),
    ("$19.99", (19.99, "USD")), ("面议", (None, None)), (None, (None, None)),
])
def test_prices(text: str | None, expected: tuple) -> None:
    assert parse_price(text) == expected
