"""Product data a page declares for machines: schema.org JSON-LD, microdata, RDFa, and Open Graph."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from typing import Any

import jstyleson
from extruct.rdfa import RDFaExtractor
from extruct.uniform import flatten_dict
from extruct.utils import parse_xmldom_html
from extruct.w3cmicrodata import MicrodataExtractor
from lxml.html import HtmlElement

from .found import Found

log = logging.getLogger(__name__)
MAX_JSONLD_CHARS = 2_000_000  # larger blocks are skipped, not parsed
PRODUCT_TYPES = {"product", "productgroup", "individualproduct", "productmodel", "someproducts", "vehicle",
                 "car", "book", "offer"}
# Where schema.org nests products that are not the page's own (related, similar, lists).
NOT_THE_PAGE = {"itemListElement", "isRelatedTo", "isSimilarTo", "isAccessoryOrSparePartFor", "isConsumableFor",
                "hasVariant", "itemOffered_related", "review", "mentions"}
_SCHEMA_PREFIX = re.compile(r"^https?://schema\.org/", re.IGNORECASE)


def _types(node: dict[str, Any]) -> set[str]:
    kind = node.get("@type") or node.get("type") or ()
    kinds = kind if isinstance(kind, list) else [kind]
    return {_SCHEMA_PREFIX.sub("", str(k)).rsplit("/", 1)[-1].lower() for k in kinds if k}


def _walk(node: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Every object in a schema.org document, the page's own entities before nested lists of others."""
    if depth > 12:
        return
    if isinstance(node, list):
        for value in node:
            yield from _walk(value, depth + 1)
    elif isinstance(node, dict):
        yield node
        for key, value in node.items():
            if key not in NOT_THE_PAGE and isinstance(value, dict | list):
                yield from _walk(value, depth + 1)


def _product(documents: list[Any]) -> dict[str, Any] | None:
    """The page's product: a Product with offers if any, else the first Product, else a lone Offer."""
    products = [node for node in _walk(documents) if _types(node) & PRODUCT_TYPES - {"offer"}]
    with_offer = [node for node in products if node.get("offers") or node.get("price")]
    if with_offer or products:
        return (with_offer or products)[0]
    offers = [node for node in _walk(documents) if "offer" in _types(node) and node.get("price")]
    return offers[0] if offers else None


def _text(value: Any) -> str | None:
    while isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value") or value.get("value")
        return _text(value)
    text = " ".join(str(value).split()) if value not in (None, "") else ""
    return text or None


def _images(value: Any) -> tuple[str, ...]:
    values = value if isinstance(value, list) else [value]
    urls = []
    for item in values:
        if isinstance(item, dict):
            item = item.get("url") or item.get("contentUrl") or item.get("@id")
        if isinstance(item, str) and item.strip():
            urls.append(item.strip())
    return tuple(urls)


def _offers(product: dict[str, Any]) -> list[dict[str, Any]]:
    offers = product.get("offers") or []
    offers = offers if isinstance(offers, list) else [offers]
    found: list[dict[str, Any]] = []
    for offer in offers:
        if isinstance(offer, dict):
            found.append(offer)
            nested = offer.get("offers")
            found.extend(o for o in (nested if isinstance(nested, list) else [nested]) if isinstance(o, dict))
    if "offer" in _types(product) or product.get("price") is not None:
        found.insert(0, product)
    return found


def _get(node: dict[str, Any], name: str) -> Any:
    """A property by its schema.org name, tolerating the wrong case some shops write ('lowprice')."""
    if name in node:
        return node[name]
    lowered = name.lower()
    return next((value for key, value in node.items() if isinstance(key, str) and key.lower() == lowered), None)


def _amount(value: Any, depth: int = 0) -> Any:
    """A price value, looking inside the objects some shops put there ({"sales": {"value": 3499}})."""
    value = value[0] if isinstance(value, list) and value else value
    if isinstance(value, dict) and depth < 3:
        for key in ("@value", "value", "amount", "price", "decimalPrice"):
            if value.get(key) not in (None, "", {}, []):
                return _amount(value[key], depth + 1)
        return next((found for child in value.values() if isinstance(child, dict)
                     for found in [_amount(child, depth + 1)] if found not in (None, "")), None)
    return None if isinstance(value, dict | list) else value


def _price_of(offer: dict[str, Any]) -> tuple[Any, Any]:
    specification = _get(offer, "priceSpecification")
    specification = specification[0] if isinstance(specification, list) and specification else specification
    specification = specification if isinstance(specification, dict) else {}
    currency = _text(_get(offer, "priceCurrency") or _get(specification, "priceCurrency"))
    for value in (_get(offer, "price"), _get(specification, "price"), _get(offer, "lowPrice"),
                  _get(offer, "highPrice")):
        value = _amount(value)
        if value not in (None, ""):
            return value, currency
    return None, currency


_OUT_OF_STOCK = ("outofstock", "soldout", "discontinued", "oos", "currentlyunavailable", "unavailable",
                 "derzeitnichtverfügbar", "nichtverfügbar", "ausverkauft", "actuellementindisponible",
                 "indisponible", "épuisé", "nondisponibile", "esaurito", "agotado", "nodisponible", "无货", "缺货",
                 "售罄", "已下架", "已售完", "暂时无货")
_IN_STOCK = ("instock", "limitedavailability", "presale", "preorder", "instoreonly", "onlineonly", "backorder",
             "available", "auflager", "enstock", "disponibilitàimmediata", "disponibile", "disponible", "有货",
             "现货")


