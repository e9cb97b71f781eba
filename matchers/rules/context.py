"""Context that moves a match's score: authorised sellers, compatibility wording and accessories,
price, category and the goods a title names. Where a GI's goods come from is `provenance`'s.

Every adjustment is a `Reason` carrying its delta, so a brand owner sees why a score moved.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ...watchlist.records import Mark
from .. import messages
from ..base import Evidence
from ..catalogue import Catalogue
from ..probe import Probe
from ..records import Reason
from ..signals import carries
from ..text.normalise import normalise
from .goods import Named, goods

DESCRIPTIVE = -0.50  # "适用于耐克鞋带": names the mark to say what the product fits
CHEAP = +0.10  # far below the genuine price: a counterfeit more often than a bargain
PRICE = carries("price", "counterfeit")
CHEAP_RATIO = 0.40
FAR_CATEGORY = -0.30  # a mark of milk (classes 29, 32) on a phone case
# Weak evidence (尹利 for 伊利) scores about 0.6: selling the mark's own goods (高钙奶) makes it a
# knockoff; a low price alone does not.
FITTING_GOODS = +0.20
OTHER_GOODS = -0.10  # weak evidence naming only goods outside the mark's classes (伊力特白酒)
DEFAULT_CURRENCY = "CNY"  # the marketplaces watched price in yuan when they do not say

# Words that introduce the product a listing fits or replaces. Chinese cues may be
# followed by two more characters before the mark (适用于新款耐克); English ones must
# come right before it ("strap for Nike", "compatible with adidas").
HAN_CUES = ("适用于", "适用", "适配", "兼容", "配件", "替换", "替代", "用于")
LATIN_CUES = ("compatible with", "replacement for", "works with", "for", "fits")
HAN_GAP = 2
# Accessories named after the mark say what they fit (iPhone 15 手机壳, 耐克鞋带), unless the
# title claims the accessory itself is the brand's own (原装充电器: a counterfeit claim).
ACCESSORIES = ("手机壳", "保护壳", "保护套", "钢化膜", "贴膜", "手机膜", "充电器", "充电线", "充电头", "数据线",
               "表带", "表链", "鞋带", "鞋垫", "替换头", "刷头", "滤芯", "滤网", "墨盒", "硒鼓", "耳机套", "支架",
               "遥控器", "配件", "收纳",
               "case", "cover", "protector", "tempered glass", "charger", "cable", "strap", "watch band",
               "laces", "insoles", "replacement", "refill", "adapter")
GENUINE_CLAIMS = ("原装", "原厂", "正品", "官方", "正版", "genuine", "original", "authentic", "oem")
_SYMBOLS = {"CNY": "¥", "RMB": "¥", "USD": "$", "EUR": "€", "GBP": "£", "JPY": "JP¥", "HKD": "HK$"}


class Context:
    """The context rules for one watchlist, prepared once: who is authorised, category classes."""

    def __init__(self, catalogue: Catalogue) -> None:
        self._authorised = {
            mark_id: {normalise(seller).text: seller for seller in mark.authorized_sellers}
            for mark_id, mark in catalogue.marks.items()
        }
        self._goods = goods()
        self._han_cues = [normalise(cue).text for cue in HAN_CUES]
        self._latin_cues = [normalise(cue).text for cue in LATIN_CUES]
        self._accessories = [normalise(word).text for word in ACCESSORIES]
        self._claims = [normalise(word).text for word in GENUINE_CLAIMS]

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
        accessory = self._accessory_after(probe, title.index_of(evidence.span[1]))
        if accessory is not None:
            return [Reason.of("descriptive", messages.ACCESSORY, DESCRIPTIVE, accessory=accessory, found=found)]
        return []

    def support(self, probe: Probe, mark: Mark) -> Reason | None:
        """For weak evidence: whether the goods the listing names (its category, else the nouns
        of its title) are in the mark's classes (+), only in others (-), or not named (None)."""
        if not mark.nice_classes:
            return None
        named, where = Named((), frozenset()), messages.IN_TITLE
        if probe.listing.category:
            named, where = self._goods.in_category(probe.listing.category), messages.IN_CATEGORY
        if not named:
            named, where = self._goods.in_title(probe.title), messages.IN_TITLE
        if not named:
            return None
        words = "/".join(named.words)
        classes = _classes(mark.nice_classes)
        if named.classes & set(mark.nice_classes):
            return Reason.of("goods", messages.GOODS_FIT, FITTING_GOODS, words=words, where=where, name=mark.name,
                             classes=classes)
        return Reason.of("goods", messages.GOODS_OTHER, OTHER_GOODS, words=words, where=where,
                         their_classes=_classes(named.classes), name=mark.name, classes=classes)

    def _accessory_after(self, probe: Probe, index: int) -> str | None:
        """The accessory word after position `index` of the title, if the title claims no genuine part."""
        text = probe.title.text
        if any(claim in text for claim in self._claims):
            return None
        for word in self._accessories:
            position = text.find(word, index)
            if position != -1 and (not word[0].isascii() or probe.title.starts_word(position)):
                return probe.title.original(position, position + len(word))
        return None

    def listing(self, probe: Probe, mark: Mark) -> list[Reason]:
        """Adjustments from the listing as a whole: its price, its category."""
        category = self._category(probe, mark) if probe.listing.category else self._goods_named(probe, mark)
        reasons = [self._price(probe, mark), category]
        return [reason for reason in reasons if reason is not None]

    def authorised(self, probe: Probe, mark: Mark, score: float) -> Reason | None:
        """A reason clearing the score to 0 when the seller is one the mark's owner authorised."""
        seller = probe.listing.seller
        if not seller or normalise(seller).text not in self._authorised.get(mark.id, {}):
            return None
        return Reason.of("authorised_seller", messages.AUTHORISED, -score, seller=seller)

    def _price(self, probe: Probe, mark: Mark) -> Reason | None:
        listing, reference = probe.listing, mark.reference_price
        if reference is None or listing.price is None or not math.isfinite(listing.price) or listing.price <= 0:
            return None  # no price, or one a page got wrong: never a reason to raise suspicion
        currency = (listing.currency or DEFAULT_CURRENCY).upper()
        if currency != reference.currency.upper() or listing.price >= CHEAP_RATIO * reference.amount:
            return None
        share = round(100 * listing.price / reference.amount)
        return Reason.of(PRICE, messages.PRICE, CHEAP, price=_money(listing.price, currency), share=share,
                         reference=_money(reference.amount, currency))

    def _category(self, probe: Probe, mark: Mark) -> Reason | None:
        category = probe.listing.category
        if not category or not mark.nice_classes:
            return None
        classes = self.classes_of(category)
        if not classes or classes & self._goods.near(mark.nice_classes):
            return None
        return Reason.of("category", messages.CATEGORY_FAR, FAR_CATEGORY, category=category,
                         their_classes=_classes(classes), name=mark.name, classes=_classes(mark.nice_classes))

    def _goods_named(self, probe: Probe, mark: Mark) -> Reason | None:
        """Without a category, the product nouns of the title: all far from the mark's classes
        (小米粥 for a phone maker) lower the score as a far category does."""
        if not mark.nice_classes:
            return None
        named = self._goods.nouns_in_title(probe.title)
        if not named or named.classes & self._goods.near(mark.nice_classes):
            return None
        return Reason.of("category", messages.GOODS_FAR, FAR_CATEGORY, words="/".join(named.words),
                         their_classes=_classes(named.classes), name=mark.name, classes=_classes(mark.nice_classes))

    def classes_of(self, category: str) -> frozenset[int]:
        """The Nice classes a marketplace category names, from matchers/data/categories.yaml."""
        return self._goods.in_category(category).classes


def _descriptive(cue: str, found: str) -> Reason:
    return Reason.of("descriptive", messages.DESCRIPTIVE, DESCRIPTIVE, cue=cue, found=found)


def _money(amount: float, currency: str) -> str:
    figure = f"{amount:.0f}" if float(amount).is_integer() and amount >= 10 else f"{amount:.2f}"
    symbol = _SYMBOLS.get(currency)
    return f"{symbol}{figure}" if symbol else f"{currency} {figure}"


def _classes(classes: Sequence[int] | frozenset[int]) -> str:
    return ", ".join(str(number) for number in sorted(classes))
