"""Whether a listing's photos are worth reading pixel by pixel (logo search, OCR): not when its
title already names a mark surely, since they could only confirm what is known."""

from __future__ import annotations

import logging

from ..base import Matcher, NotConfigured, discover
from ..catalogue import Catalogue
from ..probe import Probe

log = logging.getLogger(__name__)

TITLE_ENOUGH = 0.9  # an exact name (0.98) or a close variant; weaker title evidence still gets its photos read


class TitleTechniques:
    """Every registered title technique, built once for a catalogue (on first use)."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self._built: list[Matcher] | None = None

    @property
    def matchers(self) -> list[Matcher]:
        if self._built is None:
            self._built = []
            for name, kind in sorted(discover().items()):
                if kind.looks_at != "title":
                    continue
                try:
                    self._built.append(kind(self.catalogue))
                except NotConfigured as off:
                    log.info("title technique %s is off: %s", name, off)
        return self._built

    def name_a_mark(self, listing: Probe) -> bool:
        """True when the title alone names a mark with at least `TITLE_ENOUGH`."""
        return any(found.score >= TITLE_ENOUGH and not found.weak
                   for matcher in self.matchers for found in matcher.match(listing, cutoff=TITLE_ENOUGH))
