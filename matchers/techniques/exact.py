"""`exact`: a mark's name or alias in the title once width, script, case and spacing are normalised."""

from __future__ import annotations

from collections.abc import Iterator

from ...core.phrases import Phrase
from .. import messages
from ..base import Evidence, Matcher
from ..catalogue import Catalogue, Variant
from ..probe import Probe
from ..records import Reason
from ..text.lookup import PrefixIndex
from ..text.normalise import changes
from ..text.ordinary import covering_word, word_after, word_before
from ..text.words import stands_as_word, stopwords

LITERAL = 0.98  # the name exactly as the watchlist writes it
RECASED = 0.97  # only the case (or the watchlist's own spacing) differs: "NIKE", "littlesheep"
NORMALISED = 0.95  # traditional, full-width, spaced-out or punctuated: a deliberate disguise


class ExactMatcher(Matcher):
    """A mark's name or alias in the title, after full-width, traditional, case and spacing are normalised."""

    name = "exact"

    def __init__(self, catalogue: Catalogue) -> None:
        super().__init__(catalogue)
        self._index = PrefixIndex(catalogue.variants, key=lambda variant: variant.normalised)

    def match(self, listing: Probe, *, cutoff: float = 0.0) -> Iterator[Evidence]:
        """Yield one piece of evidence per occurrence of a name in the title."""
        title = listing.title
        for start, variant in self._index.find(title.text):
            end = start + len(variant.normalised)
            if not stands_as_word(title, start, end) or covering_word(title.text, start, end):
                continue
            if variant.script == "han" and (word_before(title.text, start, end) or word_after(title, start, end)):
                continue  # 娃娃哈哈 is a doll and a laugh; 安踏板 a pedal; 海飞 丝巾 a scarf
            if _spells_a_word(variant) and title.original(start, end).isalpha():
                continue  # "lining" is a word; LI-NING or Li Ning, written apart as the alias is, is 李宁
            score, said = _describe(title.original(start, end), variant)
            if score >= cutoff:
                yield Evidence(variant.mark_id, score, Reason(self.name, said), title.span(start, end))


def _describe(fragment: str, variant: Variant) -> tuple[float, Phrase]:
    kind = "alias" if variant.is_alias else "name"
    if fragment == variant.name:
        return LITERAL, Phrase.of(messages.EXACT, kind=kind, name=variant.name)
    labels = [label for label in changes(fragment) if label != "case"]
    if not labels:
        return RECASED, Phrase.of(messages.EXACT_AS, kind=kind, name=variant.name, found=fragment)
    return NORMALISED, Phrase.of(messages.NORMALISED, changes=labels, found=fragment, name=variant.name)


def _spells_a_word(variant: Variant) -> bool:
    """Whether a Latin name written with separators (LI-NING) runs together into an English word."""
    return variant.script == "latin" and variant.folded in stopwords() and variant.normalised != variant.name.casefold()
