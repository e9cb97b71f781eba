"""Context that moves a match's score: authorised sellers, compatibility wording, price, category,
and for a GI whether the seller is inside its region.

Every adjustment is a `Reason` carrying its delta, so a brand owner sees why a score moved.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import yaml

from matchers.base import Evidence
from matchers.catalogue import Catalogue
from matchers.gazetteer import Region
from matchers.normalise import is_word_char, normalise
from matchers.probe import Probe
from matchers.records import Reason
from watchlist.records import Mark

DESCRIPTIVE = -0.50  # "适用于耐克鞋带": names the mark to say what the product fits
CHEAP = +0.10  # far below the genuine price: a counterfeit more often than a bargain
CHEAP_RATIO = 0.40
FAR_CATEGORY = -0.30  # a mark of milk (classes 29, 32) on a phone case
IN_REGION = -0.40  # a producer inside a GI's region using its name: for the GI body to check, not an alert
OUT_OF_REGION = +0.05  # a GI sold from elsewhere: the misuse GI protection exists for
DEFAULT_CURRENCY = "CNY"  # the marketplaces watched price in yuan when they do not say

# Words that introduce the product a listing fits or replaces. Chinese cues may be
# followed by two more characters before the mark (适用于新款耐克); English ones must
# come right before it ("strap for Nike", "compatible with adidas").
HAN_CUES = ("适用于", "适用", "适配", "兼容", "配件", "替换", "替代", "用于")
LATIN_CUES = ("compatible with", "replacement for", "for", "fits")
HAN_GAP = 2
_SYMBOLS = {"CNY": "¥", "RMB": "¥", "USD": "$", "EUR": "€", "GBP": "£", "JPY": "JP¥", "HKD": "HK$"}
_CATEGORIES = Path(__file__).parent / "data" / "categories.yaml"


class Context:
    """The context rules for one watchlist, prepared once: who is authorised, category classes, GI regions."""

    def __init__(self, catalogue: Catalogue) -> None:
        self._authorised = {
            mark_id: {normalise(seller).text: seller for seller in mark.authorized_sellers}
            for mark_id, mark in catalogue.marks.items()
        }
        data = yaml.safe_load(_CATEGORIES.read_text("utf-8"))
        self._category_words = {
            normalise(str(word)).text: frozenset(classes) for word, classes in data["words"].items()
        }
        self._groups = [frozenset(classes) for classes in data["groups"].values()]
        self._regions = {
            mark_id: Region.parse(mark.region)
            for mark_id, mark in catalogue.marks.items()
            if mark.kind == "gi" and mark.region
        }
        self._han_cues = [normalise(cue).text for cue in HAN_CUES]
        self._latin_cues = [normalise(cue).text for cue in LATIN_CUES]

    def around(self, probe: Probe, evidence: Evidence) -> list[Reason]:
        """Adjustments for where the mark was found in the title: compatibility wording before it."""
        if evidence.span is None:
            return []
        title = probe.title
        index = title.index_of(evidence.span[0])
        found = probe.listing.title[evidence.span[0] : evidence.span[1]]
        for cue in self._han_cues:
            position = title.text.rfind(cue, max(0, index - len(cue) - HAN_GAP), index)
            if position != -1:
                return [_descriptive(title.original(position, position + len(cue)), found)]
        for cue in self._latin_cues:
            start = index - len(cue)
            if start >= 0 and title.text.startswith(cue, start) and title.starts_word(start):
                return [_descriptive(title.original(start, index), found)]
        return []

    def listing(self, probe: Probe, mark: Mark) -> list[Reason]:
        """Adjustments from the listing as a whole: its price, its category, where the seller is."""
        reasons = [self._price(probe, mark), self._category(probe, mark), self._origin(probe, mark)]
        return [reason for reason in reasons if reason is not None]

    def authorised(self, probe: Probe, mark: Mark, score: float) -> Reason | None:
        """A reason clearing the score to 0 when the seller is one the mark's owner authorised."""
        seller = probe.listing.seller
        if not seller or normalise(seller).text not in self._authorised.get(mark.id, {}):
            return None
        return Reason("authorised_seller", f"authorised seller {seller} (score cleared)", -score)

    def _price(self, probe: Probe, mark: Mark) -> Reason | None:
        listing, reference = probe.listing, mark.reference_price
        if reference is None or listing.price is None or not math.isfinite(listing.price) or listing.price <= 0:
            return None  # no price, or one a page got wrong: never a reason to raise suspicion
        currency = (listing.currency or DEFAULT_CURRENCY).upper()
        if currency != reference.currency.upper() or listing.price >= CHEAP_RATIO * reference.amount:
            return None
        share = round(100 * listing.price / reference.amount)
        text = (
            f"price {_money(listing.price, currency)} is {share}% of reference "
            f"{_money(reference.amount, currency)} ({CHEAP:+.2f})"
        )
        return Reason("price", text, CHEAP)

    def _category(self, probe: Probe, mark: Mark) -> Reason | None:
        category = probe.listing.category
        if not category or not mark.nice_classes:
            return None
        classes = self.classes_of(category)
        near = set(mark.nice_classes)
        for group in self._groups:
            if near & group:
                near |= group
        if not classes or classes & near:
            return None
        text = (
            f"category {category} (Nice {_classes(classes)}) is far from {mark.name}'s classes "
            f"{_classes(mark.nice_classes)} ({FAR_CATEGORY:+.2f})"
        )
        return Reason("category", text, FAR_CATEGORY)

    def _origin(self, probe: Probe, mark: Mark) -> Reason | None:
        region, location = self._regions.get(mark.id), probe.listing.seller_location
        if region is None or not location:
            return None
        inside = region.contains(location)
        if inside is None:
            return None
        if inside:
            return Reason("origin", f"seller in the GI region {region.place}: {location} ({IN_REGION:+.2f})", IN_REGION)
        text = f"seller outside the GI region {region.text}: {location} ({OUT_OF_REGION:+.2f})"
        return Reason("origin", text, OUT_OF_REGION)

    def classes_of(self, category: str) -> frozenset[int]:
        """The Nice classes a marketplace category names, from matchers/data/categories.yaml."""
        text = normalise(category)
        classes: set[int] = set()
        for word, word_classes in self._category_words.items():
            position = text.text.find(word)
            while position != -1:
                if not is_word_char(word[0]) or text.starts_word(position):
                    classes |= word_classes
                    break
                position = text.text.find(word, position + 1)
        return frozenset(classes)


def _descriptive(cue: str, found: str) -> Reason:
    return Reason("descriptive", f"descriptive use {cue} before {found} ({DESCRIPTIVE:+.2f})", DESCRIPTIVE)


def _money(amount: float, currency: str) -> str:
    figure = f"{amount:.0f}" if float(amount).is_integer() and amount >= 10 else f"{amount:.2f}"
    symbol = _SYMBOLS.get(currency)
    return f"{symbol}{figure}" if symbol else f"{currency} {figure}"


def _classes(classes: Sequence[int] | frozenset[int]) -> str:
    return ", ".join(str(number) for number in sorted(classes))
