"""Provenance rules: for a geographical indication, where the goods come from, whether the name
is evoked, and whether the region could supply them; for an old brand, claims to its heritage.

The scorer asks `Provenance.reasons` once per listing × mark found; each rule is a `Reason`
with its delta, in the same form as the text matcher's context reasons:

- `gi_wrong_origin` (+0.05 each): the seller, or the origin the title names, lies outside the
  GI's region — naming both places;
- `gi_in_region` (-0.40): a seller inside the region who neither evokes the GI nor claims
  another origin: the GI body's business, not an alert;
- `gi_evocation` (+0.05, +0.00 when the seller's location is unknown): 仿, 同款, 式, "style"…
  whatever the seller's location;
- `gi_season`, `gi_quantity` (+0.10): fresh goods out of season, more than the region grows;
- `false_heritage` (+0.10) and `generic_usage` (-0.50) for old brands (see `heritage`).

Sellers the mark's owner authorised get no provenance reason: the scorer clears them anyway.
"""

from __future__ import annotations

from collections.abc import Sequence

from ...core.phrases import Phrase
from ...watchlist.records import Mark
from .. import messages
from ..base import Evidence
from ..catalogue import Catalogue
from ..gi.evocation import Evocation, Evocations
from ..gi.gazetteer import Location
from ..gi.origin import Origins
from ..gi.supply import quantity_reason, season_reason
from ..probe import Probe
from ..records import Reason
from ..signals import carries
from ..text.normalise import normalise
from . import heritage

EVOCATION = +0.05  # a GI evoked by a seller whose location is known
EVOKED = carries("gi_evocation", "evocation")  # as the gi_evocation technique's reasons
EVOCATION_UNKNOWN = 0.0  # … or unknown: less certain, still flagged


class Provenance:
    """The GI and old-brand rules for one watchlist, prepared once."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.origins = Origins(catalogue)
        self.evocations = Evocations(catalogue)
        self._authorised = {mark_id: {normalise(seller).text for seller in mark.authorized_sellers}
                            for mark_id, mark in catalogue.marks.items()}

    def reasons(self, probe: Probe, mark: Mark, texts: Sequence[Evidence] = (),
                images: Sequence[Evidence] = ()) -> list[Reason]:
        """The provenance reasons for `mark` in `probe`, given the evidence the matchers found for it."""
        seller = probe.listing.seller
        if seller and normalise(seller).text in self._authorised.get(mark.id, ()):
            return []
        if mark.kind == "gi":
            ranked = sorted((item for item in texts if item.span is not None), key=lambda item: -item.score)
            return self._geographical(probe, mark, [item.span for item in ranked if item.span is not None])
        if mark.kind == "old_brand":
            return heritage.reasons(probe, mark, texts, images)
        return []

    def _geographical(self, probe: Probe, mark: Mark, spans: list[tuple[int, int]]) -> list[Reason]:
        names = self.evocations.names.get(mark.id, [])
        products = [name.product[0] for name in names if not name.latin]
        evocation = self.evocations.around(probe, mark.id, spans) or next(
            (found for found in self.evocations.split_forms(probe) if found.mark_id == mark.id), None)
        origin = self.origins.of(probe, mark, spans, products)
        reasons = self.origins.reasons(origin, evoked=evocation is not None) if origin is not None else []
        if evocation is not None:
            location = origin.location if origin is not None else None
            reasons.append(_evocation_reason(evocation, mark, location))
        supply = [season_reason(probe, mark, products), quantity_reason(probe, mark)]
        return reasons + [reason for reason in supply if reason is not None]


def _evocation_reason(evocation: Evocation, mark: Mark, location: Location | None) -> Reason:
    detail = evocation.phrase_of(mark.name)
    if location is not None and location.division is not None:
        return Reason.of(EVOKED, messages.EVOCATION, EVOCATION, detail=detail)
    if location is None:
        why: Phrase | str = Phrase.of(messages.NO_LOCATION)
    else:
        why = location.why or (Phrase.of(messages.AMBIGUOUS) if location.readings else "")
    return Reason.of(EVOKED, messages.EVOCATION_UNKNOWN, EVOCATION_UNKNOWN, detail=detail, why=why)
