"""Old brands (老字号): a seller who is not the owner claiming the brand's heritage (老字号, 百年老店,
始创于1669, 正宗) is `false_heritage`; the name used generically for a dish or a style, as the
watchlist's `generic_uses` allow (狗不理包子), is no alert unless a heritage claim or the
owner's logo comes with it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

import yaml

from ...core.phrases import Phrase
from ...watchlist.records import Mark
from .. import DATA, messages
from ..base import Evidence
from ..probe import Probe
from ..records import Reason
from ..signals import carries
from ..text.normalise import normalise

FALSE_HERITAGE = +0.10  # a heritage claim from a shop that is not the owner's
CLAIM = carries("false_heritage", "false_heritage")
GENERIC = -0.50  # the name of a dish or style in common use: not a claim on the brand
LOGO_SEEN = 0.50  # image evidence this strong means the owner's logo is shown
OLDEST_CLAIMED = 1990  # "since 2015" is not a heritage claim
AGE_CLAIMED = 50  # "20年老店" is a shop's age; "300年老店" claims the brand's
_YEAR = r"(1\d{3}|20\d{2})"
_FOUNDED = re.compile(rf"(?:始创|创立|创建|创办|创始|始建|始于|创于|建于|成立于|since|est|establishedin|established|"
                      rf"foundedin|founded)于?{_YEAR}年?|{_YEAR}年?(?:创立|创建|始创|创办|建店|开业|创店)")
_AGE = re.compile(r"(\d+|[一二两三四五六七八九十百千]+)多?年(?:老店|老字号|历史|传承|品牌|工艺|老铺|技艺|秘方)")


@cache
def claims() -> tuple[str, ...]:
    """The heritage claim words of matchers/data/heritage_words.yaml, normalised, longest first."""
    data = yaml.safe_load((DATA / "heritage_words.yaml").read_text("utf-8"))
    return tuple(sorted({normalise(str(word)).text for word in data["claims"]}, key=len, reverse=True))


def heritage_claim(probe: Probe) -> str | None:
    """The first heritage claim in the title, as written: 百年老店, 始创于1956, since 1864, 正宗."""
    title = probe.title
    for pattern in (_FOUNDED, _AGE):
        for match in pattern.finditer(title.text):
            if _old_enough(match):
                return title.original(*match.span())
    for word in claims():
        position = title.text.find(word)
        if position != -1 and (not word.isascii() or (title.starts_word(position)
                                                     and title.ends_word(position + len(word)))):
            return title.original(position, position + len(word))
    return None


def _old_enough(match: re.Match[str]) -> bool:
    years = [group for group in match.groups() if group]
    if match.re is _FOUNDED:
        return int(years[0]) <= OLDEST_CLAIMED
    figure = years[0]
    if figure.isdigit():
        return int(figure) >= AGE_CLAIMED
    return any(unit in figure for unit in "百千") or figure in ("五十", "六十", "七十", "八十", "九十")


def reasons(probe: Probe, mark: Mark, texts: Sequence[Evidence], images: Sequence[Evidence]) -> list[Reason]:
    """`false_heritage` for a heritage claim beside an old brand, else `generic_usage` when every place
    the name was found is one of the mark's generic uses and no logo shows."""
    claim = heritage_claim(probe)
    if claim is not None:
        seller = probe.listing.seller or Phrase.of(messages.A_SELLER)
        return [Reason.of(CLAIM, messages.FALSE_HERITAGE, FALSE_HERITAGE, claim=claim, name=mark.name, seller=seller)]
    phrase = generic_use(probe, mark, [item.span for item in texts if item.span is not None])
    if phrase is None or any(item.score >= LOGO_SEEN for item in images):
        return []
    return [Reason.of("generic_usage", messages.GENERIC_USE, GENERIC, phrase=phrase)]


def generic_use(probe: Probe, mark: Mark, spans: Sequence[tuple[int, int]]) -> str | None:
    """The generic phrase (狗不理包子) covering every place the name was found, if there is one."""
    if not spans or not mark.generic_uses:
        return None
    title = probe.title
    places = [(title.index_of(start), title.index_of(end)) for start, end in spans]
    for phrase in mark.generic_uses:
        wanted = normalise(phrase).text
        found = [(at, at + len(wanted)) for at in _occurrences(title.text, wanted)]
        if found and all(any(s <= start and end <= e for s, e in found) for start, end in places):
            return title.original(*found[0])
    return None


def _occurrences(text: str, wanted: str) -> list[int]:
    positions, at = [], text.find(wanted) if wanted else -1
    while at != -1:
        positions.append(at)
        at = text.find(wanted, at + 1)
    return positions
