"""Read a `Listing` from a product page: schema.org JSON-LD first, then the profile's CSS selectors."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from price_parser import Price
from scrapy.http import TextResponse

from spiders.profile import SiteProfile
from spiders.records import Listing

log = logging.getLogger(__name__)
MAX_JSONLD_CHARS = 2_000_000  # larger blocks are skipped, not parsed


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object in a JSON-LD document, @graph and lists included."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _is_product(node: dict[str, Any]) -> bool:
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return "Product" in kinds


def jsonld_product(response: TextResponse) -> dict[str, Any] | None:
    """The first schema.org Product in the page's JSON-LD blocks, or None."""
    for block in response.css('script[type="application/ld+json"]::text').getall():
        if len(block) > MAX_JSONLD_CHARS:
            log.warning("%s: JSON-LD block of %d characters skipped", response.url, len(block))
            continue
        try:
            document = json.loads(block)
        except ValueError:
            log.info("%s: invalid JSON-LD block ignored", response.url)
            continue
        for node in _walk(document):
            if _is_product(node):
                return node
    return None


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


def _name(value: Any) -> str | None:
    value = _first(value)
    if isinstance(value, dict):
        value = value.get("name")
    return str(value).strip() if value not in (None, "") else None


def _css(response: TextResponse, selector: str | None) -> str | None:
    if not selector:
        return None
    text = " ".join(part.strip() for part in response.css(selector).getall() if part.strip())
    return text or None


def _image_url(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("url") or value.get("contentUrl")
    return str(value).strip() or None if value else None


def parse_price(text: Any, currency_hint: str | None = None) -> tuple[float | None, str | None]:
    """Amount and ISO currency from a price string such as '¥1,299.00' or '128'."""
    if text is None:
        return None, currency_hint
    price = Price.fromstring(str(text))
    symbol = price.currency or ("元" if "元" in str(text) else "")
    currency = currency_hint or {"¥": "CNY", "￥": "CNY", "元": "CNY", "$": "USD", "€": "EUR",
                                 "£": "GBP"}.get(symbol, price.currency)
    amount = float(price.amount) if price.amount is not None else None
    return amount, currency


def extract_listing(response: TextResponse, profile: SiteProfile) -> Listing:
    """The listing on `response`; missing fields are None and named in `problems`."""
    product = jsonld_product(response) or {}
    sel = profile.selectors
    offer = _first(product.get("offers")) or {}
    offer = offer if isinstance(offer, dict) else {}
    title = _name(product.get("name")) or _css(response, sel.title) or ""
    price, currency = parse_price(offer.get("price"), offer.get("priceCurrency"))
    if price is None:
        price, currency = parse_price(_css(response, sel.price), currency)
    images = product.get("image") or (response.css(sel.images).getall() if sel.images else [])
    images = [images] if isinstance(images, (str, dict)) else images
    images = [url for url in (_image_url(image) for image in images) if url]
    problems = [name for name, value in (("no title", title), ("no price", price)) if not value]
    return Listing(
        site=profile.name,
        listing_key=str(product.get("sku") or urlsplit(response.url).path),
        url=response.url,
        title=title,
        price=price,
        currency=currency,
        seller=_name(offer.get("seller")) or _css(response, sel.seller),
        seller_location=_css(response, sel.seller_location),
        category=_name(product.get("category")) or _css(response, sel.category),
        brand=_name(product.get("brand")),
        image_urls=tuple(response.urljoin(url) for url in images[: profile.max_images]),
        problems=tuple(problems),
    )
