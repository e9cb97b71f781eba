"""`CopyIndex`: whole-image copies of reference images, found by several perceptual hashes at once.

One hash alone is either blind or noisy: pHash at 6 bits misses 28% of watermarked copies,
and loosened to 10 bits it confuses logos drawn in the same style (the sample logos are
8-21 bits apart). The decision was calibrated with `bench/image_robustness.py` (25
references, 900 edited copies, 212 distractors among which 20 logos of other brands drawn in
the sample style, the hardest negatives):

- a copy: pHash within `PHASH_BITS` (found through the `HammingIndex`), pHash + dHash +
  wHash within `COMBINED_BITS` of 192, and colour hashes within `COLOUR_BITS`: all resized,
  re-encoded, mirrored and re-framed copies, 99% of brightened, 97% of turned and 87% of
  watermarked ones (with the reference's own turned and cropped views, `edits`), no
  distractor, no same-style logo, no wrong reference;
- or its regions: `MIN_REGIONS` crop-resistant segment hashes within `REGION_BITS` bits of
  the reference's (flat regions ignored): a few crops and watermarked copies more at no
  false positive; two regions already let a same-style logo through;
- and in both cases the 256-bit detail pHash within `DETAIL_BITS`. The 64-bit hashes see
  an image's layout, not its small print: on the held-out set (bench/image_heldout.py) red
  seals of other brands, the same ring around other characters, came within 6-18 bits of
  192 or shared 3 regions. Their detail hashes were 40-108 bits of 256 apart; copies the
  calibration set's hashes find, at most 30. It costs the hashes some crops (5% of them
  are found by hashes, 14% before), which the local features find anyway.

Each reference is indexed as it is and mirrored, so a flipped copy is as near as the
original; and a picture set on a plain board (a larger canvas) is also hashed without the
board (`images.content_of`), on both sides. Crops and rotations are the local features'
part (`matchers/images/logos.py`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from PIL import Image, ImageOps

from ...core.images import ImageHashes, content_of, hamming, hash_image
from .hamming import HammingIndex, to_uint64

Item = TypeVar("Item")

PHASH_BITS = 8
COMBINED_BITS = 18
COLOUR_BITS = 6  # of colorhash's 42: a logo redrawn in another colour is another brand's
REGION_BITS = 2
DETAIL_BITS = 32  # of the 256-bit detail pHash: every copy the calibration set's hashes find is within 30
MIN_REGIONS = 3
ROTATIONS = (-3.0, 3.0)  # degrees: copies turned up to 5 degrees are near one of these or the original
CROP_KEPT = 0.88  # share of each side the reference's cropped views keep
PLAIN_BITS = 8  # a region hash with fewer (or more than 64 - this) bits set is a flat area: not evidence


@dataclass(frozen=True, slots=True)
class CopyFound(Generic[Item]):
    """A reference the query copies: by its hashes (distances in bits) or by its regions."""

    item: Item
    phash: int
    dhash: int
    whash: int
    mirrored: bool
    regions: int = 0  # crop-resistant segments that match, when found by regions

    @property
    def combined(self) -> int:
        return self.phash + self.dhash + self.whash


@dataclass(frozen=True, slots=True)
class _View:
    position: int
    mirrored: bool
    hashes: ImageHashes


def views_of(image: Image.Image) -> list[tuple[bool, ImageHashes]]:
    """The hashes of a reference image as it is and mirrored, each also slightly rotated and
    cropped (`edits`), and of its content without a plain board around it (when it has one):
    (mirrored, hashes)."""
    views = []
    for mirrored, view in ((False, image), (True, ImageOps.mirror(image))):
        views.append((mirrored, hash_image(view)))
        views += [(mirrored, hash_image(edited, regions=False)) for edited in edits(view)]
    inner = content_of(image)
    if inner is not None:
        views += [(False, hash_image(inner)), (True, hash_image(ImageOps.mirror(inner)))]
    return views


def edits(image: Image.Image) -> list[Image.Image]:
    """The reference as copies often show it: turned a few degrees, or cut to `CROP_KEPT` of each
    side at the centre or a corner. A copy edited up to twice as much is near one of these."""
    width, height = image.size
    kept_w, kept_h = round(width * CROP_KEPT), round(height * CROP_KEPT)
    corners = [((width - kept_w) // 2, (height - kept_h) // 2), (0, 0), (width - kept_w, 0),
               (0, height - kept_h), (width - kept_w, height - kept_h)]
    turned = [image.rotate(angle, Image.Resampling.BICUBIC, fillcolor="white") for angle in ROTATIONS]
    return turned + [image.crop((x, y, x + kept_w, y + kept_h)) for x, y in corners]


class CopyIndex(Generic[Item]):
    """Reference images' hashes (each also mirrored), searched for copies of a query image."""

    def __init__(self, references: Iterable[tuple[Item, Sequence[tuple[bool, ImageHashes]]]]) -> None:
        self.items: list[Item] = []
        self._views: list[_View] = []
        region_hashes: list[str] = []
        self._region_owner: list[int] = []
        for item, views in references:
            self.items.append(item)
            for flipped, hashes in views:
                view = len(self._views)
                self._views.append(_View(len(self.items) - 1, flipped, hashes))
                for segment in _informative(hashes.segments):
                    region_hashes.append(segment)
                    self._region_owner.append(view)
        self._phashes = HammingIndex(to_uint64(v.hashes.phash for v in self._views), max_distance=PHASH_BITS)
        self._regions = HammingIndex(to_uint64(region_hashes), max_distance=REGION_BITS)

    def __len__(self) -> int:
        return len(self.items)

    def find(self, *queries: ImageHashes) -> list[CopyFound[Item]]:
        """References that one of the `queries` (views of one image) copies, nearest first, one
        entry per reference."""
        best: dict[int, CopyFound[Item]] = {}
        for query in queries:
            self._by_hashes(query, best)
        for query in queries:
            for position, found in self._by_regions(query).items():
                if position not in best or (best[position].regions and found.regions > best[position].regions):
                    best[position] = found
        return sorted(best.values(), key=lambda found: (found.regions > 0, found.combined, -found.regions))

    def _by_hashes(self, query: ImageHashes, best: dict[int, CopyFound[Item]]) -> None:
        if len(query.phash) == 16:
            positions, distances = self._phashes.search(int(query.phash, 16))
            for view_at, distance in zip(positions.tolist(), distances.tolist(), strict=False):
                view = self._views[view_at]
                found = CopyFound(self.items[view.position], distance, hamming(query.dhash, view.hashes.dhash),
                                  _whash_distance(query, view.hashes), view.mirrored)
                if (found.combined <= COMBINED_BITS and _same_colours(query, view.hashes)
                        and _same_detail(query, view.hashes) and _better(found, best.get(view.position))):
                    best[view.position] = found

    def _by_regions(self, query: ImageHashes) -> dict[int, CopyFound[Item]]:
        matched: dict[int, set[int]] = {}  # view → the query's segments that match one of it
        for number, segment in enumerate(_informative(query.segments)):
            for region_at in self._regions.search(int(segment, 16))[0].tolist():
                matched.setdefault(self._region_owner[region_at], set()).add(number)
        found: dict[int, CopyFound[Item]] = {}
        for view_at, segments in matched.items():
            view = self._views[view_at]
            if len(segments) < MIN_REGIONS or not _same_detail(query, view.hashes):
                continue
            previous = found.get(view.position)
            if previous is None or len(segments) > previous.regions:
                found[view.position] = CopyFound(
                    self.items[view.position], hamming(query.phash, view.hashes.phash),
                    hamming(query.dhash, view.hashes.dhash), _whash_distance(query, view.hashes),
                    view.mirrored, regions=len(segments),
                )
        return found


def _informative(segments: Iterable[str]) -> list[str]:
    kept = []
    for segment in segments:
        if len(segment) == 16 and PLAIN_BITS <= int(segment, 16).bit_count() <= 64 - PLAIN_BITS:
            kept.append(segment)
    return kept


def _whash_distance(query: ImageHashes, reference: ImageHashes) -> int:
    if len(query.whash) != len(reference.whash) or not query.whash:
        return 64  # a hash stored before wHash was kept: counts as far
    return hamming(query.whash, reference.whash)


def _same_colours(query: ImageHashes, reference: ImageHashes) -> bool:
    if not query.colorhash or len(query.colorhash) != len(reference.colorhash):
        return True  # a hash stored before colour hashes were kept: not held against it
    return hamming(query.colorhash, reference.colorhash) <= COLOUR_BITS


def _same_detail(query: ImageHashes, reference: ImageHashes) -> bool:
    if not query.detail or len(query.detail) != len(reference.detail):
        return True  # a hash stored before detail hashes were kept: not held against it
    return hamming(query.detail, reference.detail) <= DETAIL_BITS


def _better(found: CopyFound[Item], known: CopyFound[Item] | None) -> bool:
    return known is None or bool(known.regions) or found.combined < known.combined

