"""Prices and currencies as pages write them, made into amounts and ISO codes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ipwatch.spiders.prices import currency_code, local_currency, parse_price, single_price, to_decimal


@pytest.mark.parametrize(("text", "url", "expected"), [
    ("¥128.00", None, (128.0, "CNY")), ("￥1,299", None, (1299.0, "CNY")), ("88元", None, (88.0, "CNY")),
    ("88元", "https://i3fresh.tw/x", (88.0, "TWD")), ("$19.99", None, (19.99, "USD")),
    ("$19.99", "https://www.bestbuy.ca/x", (19.99, "CAD")), ("49,90 €", None, (49.9, "EUR")),
    ("270,00 Kn", None, (270.0, "HRK")), ("44 890 тг.", None, (44890.0, "KZT")), ("£48.99", None, (48.99, "GBP")),
    ("面议", None, (None, None)), (None, None, (None, None)),
])
def test_prices(text: str | None, url: str | None, expected: tuple) -> None:
    assert parse_price(text, url=url) == expected


@pytest.mark.parametrize(("symbol", "url", "code"), [
    ("€", None, "EUR"), ("EUR", None, "EUR"), ("eur", None, "EUR"), ("Lei", None, "RON"), ("zł", None, "PLN"),
    ("ر.س", None, "SAR"), ("RUR", None, "RUB"), ("р.", "https://kids.1k.by/x", "BYN"), ("Rs", "https://olx.com.pk/", "PKR"),
    ("$", "https://www.paris.cl/x", "CLP"), ("$", "https://www.amazon.com/x", "USD"), ("NT$", None, "TWD"),
    ("kr", "https://x.dk/", "DKK"), ("¥", "https://x.jp/", "JPY"), ("", None, None), ("points", None, None),
])
def test_currency_codes(symbol: str, url: str | None, code: str | None) -> None:
    assert currency_code(symbol, url) == code


@pytest.mark.parametrize(("text", "expected"), [
    ("19.99", "19.99"), ("1 299,00 €", "1 299,00 €"), ("EUR110.00 Pieejamība: 1 gab", "EUR110.00"),
    ("買1箱 每箱 839 元 平均每罐 35 元", "839 元"), ("$3.499 - $4.059", "$3.499"), ("Brez DDV: 36.53€", "Brez DDV: 36.53€"),
    ("2 for 3", None), ("no digits", None),
])
def test_the_price_in_a_shown_text(text: str, expected: str | None) -> None:
    assert single_price(text) == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("119.01", Decimal("119.01")), (119.01, Decimal("119.01")), (3499, Decimal("3499")), ("1.299,00", Decimal("1299.00")),
    ("", None), (None, None), (True, None), (-5, None), (float("nan"), None),
])
def test_structured_prices(value: object, expected: Decimal | None) -> None:
    assert to_decimal(value) == expected


def test_local_currency_only_where_the_country_has_one() -> None:
    assert (local_currency("https://www.otto.de/p/1"), local_currency("https://shop.example.com/")) == ("EUR", None)
