"""`lookalike`: a Latin name spelt with characters that look like its letters (Nlke, N1ke, rnengniu)."""

from __future__ import annotations

from collections.abc import Iterator

from .. import messages
from ..base import Evidence, Matcher
from ..catalogue import Catalogue
from ..probe import Probe
from ..records import Reason
from ..text.lookup import PrefixIndex
from ..text.normalise import normalise
from ..text.words import stands_as_word

SCORE = 0.85  # a deliberate disguise, but "l" for "i" also happens by accident


class LookalikeMatcher(Matcher):
    """A Latin name written with look-alike characters: 0 for o, 1 or l for i, rn for m, Cyrillic а for a."""

    name = "lookalike"

    def __init__(self, catalogue: Catalogue) -> None:
        super().__init__(catalogue)
        latin = [variant for variant in catalogue.variants if variant.script != "han"]
        self._index = PrefixIndex(latin, key=lambda variant: variant.folded)

    def match(self, listing: Probe, *, cutoff: float = 0.0) -> Iterator[Evidence]:
        """Yield each place where the folded title shows a name the plain title does not."""
        if SCORE < cutoff:
            return
        folded = listing.folded
        for start, variant in self._index.find(folded.text):
            end = start + len(variant.folded)
            if not stands_as_word(folded, start, end):
                continue
            fragment = folded.original(start, end)
            if normalise(fragment).text == variant.normalised:
                continue  # the name itself, found by the exact matcher
            reason = Reason.of(self.name, messages.LOOKALIKE, found=fragment, name=variant.name)
            yield Evidence(variant.mark_id, SCORE, reason, folded.span(start, end))
