"""Where a GI's goods come from, as the listing tells it: the seller's location, and places the
title names as the goods' origin (甘肃定西产地直发), against the GI's region.

A GI name used from outside the region is the misuse GI protection exists for
(`gi_wrong_origin`); a producer inside it using the name is for the GI body to check, not an
alert (`gi_in_region`), unless it also evokes the GI or names another origin.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ...core.phrases import Phrase
from ...watchlist.records import Mark
from .. import messages
from ..catalogue import Catalogue
from ..probe import Probe
from ..records import Reason
from ..signals import carries
from ..text.normalise import Normalised, is_han, normalise
from .divisions import divisions
from .gazetteer import Location, Region, Relation, Token, locate, resolve, tokens
from .words import words

WRONG_ORIGIN = +0.05  # a GI sold from, or said to come from, outside its region
OUTSIDE = carries("gi_wrong_origin", "outside_region")
IN_REGION = -0.40  # a producer inside a GI's region using its name


@dataclass(frozen=True, slots=True)
class ClaimedPlace:
    """A place a title names as the goods' origin: the words as written and how they read."""

    phrase: str
    location: Location


@dataclass(frozen=True, slots=True)
class Origin:
    """One listing's origin against one GI's region."""

    region: Region
    location: Location
    seller: Relation  # inside | outside | unknown
    elsewhere: tuple[ClaimedPlace, ...]  # places the title claims as origin, outside the region


class Origins:
    """The origin rule for a catalogue's GIs: their regions read once, and the title's origin cues."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.regions = {mark_id: Region.parse(mark.region) for mark_id, mark in catalogue.marks.items()
                        if mark.kind == "gi" and mark.region}
        lists = words()
        self._after = tuple(normalise(str(word)).text for word in lists["origin_after"])
        self._before = tuple(normalise(str(word)).text for word in lists["origin_before"])
        self._not_after = tuple(normalise(str(word)).text for word in lists["not_origin_after"])

    def of(self, probe: Probe, mark: Mark, spans: Sequence[tuple[int, int]], products: Sequence[str]) -> Origin | None:
        """The listing's origin for `mark`; None for a mark without a region. `spans`: where the
        mark's name was found (its own place is not a claim); `products`: the GI's product words."""
        region = self.regions.get(mark.id)
        if region is None:
            return None
        location = locate(probe.listing.seller_location)
        claimed = self.claimed_places(probe.title, spans, products)
        elsewhere = tuple(place for place in claimed if region.relation(place.location) == "outside")
        return Origin(region, location, region.relation(location), elsewhere)

    def claimed_places(self, title: Normalised, spans: Sequence[tuple[int, int]],
                       products: Sequence[str]) -> list[ClaimedPlace]:
        """Runs of place names the title gives as the goods' origin: followed by 产地, 发货, 农户…
        or by the product (定西黄芪), or preceded by 产自, 来自…; not those a name found covers."""
        covered = [(title.index_of(start), title.index_of(end)) for start, end in spans]
        found = [token for token in tokens(title.text, in_title=True)
                 if not any(start < token.end and token.start < end for start, end in covered)]
        claimed = []
        for run in _runs(found):
            start, end = run[0].start, run[-1].end
            rest = title.text[end:]
            after = rest.startswith(self._after + tuple(products)) and not rest.startswith(self._not_after)
            if after or title.text[:start].endswith(self._before):
                readings, problem = resolve(run)
                phrase = title.original(start, end)
                claimed.append(ClaimedPlace(phrase, Location(phrase, readings, problem)))
        return claimed

    def reasons(self, origin: Origin, *, evoked: bool) -> list[Reason]:
        """`gi_wrong_origin` for a seller or a claimed origin outside the region; `gi_in_region` for a
        seller inside it who neither evokes the GI nor claims another origin."""
        region, reasons = origin.region, []
        if origin.seller == "outside":
            reasons.append(Reason.of(OUTSIDE, messages.OUTSIDE_REGION, WRONG_ORIGIN, region=region.text,
                                     location=_written(origin.location)))
        for place in origin.elsewhere[:1]:
            reasons.append(Reason.of(OUTSIDE, messages.ORIGIN_NAMED_OUTSIDE, WRONG_ORIGIN, phrase=place.phrase,
                                     reading=_reading(place.location), region=region.text))
        if origin.seller == "inside" and not evoked and not origin.elsewhere:
            reasons.append(Reason.of("gi_in_region", messages.IN_REGION, IN_REGION, place=region.place,
                                     location=_written(origin.location)))
        return reasons


def _runs(found: Sequence[Token]) -> list[list[Token]]:
    """Place names written one after the other (甘肃 定西 → 甘肃定西) as one run."""
    runs: list[list[Token]] = []
    for token in found:
        if runs and runs[-1][-1].end == token.start:
            runs[-1].append(token)
        else:
            runs.append([token])
    return runs


def _reading(location: Location) -> Phrase | str:
    if location.division is not None:
        return location.phrase()
    readings = ", ".join(divisions().path(reading.code) for reading in location.readings)
    return readings or Phrase.of(messages.UNKNOWN_PLACE)


def _written(location: Location) -> Phrase | str:
    """The location as the seller wrote it, with its reading when that is not plain Chinese or is ambiguous."""
    written = " ".join(location.written.split())
    if location.division is not None and not any(is_han(char) for char in written):
        return Phrase.of(messages.PLACE_READ_AS, written=written, reading=location.phrase())
    if location.division is None and len(location.readings) > 1:
        return Phrase.of(messages.PLACE_READ_AS_ANY, written=written, readings=_reading(location))
    return written
