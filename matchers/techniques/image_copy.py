"""`image_copy`: a listing image that is a copy of a mark's reference image, by several hashes at once."""

from __future__ import annotations

from collections.abc import Iterator

from PIL import Image

from ...core.phrases import Phrase
from .. import messages
from ..base import Evidence, Matcher
from ..catalogue import Catalogue
from ..images.copies import CopyFound, CopyIndex, views_of
from ..images.reference_images import ReferenceImage, built, reference_files
from ..probe import Probe
from ..records import Reason

BEST = 0.95  # a copied reference image is evidence on its own, even under a generic title
PER_BIT = 0.005  # of the combined pHash + dHash + wHash distance (at most 20 bits)
BY_REGIONS = 0.85
MAX_IMAGES = 8  # a listing's first images: the rest are details and size charts


def copy_index(references: list[tuple[ReferenceImage, Image.Image]]) -> CopyIndex[ReferenceImage]:
    """The hashes of every reference image, as it is and mirrored."""
    return CopyIndex((reference, views_of(image)) for reference, image in references)


class ImageCopyMatcher(Matcher):
    """A listing image that copies a mark's reference image: pHash, dHash and wHash together, mirrored too."""

    name = "image_copy"
    looks_at = "images"

    def __init__(self, catalogue: Catalogue) -> None:
        super().__init__(catalogue)
        self._files = reference_files(catalogue)

    def match(self, listing: Probe, *, cutoff: float = 0.0) -> Iterator[Evidence]:
        """Yield, per mark, the nearest reference image that one of the listing's images copies."""
        if not listing.images or not self._files:
            return
        index = built(self.name, self._files, copy_index)
        best: dict[str, tuple[float, CopyFound[ReferenceImage]]] = {}
        for image in listing.images[:MAX_IMAGES]:
            for found in index.find(*image.fingerprints()):
                score = BY_REGIONS if found.regions else round(BEST - PER_BIT * found.combined, 3)
                mark_id = found.item.mark_id
                if mark_id not in best or score > best[mark_id][0]:
                    best[mark_id] = (score, found)
        for mark_id, (score, found) in best.items():
            if score >= cutoff:
                yield Evidence(mark_id, score, Reason(self.name, describe(found)))


def describe(found: CopyFound[ReferenceImage]) -> Phrase:
    """The reason a brand owner reads, e.g. `image phash distance 4/64 to reference guyang.png`."""
    mirrored = Phrase.of(messages.MIRRORED) if found.mirrored else ""
    if found.regions:
        return Phrase.of(messages.IMAGE_REGIONS, reference=found.item.name, regions=found.regions, mirrored=mirrored)
    return Phrase.of(messages.IMAGE_PHASH, distance=found.phash, bits=64, reference=found.item.name, mirrored=mirrored)