def availability_name(value: Any) -> str | None:
    """schema.org availability or a shop's words for it ('https://schema.org/InStock', 'In Stock.',
    'Auf Lager.', '无货') as InStock / OutOfStock; None when it says neither."""
    text = re.sub(r"[\s_.\-:：!]", "", (_text(value) or "").lower())
    if not text:
        return None
    text = text.rsplit("/", 1)[-1]
    if any(word in text for word in _OUT_OF_STOCK):
        return "OutOfStock"
    if any(text.startswith(word) or text.endswith(word) for word in _IN_STOCK):
        return "InStock"
    return None


def product_fields(product: dict[str, Any], source: str) -> Found:
    """A schema.org Product (or Offer) node as found fields."""
    price, currency, availability, seller = None, None, None, None
    offers = []
    for offer in _offers(product):
        offered, named = _price_of(offer)
        offers.append(offered)
        if price is None:
            price, currency = offered, named
        availability = availability or availability_name(offer.get("availability"))
        seller = seller or _text(offer.get("seller") or offer.get("offeredBy"))
    brand = _text(product.get("brand")) or _text(product.get("manufacturer"))
    return Found.of(
        source, title=_text(product.get("name")), price=price, currency=currency, brand=brand, seller=seller,
        category=_text(product.get("category")), images=_images(product.get("image")),
        availability=availability, url=_text(product.get("url")),
        key=_text(product.get("sku") or product.get("productID") or product.get("mpn")), offers=offers,
    )


def jsonld_documents(tree: HtmlElement) -> list[Any]:
    """Every JSON-LD block of the page that parses, comments and trailing commas tolerated."""
    documents = []
    for block in tree.xpath("//script[translate(@type, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', "
                            "'abcdefghijklmnopqrstuvwxyz')='application/ld+json']/text()"):
        if len(block) > MAX_JSONLD_CHARS:
            log.info("JSON-LD block of %d characters skipped", len(block))
            continue
        text = block.strip().removeprefix("<!--").removesuffix("-->").strip()
        text = text.removeprefix("//<![CDATA[").removesuffix("//]]>").strip()
        for parse in (json.loads, jstyleson.loads):
            try:
                documents.append(parse(text))
                break
            except (ValueError, TypeError, RecursionError, IndexError):
                continue
    return documents


def from_jsonld(tree: HtmlElement) -> Found:
    """The JSON-LD Product, if the page has one."""
    product = _product(jsonld_documents(tree))
    return product_fields(product, "json-ld") if product else Found()


def from_microdata(tree: HtmlElement, url: str) -> Found:
    """The microdata Product (itemscope/itemprop), if the page has one."""
    try:
        items = MicrodataExtractor().extract_items(tree, url)
    except Exception as error:  # noqa: BLE001 - extruct on hostile markup: any failure means "no microdata"
        log.info("%s: microdata unreadable (%s)", url, error)
        return Found()
    flat = [flatten_dict(item, "http://schema.org", False) for item in items if isinstance(item, dict)]
    product = _product(flat)
    return product_fields(product, "microdata") if product else Found()


def _rdfa_value(value: Any, nodes: dict[str, dict[str, Any]], depth: int) -> Any:
    if isinstance(value, list):
        return [_rdfa_value(item, nodes, depth) for item in value]
    if isinstance(value, dict):
        if "@value" in value:
            return value["@value"]
        if "@id" in value and value["@id"] in nodes and depth < 4:
            return _rdfa_node(nodes[value["@id"]], nodes, depth + 1)
        return value.get("@id")
    return value


def _rdfa_node(node: dict[str, Any], nodes: dict[str, dict[str, Any]], depth: int = 0) -> dict[str, Any]:
    out: dict[str, Any] = {"@type": node.get("@type", [])}
    for key, value in node.items():
        if _SCHEMA_PREFIX.match(key):
            out[_SCHEMA_PREFIX.sub("", key)] = _rdfa_value(value, nodes, depth)
    return out


def from_rdfa(body: bytes, encoding: str, url: str) -> Found:
    """The RDFa Product (typeof="schema:Product"), if the page has one; pages without RDFa are not parsed."""
    if not re.search(rb"\btypeof\s*=", body[:5_000_000]):
        return Found()
    try:
        nodes = RDFaExtractor().extract_items(parse_xmldom_html(body, encoding), base_url=url)
    except Exception as error:  # noqa: BLE001 - pyRdfa on hostile markup: any failure means "no RDFa"
        log.info("%s: RDFa unreadable (%s)", url, error)
        return Found()
    by_id = {node["@id"]: node for node in nodes if isinstance(node, dict) and "@id" in node}
    converted = [_rdfa_node(node, by_id) for node in nodes if isinstance(node, dict)]
    product = _product(converted)
    return product_fields(product, "rdfa") if product else Found()


def meta_tags(tree: HtmlElement) -> dict[str, list[str]]:
    """`<meta property|name|itemprop=... content=...>` values by lower-cased key, in page order."""
    tags: dict[str, list[str]] = {}
    for meta in tree.xpath("//meta[@content]"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        content = (meta.get("content") or "").strip()
        if key and content:
            tags.setdefault(key, []).append(content)
    return tags


def from_opengraph(tree: HtmlElement) -> Found:
    """Open Graph and its product extension (og:title, product:price:amount, ...)."""
    tags = meta_tags(tree)

    def get(*keys: str) -> str | None:
        return next((tags[key][0] for key in keys if key in tags), None)

    return Found.of(
        "opengraph", title=get("og:title"), price=get("product:price:amount", "og:price:amount"),
        currency=get("product:price:currency", "og:price:currency"),
        brand=get("product:brand", "og:brand"),
        availability=availability_name(get("product:availability", "og:availability")),
        images=tuple(tags.get("og:image", []) or tags.get("og:image:url", [])), url=get("og:url"),
        key=get("product:retailer_item_id", "product:sku", "og:sku"),
    )
