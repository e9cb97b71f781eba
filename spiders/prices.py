"""Prices: an amount and an ISO 4217 currency from what a page shows ('¥1,299.00', '88元', '49,90 €')."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

from price_parser import Price

# Symbols and local abbreviations → ISO code; "$", "kr" and "Rs" depend on the country (see AMBIGUOUS).
SYMBOLS: dict[str, str] = {
    "¥": "CNY", "￥": "CNY", "rmb": "CNY", "人民币": "CNY", "€": "EUR", "£": "GBP", "₹": "INR",
    "₽": "RUB", "руб": "RUB", "руб.": "RUB", "р.": "RUB", "zł": "PLN", "zl": "PLN", "lei": "RON",
    "kn": "HRK", "тг": "KZT", "тг.": "KZT", "₸": "KZT", "₩": "KRW", "원": "KRW", "원~": "KRW", "₪": "ILS",
    "r$": "BRL", "ر.س": "SAR", "ر.س.": "SAR", "kč": "CZK", "ft": "HUF", "₺": "TRY", "₴": "UAH", "chf": "CHF",
    "fr.": "CHF", "nt$": "TWD", "hk$": "HKD", "us$": "USD", "c$": "CAD", "ca$": "CAD", "a$": "AUD",
    "au$": "AUD", "nz$": "NZD", "s$": "SGD", "円": "JPY", "₫": "VND", "฿": "THB", "₱": "PHP", "rp": "IDR",
    "৳": "BDT", "د.إ": "AED", "br": "BYN", "бел. руб.": "BYN", "rur": "RUB", "ron": "RON", "kč.": "CZK",
}
# Symbols price-parser does not know, found in a price's text ("44 890 тг.", "270,00 Kn", "88元").
_LOCAL_SYMBOLS = re.compile(r"(?<![A-Za-zА-Яа-я])(тг\.?|₸|kn|lei|zł|kč|ft|руб\.?|р\.|ر\.س|元|円|원)(?![A-Za-zА-Яа-я])",
                            re.IGNORECASE)
# A symbol several countries use → (the currencies it may mean, the one to assume without a country).
AMBIGUOUS: dict[str, tuple[frozenset[str], str]] = {
    "$": (frozenset({"USD", "CAD", "AUD", "NZD", "CLP", "ARS", "MXN", "COP", "TWD", "HKD", "SGD", "UYU"}), "USD"),
    "kr": (frozenset({"SEK", "NOK", "DKK", "ISK"}), "SEK"),
    "kr.": (frozenset({"SEK", "NOK", "DKK", "ISK"}), "DKK"),
    "rs": (frozenset({"INR", "PKR", "LKR", "NPR"}), "INR"),
    "rs.": (frozenset({"INR", "PKR", "LKR", "NPR"}), "INR"),
    "¥": (frozenset({"CNY", "JPY"}), "CNY"),
    "元": (frozenset({"CNY", "TWD", "HKD"}), "CNY"),
    "р.": (frozenset({"RUB", "BYN"}), "RUB"),
}
# The currency of a country code top-level domain, where a symbol alone cannot tell.
TLD_CURRENCY: dict[str, str] = {
    "us": "USD", "ca": "CAD", "au": "AUD", "nz": "NZD", "cl": "CLP", "ar": "ARS", "mx": "MXN",
    "co": "COP", "tw": "TWD", "hk": "HKD", "sg": "SGD", "uy": "UYU", "se": "SEK", "no": "NOK",
    "dk": "DKK", "is": "ISK", "pk": "PKR", "in": "INR", "lk": "LKR", "np": "NPR", "jp": "JPY",
    "cn": "CNY", "by": "BYN", "ru": "RUB",
}
# Where a page shows an amount with no currency at all, the site's country decides.
EURO_TLDS = frozenset("at be cy de ee es fi fr gr ie it lt lu lv mt nl pt si sk".split())
COUNTRY_CURRENCY: dict[str, str] = {
    **TLD_CURRENCY, **dict.fromkeys(EURO_TLDS, "EUR"), "uk": "GBP", "ch": "CHF", "pl": "PLN", "ro": "RON",
    "hr": "HRK", "cz": "CZK", "hu": "HUF", "kr": "KRW", "il": "ILS", "tr": "TRY", "ua": "UAH", "za": "ZAR",
    "sa": "SAR", "ae": "AED", "id": "IDR", "my": "MYR", "th": "THB", "vn": "VND", "ph": "PHP", "bg": "BGN",
}
ISO = re.compile(r"^[A-Za-z]{3}$")


def country_of(url: str | None) -> str | None:
    """The two-letter country code a URL's host ends in ('co.uk' → 'uk'), or None for .com and friends."""
    host = (urlsplit(url).hostname or "") if url else ""
    last = host.rsplit(".", 1)[-1]
    return last if len(last) == 2 and last.isalpha() else None


