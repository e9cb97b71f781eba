"""What a GI region can supply: fresh goods only in the harvest season, and no more than the
region's known yearly output. A listing offering either raises the score with the reason."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import UTC, timedelta, timezone

from ...watchlist.records import Mark
from .. import messages
from ..probe import Probe
from ..records import Reason
from ..text.normalise import normalise
from .words import words

SEASON = +0.10  # fresh goods offered outside the harvest season
QUANTITY = +0.10  # more than the region grows in a year
CHINA = timezone(timedelta(hours=8))  # harvest months are Chinese months
_KG = {"吨": 1000.0, "公吨": 1000.0, "t": 1000.0, "ton": 1000.0, "tons": 1000.0, "tonne": 1000.0,
       "tonnes": 1000.0, "公斤": 1.0, "千克": 1.0, "kg": 1.0, "kilogram": 1.0, "kilograms": 1.0, "斤": 0.5,
       "克": 0.001, "g": 0.001, "gram": 0.001, "grams": 0.001}
_HAN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_HAN_UNITS = {"十": 10, "百": 100, "千": 1000}
_UNITS = "|".join(sorted((re.escape(unit) for unit in _KG), key=len, reverse=True))
_QUANTITY = re.compile(
    rf"(\d[\d,]*(?:\.\d+)?|[零一二两三四五六七八九十百千万亿]+)\s*([万千亿])?\s*({_UNITS})(?![a-z])")


def season_reason(probe: Probe, mark: Mark, products: Sequence[str]) -> Reason | None:
    """Fresh goods (新鲜, 现挖, 鲜黄芪, a mark's own words) offered in a month outside the season."""
    season = mark.season
    if season is None:
        return None
    fetched = probe.listing.fetched_at
    month = (fetched if fetched.tzinfo else fetched.replace(tzinfo=UTC)).astimezone(CHINA).month
    if month in season.months:
        return None
    word = _fresh_word(probe, [*words()["fresh"], *season.words], products)
    if word is None:
        return None
    return Reason.of("gi_season", messages.OUT_OF_SEASON, SEASON, word=word, fresh_month=month, name=mark.name,
                     season_months=list(season.months))


def _fresh_word(probe: Probe, fresh: Sequence[str], products: Sequence[str]) -> str | None:
    title = probe.title
    latin = {title.text[start:end] for start, end in title.words()}
    for word in fresh:
        wanted = normalise(str(word)).text
        if wanted.isascii() and wanted in latin:
            return str(word)
        position = title.text.find(wanted) if not wanted.isascii() else -1
        if position != -1:
            return title.original(position, position + len(wanted))
    for product in products:  # 鲜 only right before the product: 鲜黄芪, not 海鲜 or 保鲜
        position = title.text.find("鲜" + product)
        if position != -1:
            return title.original(position, position + 1 + len(product))
    return None


def quantity_reason(probe: Probe, mark: Mark) -> Reason | None:
    """An offer of more than the region's known yearly output (现货10万吨 of a GI that yields 2万吨)."""
    output = mark.annual_output
    if output is None:
        return None
    limit_kg = output.amount * (1000.0 if output.unit == "t" else 1.0)
    largest = max(offered(probe.listing.title or ""), default=None, key=lambda pair: pair[1])
    if largest is None or largest[1] <= limit_kg:
        return None
    phrase, kg = largest
    figures = {"phrase": phrase, "tonnes": f"{kg / 1000:,.0f}", "name": mark.name, "limit": f"{limit_kg / 1000:,.0f}"}
    if output.source:
        return Reason.of("gi_quantity", messages.OVER_OUTPUT_SOURCE, QUANTITY, source=output.source, **figures)
    return Reason.of("gi_quantity", messages.OVER_OUTPUT, QUANTITY, **figures)


def offered(title: str) -> list[tuple[str, float]]:
    """Every quantity by weight a title states, as written and in kilograms: "3万吨" → 30,000,000."""
    text = unicodedata.normalize("NFKC", title).casefold()
    found = []
    for match in _QUANTITY.finditer(text):
        number = _number(match.group(1))
        if number is None:
            continue
        multiplier = {"万": 10_000, "千": 1000, "亿": 100_000_000}.get(match.group(2) or "", 1)
        found.append((match.group(0).strip(), number * multiplier * _KG[match.group(3)]))
    return found


def _number(text: str) -> float | None:
    if text[0].isdigit():
        try:
            return float(text.replace(",", ""))
        except ValueError:
            return None
    return _han_number(text)


def _han_number(text: str) -> float | None:
    """十万 → 100000, 三千五百 → 3500, 两万 → 20000, 一亿 → 100000000; None for anything else."""
    total, section, digit = 0, 0, 0
    for char in text:
        if char in _HAN_DIGITS:
            digit = _HAN_DIGITS[char]
        elif char in _HAN_UNITS:
            section, digit = section + (digit or 1) * _HAN_UNITS[char], 0
        elif char == "万":
            total, section, digit = total + ((section + digit) or 1) * 10_000, 0, 0
        elif char == "亿":
            total, section, digit = ((total + section + digit) or 1) * 100_000_000, 0, 0
        else:
            return None
    return float(total + section + digit) or None
