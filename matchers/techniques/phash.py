"""`phash`: a listing image that is a copy of a mark's reference image (logo, packaging)."""

from __future__ import annotations

import logging
from collections.abc import Iterator

from .. import messages
from ..base import Evidence, Matcher
from ..catalogue import Catalogue
from ..images.hash_index import HashIndex
from ..probe import Probe
from ..records import Reason

log = logging.getLogger(__name__)

MAX_DISTANCE = 6  # of 64 bits: survives re-encoding, resizing and small crops
BEST = 0.95  # a copied logo is evidence on its own, even under a generic title
PER_BIT = 0.01


class PhashMatcher(Matcher):
    """A listing image whose perceptual hash is within 6 of 64 bits of a mark's reference image."""

    name = "phash"
    looks_at = "images"

    def __init__(self, catalogue: Catalogue) -> None:
        super().__init__(catalogue)
        entries = [
            (phash, (mark_id, file_name))
            for mark_id, pairs in catalogue.reference_hashes.items()
            for file_name, phash in pairs
        ]
        self._index: HashIndex[tuple[str, str]] = HashIndex(entries, max_distance=MAX_DISTANCE)

    def match(self, listing: Probe, *, cutoff: float = 0.0) -> Iterator[Evidence]:
        """Yield the nearest reference image of each mark that a listing image copies."""
        best: dict[str, tuple[int, int, str]] = {}
        for phash in listing.image_phashes:
            try:
                nearby = self._index.near(phash)
            except ValueError:
                log.debug("listing %s: image hash %r is not hex; skipped", listing.listing.listing_key, phash)
                continue
            for near in nearby:
                mark_id, file_name = near.item
                if mark_id not in best or near.distance < best[mark_id][0]:
                    best[mark_id] = (near.distance, 4 * len(phash.strip()), file_name)
        for mark_id, (distance, bits, file_name) in best.items():
            score = round(BEST - PER_BIT * distance, 3)
            if score >= cutoff:
                reason = Reason.of(self.name, messages.IMAGE_PHASH, distance=distance, bits=bits, reference=file_name,
                                   mirrored="")
                yield Evidence(mark_id, score, reason)