def currency_code(symbol: Any, url: str | None = None) -> str | None:
    """An ISO 4217 code for a currency as pages write it ('€', 'Lei', 'EUR', '$'); the site's country
    decides what '$', 'kr' or 'Rs' means."""
    if symbol is None:
        return None
    text = " ".join(str(symbol).split())
    key = text.lower()
    if key in AMBIGUOUS:
        possible, default = AMBIGUOUS[key]
        local = TLD_CURRENCY.get(country_of(url) or "")
        return local if local in possible else default
    if key in SYMBOLS:
        return SYMBOLS[key]
    if ISO.match(text):
        return text.upper()
    if key.endswith("$"):
        return currency_code("$", url)
    return None


_NUMBER = re.compile(r"\d(?:[\d.,' \u00a0\u202f]*\d)?")
_SIGN = (r"(?:[$€£¥￥₩₽₹₪₺₴₸₫฿₱]|R\$|元|円|원|kn|Kn|zł|lei|Lei|руб\.?|р\.|тг\.?|kr\.?|Kč|Ft|Fr\.|Rs\.?|RM|Rp|"
         r"[A-Z]{3})")
_AMOUNT = r"\d(?:[\d.,' \u00a0\u202f]*\d)?"
_SIGNED = re.compile(rf"{_SIGN}\s?{_AMOUNT}|{_AMOUNT}\s?{_SIGN}(?![A-Za-z])")


def single_price(text: str) -> str | None:
    """The part of a shown text that is the price: the text itself if it holds one number, else the first
    number written with a currency ('買1箱 每箱 839 元' → '839 元'); None when nothing says which."""
    numbers = _NUMBER.findall(text)
    if len(numbers) <= 1:
        return text if numbers else None
    signed = _SIGNED.search(text)
    return signed.group(0) if signed else None


def currency_in(text: str | None) -> str | None:
    """A local currency symbol written in a price's text, as written (price-parser misses these)."""
    found = _LOCAL_SYMBOLS.search(text or "")
    return found.group(1) if found else None


def local_currency(url: str | None) -> str | None:
    """The currency of the country a URL's domain belongs to, if it has one ('.de' → EUR)."""
    return COUNTRY_CURRENCY.get(country_of(url) or "")


def to_decimal(value: Any) -> Decimal | None:
    """A structured-data price ('119.01', 119.01, '1.299,00') as a Decimal, or None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return Decimal(str(value)) if value == value and value >= 0 else None
    text = str(value).strip()
    if not text:
        return None
    try:
        return Decimal(text) if re.fullmatch(r"\d+(\.\d+)?", text) else _parsed(text)
    except InvalidOperation:
        return None


def _parsed(text: str) -> Decimal | None:
    price = Price.fromstring(text)
    return price.amount if price.amount is not None and price.amount >= 0 else None


def parse_price(text: Any, currency_hint: str | None = None, *, url: str | None = None
                ) -> tuple[float | None, str | None]:
    """Amount and ISO currency from a price string such as '¥1,299.00', '88元' or '49,90 €'."""
    if text is None:
        return None, currency_code(currency_hint, url)
    raw = str(text)
    price = Price.fromstring(raw)
    symbol = price.currency or currency_in(raw)
    currency = currency_code(currency_hint, url) or currency_code(symbol, url)
    amount = float(price.amount) if price.amount is not None else None
    return amount, currency
