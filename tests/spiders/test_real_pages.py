"""Extraction on real saved pages: the human-annotated benchmark, extruct's samples, and the Chinese
marketplaces' own embedded data, each read through the site's shipped profile.

The full 140-page evaluation is bench/extraction.py (figures in bench/RESULTS.md); these are a few pages
of it, kept in tests/fixtures so that the tests run without ../shared."""

from __future__ import annotations

import json
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest

from ipwatch.spiders.encoding import html_response
from ipwatch.spiders.extract import extract_listing, listing_from, profile_for_url, results_on_page
from ipwatch.spiders.profile import load_profile

# Benchmark pages kept in tests/fixtures: amazon.fr, ebay.com, johnlewis.com, ikea.com, mechta.kz; and one
# page for each rule the heuristics needed: a labelled lowest price (i3fresh.tw, 最低價$99 beside the heading,
# set prices far below), a shop's one price marked "price-old" beside its price before tax (vsezaoci.si),
# other deals' cards each with an h1 (tmon.co.kr), a sale price shown where the markup has the regular one
# (elkor.lv), and a price before tax shown first (agem.sk).
BENCHMARK_PAGES = ["2eca89a9c93c", "21e72a8e6d24", "1bb3781745f7", "0666abebc0d5", "a8a8fc6a3138",
                   "09b6ff551aa9", "16962698dd77", "fb989c442669", "89d10150b9d1", "453f5cc079af"]
FIELDS = ("price", "currency", "brand")


@pytest.fixture(scope="module")
def benchmark(real_page: Callable[[str], bytes]) -> dict[str, Any]:
    truth = json.loads(real_page("product-extraction-benchmark/ground-truth.json"))
    extruct = json.loads(real_page("product-extraction-benchmark/output/extruct.json"))
    pages = {}
    for prefix in BENCHMARK_PAGES:
        page_id = next(key for key in truth if key.startswith(prefix))
        pages[prefix] = (page_id, real_page(f"product-extraction-benchmark/html/{page_id}.html.gz"))
    return {"truth": truth, "extruct": extruct, "pages": pages}


@pytest.mark.parametrize("prefix", BENCHMARK_PAGES)
def test_every_annotated_field_of_the_kept_benchmark_pages_is_right(
        prefix: str, benchmark: dict[str, Any], bench_extraction: ModuleType) -> None:
    page_id, body = benchmark["pages"][prefix]
    truth = benchmark["truth"][page_id]
    ours = bench_extraction.ours(truth["url"], body)
    verdicts = {name: bench_extraction.judge(name, ours[name], truth, truth["url"]) for name in FIELDS}
    assert all(verdict in (True, None) for verdict in verdicts.values()), (ours, truth)


def test_ahead_of_the_shipped_extruct_baseline_on_every_field(
        benchmark: dict[str, Any], bench_extraction: ModuleType) -> None:
    right = {system: dict.fromkeys(FIELDS, 0) for system in ("ipwatch", "extruct")}
    for page_id, body in benchmark["pages"].values():
        truth = benchmark["truth"][page_id]
        predictions = {"ipwatch": bench_extraction.ours(truth["url"], body),
                       "extruct": benchmark["extruct"][page_id]}
        for system, predicted in predictions.items():
            for name in FIELDS:
                right[system][name] += bench_extraction.judge(name, predicted.get(name), truth, truth["url"]) is True
    assert all(right["ipwatch"][name] > right["extruct"][name] for name in FIELDS), right


@pytest.mark.parametrize(("page", "url", "expected"), [
    ("extruct/schema.org/product.html", "http://example.com/product.html",
     {"title": "Executive Anvil", "brand": "ACME", "price": 119.99, "currency": "USD",
      "seller": "Executive Objects", "availability": "InStock"}),
    # expected values as asserted in extruct's tests/test_uniform.py for this page
    ("extruct/misc/product_microdata.html", "http://example.com/product_microdata.html",
     {"title": "Executive Anvil", "brand": "ACME", "price": 119.99, "currency": "USD",
      "seller": "Executive Objects", "availability": "InStock",
      "image_urls": ("http://example.com/anvil_executive.jpg",)}),
])
def test_extruct_sample_pages_give_their_expected_values(
        page: str, url: str, expected: dict[str, Any], real_page: Callable[[str], bytes]) -> None:
    listing = extract_listing(html_response(url, real_page(page)))
    assert {name: getattr(listing, name) for name in expected} == expected


