"""`gi_evocation`: a geographical indication evoked by a qualifier between its place and product
(固阳式黄芪, Guyang-style astragalus), a form no other technique sees (`gi/evocation.py`)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ...watchlist.records import Mark
from .. import messages
from ..base import Evidence, Matcher
from ..catalogue import Catalogue
from ..gi.evocation import Evocation, Evocations, GiName
from ..probe import Probe
from ..records import Reason
from ..text.normalise import normalise

SPLIT = 0.90  # place and product with a qualifier between them: 固阳式黄芪
PLACE_ONLY = 0.85  # place and qualifier, the product named elsewhere: 固阳风味 正北芪切片


class EvocationMatcher(Matcher):
    """A GI evoked by a qualifier between its place and product: 固阳式黄芪, Guyang-style astragalus."""

    name = "gi_evocation"
    signals = frozenset({"evocation"})

    def __init__(self, catalogue: Catalogue) -> None:
        super().__init__(catalogue)
        self.evocations = Evocations(catalogue)

    def match(self, listing: Probe, *, cutoff: float = 0.0) -> Iterator[Evidence]:
        """Yield evidence for each GI whose place and product a qualifier splits."""
        for found in self.evocations.split_forms(listing):
            mark: Mark = self.catalogue.marks[found.mark_id]
            joined = found.phrase.replace(" ", "") if not found.phrase.isascii() else found.phrase
            score = SPLIT if _has_product(found, self.evocations.names[mark.id]) else PLACE_ONLY
            if score >= cutoff:
                reason = Reason.of(self.name, messages.EVOKED_NAME, found=joined, name=mark.name)
                yield Evidence(mark.id, score, reason, found.span)


def _has_product(found: Evocation, names: Sequence[GiName]) -> bool:
    phrase = normalise(found.phrase).text
    return any("".join(name.product) in phrase for name in names)
