"""`pinyin`: a Chinese name spelt out in pinyin letters (kangshifu, Kang Shi Fu, XUEBI for 雪碧)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pypinyin import lazy_pinyin

from .. import messages
from ..base import Evidence, Matcher
from ..catalogue import Catalogue, Variant
from ..probe import Probe
from ..records import Reason
from ..text.lookup import PrefixIndex
from ..text.normalise import Normalised, fold, normalise
from ..text.words import stopwords

LONG = 0.85  # three or more syllables spelt out: a deliberate rendering of the name
SHORT = 0.62  # two syllables also spell ordinary words: weak evidence that goods confirm


@dataclass(frozen=True, slots=True)
class _Spelling:
    variant: Variant
    letters: str  # "kangshifu"
    syllables: tuple[str, ...]  # ("kang", "shi", "fu")


class PinyinMatcher(Matcher):
    """A Chinese name written in pinyin, tones and spaces ignored: kangshifu or Kang Shi Fu for 康师傅."""

    name = "pinyin"

    def __init__(self, catalogue: Catalogue) -> None:
        super().__init__(catalogue)
        latin = {variant.folded for variant in catalogue.variants if variant.script == "latin"}
        spellings = []
        for variant in catalogue.variants:
            if variant.script != "han" or len(variant.normalised) < 2:
                continue
            syllables = tuple(lazy_pinyin(variant.normalised))
            for letters in {"".join(syllables), "".join(syllables).replace("v", "u")}:
                # An alias already spelling the name (Yili for 伊利) is the exact matcher's.
                if letters.isascii() and letters.isalpha() and letters not in latin:
                    spellings.append(_Spelling(variant, letters, syllables))
        self._index = PrefixIndex(spellings, key=lambda spelling: spelling.letters)

    def match(self, listing: Probe, *, cutoff: float = 0.0) -> Iterator[Evidence]:
        """Yield each run of title words that spells a Chinese name in pinyin."""
        title = listing.title
        for start, spelling in self._index.find(title.text):
            end = start + len(spelling.letters)
            if not (_whole_words(title, start, end) and _on_syllables(title, start, spelling)):
                continue
            short = len(spelling.syllables) == 2
            score = SHORT if short else LONG
            fragment = title.original(start, end)
            if score < cutoff or fold(normalise(fragment)).text in stopwords():
                continue
            reason = Reason.of(self.name, messages.PINYIN, found=fragment, name=spelling.variant.name,
                               syllables=" ".join(spelling.syllables))
            yield Evidence(spelling.variant.mark_id, score, reason, title.span(start, end),
                           weak=short)


def _whole_words(title: Normalised, start: int, end: int) -> bool:
    return title.starts_word(start) and title.ends_word(end)


def _on_syllables(title: Normalised, start: int, spelling: _Spelling) -> bool:
    """Spaces inside the spelling may only fall between syllables ("Kang Shi Fu", not "Kan Gshifu")."""
    bounds, offset = set(), start
    for syllable in spelling.syllables:
        offset += len(syllable)
        bounds.add(offset)
    return all(title.starts_word(index) is False or index in bounds or index == start
               for index in range(start + 1, start + len(spelling.letters)))