# Values from ground_truth_derived.json (the marketplace's own embedded JSON).
TMALL_PC = {"listing_key": "18959526273", "title": "AMH男装韩版2015秋装新款修身水洗微弹牛仔裤长裤NZ2508燊",
            "brand": "AMH", "price": 298.0, "currency": "CNY", "seller": "amh官方旗舰店"}
TMALL_H5 = {"listing_key": "583789686010", "title": "法国小众红色连衣裙女秋冬维多利亚复古大红色针织毛衣裙小红裙子",
            "brand": "卡贝琳", "price": 258.0, "currency": "CNY", "seller": "kabeilin卡贝琳服饰旗舰店"}
ALI1688 = {"listing_key": "833454967766", "title": "中性2024 BEST GIFT TYPE -C MINI WIRELESS CIGARETTE LIGHTER",
           "brand": "XRD", "price": 8.8, "currency": "CNY", "seller": "东莞市兴瑞达光电有限公司"}


@pytest.mark.parametrize(("profile", "page", "kind", "url", "expected"), [
    ("tmall", "zmnxksdf/item.123.html", "html", "https://detail.tmall.com/item.htm?id=18959526273", TMALL_PC),
    ("tmall", "vue-shop/item-data.json", "vars", "https://detail.m.tmall.com/item.htm?id=583789686010", TMALL_H5),
    ("1688", "ext-1688-single-product/exampleDataResult.data_product_detail_3.json", "window.__INIT_DATA",
     "https://detail.1688.com/offer/833454967766.html", ALI1688),
])
def test_chinese_item_pages_are_read_through_their_profile(
        profile: str, page: str, kind: str, url: str, expected: dict[str, Any],
        real_page: Callable[[str], bytes], bench_extraction: ModuleType) -> None:
    raw = real_page(page)
    body = raw if kind == "html" else bench_extraction.page_from_json(kind, json.loads(raw))
    listing = extract_listing(html_response(url, body), load_profile(profile))
    assert {name: getattr(listing, name) for name in expected} == expected
    assert listing.image_urls and listing.image_urls[0].startswith("https://")


@pytest.mark.parametrize(("profile", "page", "kind", "url", "count", "first"), [
    ("taobao", "My_Scrapy/xxx.g_page_config.json", "g_page_config", "https://s.taobao.com/search?q=%E8%8A%9D", 36,
     {"listing_key": "10609596736", "title": "现磨黑芝麻糊核桃桑葚黑豆黑米乌发干吃包邮", "price": 52.9,
      "seller": "老金磨方旗舰店", "seller_location": "浙江 杭州",
      "url": "https://item.taobao.com/item.htm?id=10609596736"}),
    ("pinduoduo", "fruit-mini-program/goods.json", "body", "https://mobile.yangkeduo.com/search_result.html", 20,
     {"listing_key": "4058066450", "title": "秋冬新款女士保暖背心内衣加绒加厚U领长袖", "price": 26.5,
      "url": "https://mobile.yangkeduo.com/goods.html?goods_id=4058066450"}),
    ("jd", "taro-benchmark/weapp_models_index.json", "body", "https://search.jd.com/Search?keyword=x", 40,
     {"listing_key": "5303113", "title": "图马思特 T300RS 力反馈方向盘", "price": 2799.0,
      "url": "https://item.jd.com/5303113.html"}),
])
def test_search_results_are_read_from_the_data_the_page_carries(
        profile: str, page: str, kind: str, url: str, count: int, first: dict[str, Any],
        real_page: Callable[[str], bytes], bench_extraction: ModuleType) -> None:
    site = load_profile(profile)
    body = bench_extraction.page_from_json(kind, json.loads(real_page(page)))
    content_type = "application/json" if kind == "body" else "text/html; charset=utf-8"
    listings = [listing_from(found, url, site, from_results=True)
                for found in results_on_page(html_response(url, body, content_type), site)]
    assert len(listings) == count
    assert {name: getattr(listings[0], name) for name in first} == first
    assert all(listing.currency == "CNY" and listing.price and listing.title for listing in listings)


@pytest.mark.parametrize(("url", "profile"), [
    ("https://www.amazon.fr/dp/B08LNDXM65", "amazon"), ("https://www.ebay.com/itm/302474151804", "ebay"),
    ("https://detail.tmall.com/item.htm?id=1", "tmall"), ("https://item.taobao.com/item.htm?id=1", "taobao"),
    ("https://item.jd.com/1.html", "jd"), ("https://detail.1688.com/offer/1.html", "1688"),
    ("https://www.ikea.com/gb/en/p/x/", None),
])
def test_a_page_is_read_with_the_profile_of_its_domain(url: str, profile: str | None) -> None:
    found = profile_for_url(url)
    assert (found.name if found else None) == profile
