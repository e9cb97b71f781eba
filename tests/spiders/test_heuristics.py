"""What a page shows when it declares nothing (spiders/heuristics.py): one case per rule, each cut down
from a real page of the extraction benchmark where the rule was needed (named beside the case)."""

from __future__ import annotations

import pytest
from lxml import html

from ipwatch.spiders.heuristics import _EX_TAX, from_html

SHOP_NAV = '<div class="menu"><div class="btn_price">買一組 每組 990 元 現省$400</div></div>'


def shown(body: str, name: str = "") -> tuple[str | None, str | None, str | None]:
    """(title, price as shown, brand) that the heuristics read from a page body titled `name`."""
    found = from_html(html.fromstring(f"<html><head><title>{name} | Shop</title></head><body>{body}</body></html>"))
    return found.title, str(found.price) if found.price is not None else None, found.brand


def cards(count: int) -> str:
    items = "".join(f'<li><a><section><h1>Other deal {n} big bra</h1><section class="price_info">'
                    f'<section class="price_selling">5,900원~</section></section></section></a></li>'
                    for n in range(count))
    return f'<div class="another-deal-wrap"><ul class="deal-list">{items}</ul></div>'


@pytest.mark.parametrize(("case", "name", "body", "price"), [
    # i3fresh.tw: the only price beside the heading is labelled, not named in a class
    ("labelled lowest price", "招牌肉乾自由選",
     f'{SHOP_NAV}<div class="prd_right"><div class="title">招牌肉乾自由選</div>'
     '<ul><li>原價：<strike>1,390</strike></li></ul><div class="pdeal">最低價$<span>99</span>元起/包</div></div>',
     "99"),
    ("labelled price in English", "Anvil",
     '<div><h1>Anvil</h1><p>Price: <b>$20.50</b></p></div><div class="x">9</div>',
     "20.50"),
    ("a label of the old price is not a price label", "Anvil",
     '<div><h1>Anvil</h1><p>原價：<b>1,390</b></p></div>', None),
    # vsezaoci.si: the one price the shop shows is marked old; the other is the same before tax
    ("old-marked price alone", "Bralne leče",
     '<div><h1>Bralne leče</h1><ul class="price-list"><li class="price">'
     '<span class="price-old-live">40.00€</span></li><li class="price-tax">Brez DDV: '
     '<span class="price-tax-live">36.53€</span></li></ul></div>', "40.00"),
    ("old-marked price beside a current one", "Bralne leče",
     '<div><h1>Bralne leče</h1><ul class="price-list"><li class="price">'
     '<span class="price-old">40.00€</span><span class="price-new">30.00€</span></li></ul></div>', "30.00"),
    # agem.sk: a price before tax shown first is still the first shown
    ("before tax shown first", "iMac Pro",
     '<div><h1>iMac Pro</h1><div class="price-wrap"><div class="notax">'
     '<span class="text">bez DPH</span><span class="price">4386,00 €</span></div><div class="tax">'
     '<span class="text">s DPH</span><span class="price">5263,20 €</span></div></div></div>', "4386.00"),
    # tmon.co.kr: other deals' cards each have an h1; the deal's own name is an h2 beside its price
    ("cards' headings are not the page's", "Big bra D cup",
     f'{cards(3)}<article><div class="deal_title">'
     '<h2 class="deal_title_main">Big bra D cup</h2></div><div class="deal_price"><p class="deal_price_sell">'
     '<strong>2,900<sub>원~</sub></strong></p></div></article>', "2900"),
])
def test_the_price_shown_for_the_product(case: str, name: str, body: str, price: str | None) -> None:
    assert shown(body, name)[1] == price, case


@pytest.mark.parametrize(("count", "title"), [
    (3, "Big bra D cup"),  # three alike items with headings: cards
    (2, "Other deal 0 big bra"),  # two (a mobile and a desktop heading, say) are not a list of cards
])
def test_headings_repeated_in_a_list_are_cards(count: int, title: str) -> None:
    body = f'{cards(count)}<article><h2 class="deal_title_main">Big bra D cup</h2></article>'
    page = f'<html><head><meta property="og:title" content="Big bra D cup"></head><body>{body}</body></html>'
    assert from_html(html.fromstring(page)).title == title


@pytest.mark.parametrize(("text", "before_tax"), [
    ("Brez DDV: 36.53€", True), ("19,99 € HT", True), ("zzgl. MwSt.", True), ("bez DPH", True),
    ("Price excl. VAT", True), ("without tax", True), ("cena netto", True), ("未税价 ¥88", True),
    ("inkl. MwSt. zzgl. Versand", False), ("s DPH", False), ("49,90 €", False), ("HTML5 Player", False),
    ("Subtotal", False),
])
def test_prices_said_to_be_before_tax(text: str, before_tax: bool) -> None:
    assert (_EX_TAX.search(text) is not None) == before_tax


@pytest.mark.parametrize(("body", "brand"), [
    ("<ul><li><strong>Proizvajalec:</strong> <a>B&amp;S</a></li></ul>", "B&S"),  # vsezaoci.si (Slovenian)
    ("<table><tr><th>Výrobca</th><td>Apple</td></tr></table>", "Apple"),  # agem.sk (Slovak)
    ("<dl><dt>Brand</dt><dd>Acme</dd></dl>", "Acme"),
    ("<p>Made with love</p>", None),
])
def test_a_labelled_brand(body: str, brand: str | None) -> None:
    assert shown(body)[2] == brand
