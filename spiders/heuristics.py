"""Product fields read from how a page looks when it declares nothing: the heading, the price near it,
a 'Brand:' label. The last source tried, after the profile and the page's structured data."""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import islice
from typing import NamedTuple

from lxml.html import HtmlElement
from price_parser import Price
from rapidfuzz import fuzz

from .found import Found
from .prices import currency_in, single_price
from .structured import availability_name, meta_tags

# Prices that are not what the buyer pays now: crossed out, per unit, instalments, shipping, ranges, filters.
_NOT_THE_PRICE = re.compile(
    r"old|was|strike|through|regular|list|before|orig|compare|rrp|uvp|msrp|save|saving|discount|"
    r"per-?unit|unit-?price|base-?price|grundpreis|ship|deliver|instal|month|financ|filter|"
    r"hidden|label|title|tooltip|alert|notif|info-?price|points|bonus|coupon|voucher|tax-?info|crossed|"
    r"previous|recommended|accessor|other|review|rating|sponsor|promo-?banner|count|qty|quantity|"
    r"total|sum\b|summary|amount-?(due|off)", re.IGNORECASE)
_ASIDE = re.compile(r"related|similar|recommend|carousel|carusel|recent|upsell|cross-?sell|also-?(bought|viewed)|"
                    r"sponsor|footer|breadcrumb|mini-?cart|comparison|bundle", re.IGNORECASE)
_STRUCK = {"del", "s", "strike"}
_WAS = re.compile(r"old|was|strike|through|regular|list-?price|before|orig|compare|rrp|uvp|msrp|crossed|previous",
                  re.IGNORECASE)
# Text saying a price is before tax ("Brez DDV: 36.53€", "19,99 € HT", "zzgl. MwSt."): the same price as the one
# with tax beside it, so it does not make a price marked old beside it an old one.
_EX_TAX = re.compile(
    r"(?<![^\W\d_])(?:excl?\.?|excluding|without|plus|zzgl\.?|ohne|exkl\.?|hors|sans|sin|senza|bez|brez|be|"
    r"ilma|fără|без)\s+(?:vat|tax|taxes|mwst\.?|ust\.?|tva|iva|dph|ddv|pdv|pvn|pvm|km|áfa|ндс|moms|btw|alv)"
    r"(?![^\W\d_])|(?<![^\W\d_])(?:ht|netto|áfa nélkül)(?![^\W\d_])|未税|未稅|不含税|不含稅|税抜|税別",
    re.IGNORECASE)
# A label saying the amount after it is the price ("Price: $20", "售价：¥59", "最低價$99元起", "Cena: 40 €").
# Labels of old prices (原價, 市场价, "Was", "RRP") are not in it.
_PRICE_LABEL = re.compile(
    r"^\s*(?:price|our price|sale price|now|preis|unser preis|prix|prezzo|precio|preço|cena|cijena|hind|kaina|"
    r"hinta|pris|fiyat|цена|ціна|价格|價格|售价|售價|现价|現價|特价|特價|优惠价|優惠價|促销价|促銷價|活动价|"
    r"活動價|团购价|團購價|最低价|最低價|折扣价|折扣價|秒杀价|秒殺價|到手价|到手價|券后价|판매가|할인가|가격|"
    r"価格|販売価格)(?![^\W\d_])", re.IGNORECASE)
_LABELLED_TAGS = {"div", "p", "span", "li", "td", "dd", "strong", "b", "em", "label", "font"}
_STYLE_SIZE = re.compile(r"font(?:-size)?\s*:[^;]*?(\d+(?:\.\d+)?)px", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
_AMOUNTS = re.compile(r"\d(?:[\d.,' \u00a0\u202f]*\d)?")
_BARE_AMOUNT = re.compile(r"^\D{0,4}\d[\d.,\s']{0,12}\D{0,4}$")
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_BRAND_LABEL = re.compile(
    r"^\s*(brand|brand name|marke|marque|marca|marchio|merk|märke|mærke|merkki|značka|znamka|zīmols|"
    r"prekės ženklas|marka|márka|бренд|марка|производитель|manufacturer|hersteller|fabricant|品牌|品牌名称|"
    r"make|make/manufacturer|manufacturer/make|proizvajalec|proizvođač|výrobca|výrobce|producent|gyártó|"
    r"ražotājs|gamintojas|tootja|valmistaja|fabricante|produttore|fabrikant|tillverkare|producător|"
    r"ブランド|브랜드)\s*[:：]?\s*$", re.IGNORECASE)
_SELLER_LABEL = re.compile(r"^\s*(sold by|seller|vendeur|verkäufer|venditore|vendedor|卖家|商家|店铺|掌柜|"
                           r"店铺名称|供应商)\s*[:：]?\s*$", re.IGNORECASE)
_LOCATION_LABEL = re.compile(r"^\s*(item location|located in|location|发货地|所在地|产地|发货地址|"
                             r"standort|artikelstandort)\s*[:：]?\s*$", re.IGNORECASE)
_TITLE_SPLIT = re.compile(r"\s+[|–—-]\s+|\s*[|｜]\s*")
MAX_PRICE_TEXT = 60
_NOT_SHOWN = {"script", "style", "meta", "link", "input", "option", "select", "form", "body", "html",
              "head", "noscript", "template", "title"}
MAX_CANDIDATES = 400
MAX_HEADINGS = 60
CARD_DEPTH = 6


def _text(element: HtmlElement) -> str:
    return " ".join(" ".join(element.itertext()).split())


def _shown_text(element: HtmlElement) -> str:
    """Text of `element` without what is crossed out or marked as an old price inside it."""
    parts: list[str] = []

    def visit(node: HtmlElement) -> None:
        if node is not element and (node.tag in _STRUCK or _NOT_THE_PRICE.search(_hint(node))):
            parts.append(node.tail or "")
            return
        parts.append(node.text or "")
        for child in node:
            if isinstance(child.tag, str):
                visit(child)
            else:
                parts.append(child.tail or "")
        if node is not element:
            parts.append(node.tail or "")

    visit(element)
    return " ".join(" ".join(parts).split())


def _hint(element: HtmlElement) -> str:
    return f"{element.get('class') or ''} {element.get('id') or ''} {element.get('itemprop') or ''}"


def _aside(element: HtmlElement) -> bool:
    """Inside a struck-through price, a block of other products, or the site's footer or menus."""
    if element.tag in _STRUCK:
        return True
    for ancestor in element.iterancestors():
        if ancestor.tag in _STRUCK or ancestor.tag in ("footer", "nav", "aside"):
            return True
        hint = _hint(ancestor)
        if hint.strip() and _ASIDE.search(hint):
            return True
    return False


def _similarity(first: str, second: str) -> float:
    return fuzz.token_set_ratio(first.casefold(), second.casefold()) if first and second else 0.0


def _in_a_card(heading: HtmlElement) -> bool:
    """Whether a heading is one of a list of product cards (another deal, a related item): one of three
    or more like items side by side, each with its own heading of the same kind. A page's own heading is
    not repeated so."""
    for ancestor in islice(heading.iterancestors(), CARD_DEPTH):
        parent = ancestor.getparent()
        if parent is None:
            return False
        alike = [item for item in parent if item.tag == ancestor.tag]
        if len(alike) >= 3 and sum(1 for item in alike if next(item.iter(heading.tag), None) is not None) >= 3:
            return True
    return False


def _title(tree: HtmlElement) -> tuple[str | None, HtmlElement | None]:
    """The page's product name and the element showing it: the h1 most like the document's own title."""
    tags = meta_tags(tree)
    page_title = " ".join(" ".join(tree.xpath("//title//text()")).split())
    reference = (tags.get("og:title") or [page_title])[0]
    headings = [(h, _text(h)) for h in tree.xpath("//h1")[:MAX_HEADINGS] if not _in_a_card(h)][:10]
    headings = [(h, text) for h, text in headings if 2 <= len(text) <= 400 and not _aside(h)]
    best = max(headings, key=lambda pair: _similarity(pair[1], reference), default=None)
    if best is not None and (not reference or _similarity(best[1], reference) >= 50):
        return best[1], best[0]
    named = tree.xpath("//h2 | //h3 | //*[contains(@class, 'title') or contains(@class, 'name')]")[:300]
    shown = [(element, _text(element)) for element in named if not _aside(element)]
    shown = [(element, text) for element, text in shown if 2 <= len(text) <= 400]
    near = max(shown, key=lambda pair: _similarity(pair[1], reference), default=None)
    if near is not None and reference and _similarity(near[1], reference) >= 70:
        return near[1], near[0]
    if best is not None:
        return best[1], best[0]
    parts = [part for part in _TITLE_SPLIT.split(reference) if part.strip()]
    return (max(parts, key=len) if parts else reference) or None, None


def _depths(element: HtmlElement) -> dict[HtmlElement, int]:
    chain = [element, *element.iterancestors()]
    return {node: len(chain) - index for index, node in enumerate(chain)}


def _closeness(element: HtmlElement, anchor: dict[HtmlElement, int]) -> int:
    """Depth of the deepest element that holds both `element` and the heading: deeper is closer."""
    for node in (element, *element.iterancestors()):
        if node in anchor:
            return anchor[node]
    return 0


def _prominent(element: HtmlElement, text: str) -> bool:
    """A bare number in big type (font-size 18px or more in its own style): how old shops show prices."""
    found = _STYLE_SIZE.search(element.get("style") or "")
    return found is not None and float(found.group(1)) >= 18 and element.tag not in _HEADINGS \
        and _BARE_AMOUNT.match(text) is not None


class Candidate(NamedTuple):
    """An element showing a price: how sure we are it is one (rank, lower is surer), and what it is
    marked as: an old price, or a price before tax."""

    element: HtmlElement
    text: str
    rank: int
    old: bool = False
    before_tax: bool = False


def _before_tax(element: HtmlElement, text: str) -> bool:
    """Whether the price's own text, or the text around it that shows no other amount, says it is before tax."""
    if _EX_TAX.search(text):
        return True
    for ancestor in list(element.iterancestors())[:3]:
        around = _text(ancestor)
        if len(around) > MAX_PRICE_TEXT or len(_AMOUNTS.findall(around)) > 1:
            return False
        if _EX_TAX.search(around):
            return True
    return False


def _labelled_prices(tree: HtmlElement) -> Iterator[HtmlElement]:
    """Elements whose own text starts with a price label ('Price:', '售价：', '最低價$')."""
    found = 0
    for element in tree.iter(*_LABELLED_TAGS):
        if element.text and _PRICE_LABEL.match(element.text):
            yield element
            found += 1
            if found >= MAX_CANDIDATES:
                return


def _price_candidates(tree: HtmlElement) -> Iterator[Candidate]:
    """Elements that show one price: itemprop=price (rank 0), named for a price or labelled as one (1), big
    bold numbers (2), and last a <meta itemprop=price>, which the page does not show (3)."""
    for element in tree.xpath("//*[@itemprop='price']")[:20]:
        value = element.get("content") or _shown_text(element)
        if value and _DIGIT.search(value) and not _aside(element):
            yield Candidate(element, value, 3 if element.tag == "meta" else 0)  # a <meta> is markup, not shown
    named = tree.xpath("//*[contains(translate(@class, 'PRICEÉ', 'pricee'), 'pric') or "
                       "contains(translate(@id, 'PRICE', 'price'), 'pric') or "
                       "contains(translate(@class, 'PREIS', 'preis'), 'preis') or "
                       "contains(translate(@class, 'PRIX', 'prix'), 'prix') or contains(@class, 'cena') or "
                       "contains(@class, 'cijena') or contains(@class, 'prezzo') or contains(@class, 'precio') or "
                       "contains(@class, 'preco') or contains(@class, 'hind') or contains(@class, 'amount') or "
                       "contains(@class, 'Amount') or contains(@class, 'Price')]")
    for element in dict.fromkeys([*named[:MAX_CANDIDATES], *_labelled_prices(tree)]):
        if element.tag in _NOT_SHOWN or _aside(element):
            continue
        hint = _hint(element)
        old = _NOT_THE_PRICE.search(hint) is not None
        if old and (_WAS.search(hint) is None or _NOT_THE_PRICE.search(_WAS.sub(" ", hint))):
            continue  # not the price for another reason than being marked old (per unit, shipping, ...)
        text = _text(element) if old else _shown_text(element)
        if text and len(text) <= MAX_PRICE_TEXT and _DIGIT.search(text):
            yield Candidate(element, text, 1, old=old, before_tax=_before_tax(element, text))
    for element in tree.xpath("//*[@style and (contains(@style, 'px') or contains(@style, 'PX'))]")[:MAX_CANDIDATES]:
        text = _text(element)
        if element.tag not in _NOT_SHOWN and _prominent(element, text) and not _aside(element):
            yield Candidate(element, text, 2)


def _beside_a_current_price(element: HtmlElement, current: list[HtmlElement]) -> bool:
    """Whether a current price is shown in the same block as `element` (its grandparent)."""
    block = next(islice(element.iterancestors(), 1, 2), None)
    return block is not None and any(other is block or block in other.iterancestors() for other in current)


def _price(tree: HtmlElement, heading: HtmlElement | None) -> tuple[str | None, str | None]:
    """The price shown for the product: the candidate closest to the heading in the page's structure,
    innermost first, then the nearest after it.

    A price marked old counts only when no current price stands beside it: some shops mark the one price
    they show as 'old' when there is no sale. The same price before tax beside it is not a current price."""
    order = {element: index for index, element in enumerate(tree.iter())}
    anchor = _depths(heading) if heading is not None else {}
    start = order.get(heading, 0) if heading is not None else 0
    found = list(_price_candidates(tree))
    current = [candidate.element for candidate in found if not candidate.old and not candidate.before_tax]
    candidates = [candidate for candidate in found
                  if not candidate.old or not _beside_a_current_price(candidate.element, current)]
    holders = {ancestor for candidate in candidates for ancestor in candidate.element.iterancestors()}
    ranked: list[tuple[tuple[int, ...], str, str | None]] = []
    for element, shown, rank, _, _ in candidates:
        text = single_price(shown) if rank in (1, 2) else shown
        if text is None:
            continue
        parsed = Price.fromstring(text)
        if parsed.amount is None or parsed.amount <= 0 or (element in holders and rank in (1, 2)):
            continue
        index = order.get(element, 0)
        key = (-_closeness(element, anchor), rank, 1 if index < start else 0, abs(index - start))
        ranked.append((key, text, parsed.currency or currency_in(text)))
    if not ranked:
        return None, None
    ranked.sort(key=lambda item: item[0])
    best = ranked[0]
    currency = best[2] or next((currency for _, _, currency in ranked if currency), None)
    return best[1], currency


def _labelled(tree: HtmlElement, label: re.Pattern[str]) -> str | None:
    """The value beside a label: in the same element ('<span>Brand: <b>Acme</b></span>'), in the next
    cell or term ('<th>Brand</th><td>Acme</td>'), or after it in a longer text ('Brand: Acme')."""
    for element in tree.xpath("//th | //td | //dt | //span | //strong | //b | //label | //div[not(*)] | //li | "
                              "//p")[:5000]:
        own = " ".join("".join(element.xpath("text()")).split())
        whole = _text(element)
        if own and label.match(own) and len(whole) > len(own):
            value = whole[len(own):].strip(" :：") if whole.startswith(own) else ""
            if 0 < len(value) <= 80:
                return value
        text = own or whole
        if len(text) > 40:
            head, sep, tail = text.partition(":")
            if sep and label.match(head + ":") and 0 < len(tail.strip()) <= 80:
                return tail.strip()
            continue
        if not label.match(text):
            continue
        sibling = element.getnext()
        while sibling is not None and not _text(sibling):
            sibling = sibling.getnext()
        if sibling is not None and len(_text(sibling)) <= 80:
            return _text(sibling)
        tail = (element.tail or "").strip(" :：\n\t")
        if tail and len(tail) <= 80:
            return tail
    return None


def _brand(tree: HtmlElement) -> str | None:
    """itemprop=brand, then a brand attribute shops put on the buy button for analytics, then a label."""
    for element in tree.xpath("//*[@itemprop='brand']")[:5]:
        names = element.xpath(".//*[@itemprop='name']")
        value = element.get("content") or (_text(names[0]) if names else _text(element))
        if value and len(value) <= 80:
            return value
    for value in tree.xpath("//*[not(self::meta)]/@data-brand | //*[not(self::meta)]/@brand | "
                            "//*[not(self::meta)]/@data-product-brand")[:5]:
        if value.strip() and len(value.strip()) <= 80 and not _aside(value.getparent()):
            return value.strip()
    return _labelled(tree, _BRAND_LABEL)


def _struck_prices(tree: HtmlElement) -> tuple[str, ...]:
    """Prices the page shows as no longer asked: crossed out, or marked old, regular, was, RRP."""
    struck = tree.xpath("//del | //s | //strike")[:50]
    named = tree.xpath("//*[contains(translate(@class, 'PRICE', 'price'), 'pric')]")[:MAX_CANDIDATES]
    shown = [element for element in named if _WAS.search(_hint(element))][:50]
    texts = (single_price(_text(element)) for element in (*struck, *shown))
    return tuple(text for text in texts if text and len(text) <= MAX_PRICE_TEXT)


def from_html(tree: HtmlElement) -> Found:
    """What the page shows: heading, price near it, labelled brand, seller and location, canonical link."""
    title, heading = _title(tree)
    price, currency = _price(tree, heading)
    currencies = tree.xpath("//*[@itemprop='priceCurrency']/@content | //*[@itemprop='priceCurrency']/text()")
    availability = tree.xpath("//*[@itemprop='availability']/@href | //*[@itemprop='availability']/@content")
    images = tree.xpath("//*[@itemprop='image']/@src | //*[@itemprop='image']/@content | "
                        "//*[@itemprop='image']/@href")
    canonical = tree.xpath("//link[@rel='canonical']/@href")
    tags = meta_tags(tree)
    return Found.of(
        "html", title=title, price=price,
        currency=(currencies[0] if currencies else None) or currency,
        brand=_brand(tree), seller=_labelled(tree, _SELLER_LABEL),
        seller_location=_labelled(tree, _LOCATION_LABEL),
        availability=availability_name(availability[0]) if availability else None,
        images=tuple(images[:8]) or tuple(tags.get("twitter:image", [])[:1]),
        url=canonical[0] if canonical else None, struck=_struck_prices(tree),
    )
