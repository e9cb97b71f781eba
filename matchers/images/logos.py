"""`LogoIndex`: reference images found inside a listing photo by local features and geometry.

A whole-image hash cannot see a logo that covers a fifth of a photo, nor a copy that was
cropped, rotated or put on a larger canvas. SIFT keypoints can: each reference image (and
its mirror image) adds RootSIFT descriptors to one FLANN index; a photo's descriptors vote
for the reference they are clearly nearest to (Lowe's ratio test against every *other*
reference, so a frame or a circle that several logos share votes for none), and only
references with `MIN_INLIERS` votes, the candidates, are checked geometrically: a RANSAC
similarity transform must carry `MIN_INLIERS` of their keypoints onto the photo. Then the
pixels decide (matchers/images/detail.py): warped back onto the reference, the photo must repeat
`MIN_AGREEMENT` of the reference's drawn cells, and as many of the cells under its words
(read by OCR when the index is built). That is what keeps a shared character out — another
brand drawn in the same font as 鹿王 lines up 38 keypoints on the character 鹿 alone, and
its other cells disagree — and another brand's badge from the same template, which agrees
everywhere but under the name; and what lets a smooth photograph or a small pasted wordmark
be found from 5 keypoints, where counting keypoints alone needed 10 spread over half the
reference.

Calibrated with `bench/image_robustness.py` (calibration set and held-out editions 1-4; the
README has the figures, and those of edition 5, run once after this). Its limit: a very
smooth picture (a storm sky, a flat drawing) or a thin wordmark pasted at a sixth of a photo
leaves too few keypoints to vote (the README's "Image matching" lists them).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

import cv2
import numpy as np
from PIL import Image, ImageOps

from . import ocr
from .detail import Box, detail_agreement

Item = TypeVar("Item")
log = logging.getLogger(__name__)

REFERENCE_SIDE = 640  # references are described at most this big …
QUERY_SIDE = 1024  # … and listing photos at most this big (a marketplace photo is 800)
QUERY_MIN_SIDE = 480  # smaller photos are enlarged first, so a small logo in them keeps its keypoints
REFERENCE_FEATURES = 1500
QUERY_FEATURES = 3000
CONTRAST = 0.02  # half SIFT's default: low-contrast photos (cells, blur) keep enough keypoints
RATIO = 0.8  # Lowe's ratio test: the best reference must be clearly nearer than any other
NEIGHBOURS = 6
MIN_INLIERS = 5  # keypoints a similarity transform must carry onto the photo before its pixels are compared
MIN_AGREEMENT = 0.75  # share of the reference's drawn cells the photo must repeat (matchers/images/detail.py)
REPROJECTION = 0.012  # RANSAC tolerance as a share of the photo's longer side
SCALES = (0.04, 8.0)  # a reference shown smaller or larger than this is implausible


@dataclass(frozen=True, slots=True)
class Features:
    """SIFT keypoint positions (in the described image's pixels) and their RootSIFT descriptors."""

    points: np.ndarray  # (n, 2) float32
    descriptors: np.ndarray  # (n, 128) float32


@dataclass(frozen=True, slots=True)
class LogoFound(Generic[Item]):
    """A reference image found in a photo: how many keypoints agree, at what scale, mirrored or not."""

    item: Item
    inliers: int
    scale: float
    mirrored: bool
    agreement: float  # share of the reference's drawn cells the photo repeats


def describe(image: Image.Image, *, max_side: int, min_side: int = 0,
             features: int) -> tuple[Features, float, np.ndarray]:
    """SIFT features of `image` after fitting it between `min_side` and `max_side`; the factor applied, and
    the grey pixels described."""
    grey = image.convert("L")
    longer = max(grey.size)
    factor = min(1.0, max_side / longer) if longer > max_side else max(1.0, min_side / longer)
    if factor != 1.0:
        size = (max(1, round(grey.width * factor)), max(1, round(grey.height * factor)))
        grey = grey.resize(size, Image.Resampling.BILINEAR if factor < 1 else Image.Resampling.BICUBIC)
    sift = cv2.SIFT_create(nfeatures=features, contrastThreshold=CONTRAST)  # type: ignore[attr-defined]
    pixels = np.asarray(grey)
    keypoints, descriptors = sift.detectAndCompute(pixels, None)
    if descriptors is None or len(keypoints) == 0:
        return Features(np.zeros((0, 2), np.float32), np.zeros((0, 128), np.float32)), factor, pixels
    descriptors = descriptors / (descriptors.sum(axis=1, keepdims=True) + 1e-7)  # RootSIFT: Hellinger kernel
    descriptors = np.sqrt(descriptors).astype(np.float32)
    points = np.array([keypoint.pt for keypoint in keypoints], np.float32)
    return Features(points, descriptors), factor, pixels


class LogoIndex(Generic[Item]):
    """Local features of reference images (each also mirrored), searched for inside listing photos.

    >>> index = LogoIndex([("kangshifu.png", logo)])          # doctest: +SKIP
    >>> [(found.item, found.inliers) for found in index.find(photo)]  # doctest: +SKIP
    [('kangshifu.png', 37)]
    """

    def __init__(self, references: Iterable[tuple[Item, Image.Image]]) -> None:
        self.items: list[Item] = []
        points, descriptors, owners = [], [], []
        self._views: list[tuple[int, bool]] = []  # view → (item position, mirrored)
        self._pixels: list[tuple[np.ndarray, float]] = []  # view → its grey pixels as described, and their scale
        self._words: list[tuple[Box, ...]] = []  # view → where the reference has words (matchers/images/detail.py)
        for item, image in references:
            position = len(self.items)
            self.items.append(item)
            words = words_in(image)
            for mirrored, view in ((False, image), (True, ImageOps.mirror(image))):
                features, factor, pixels = describe(view, max_side=REFERENCE_SIDE, features=REFERENCE_FEATURES)
                if len(features.points) < MIN_INLIERS:
                    continue  # a plain image: nothing distinctive to find
                owners.append(np.full(len(features.points), len(self._views), np.int32))
                points.append(features.points / factor)
                descriptors.append(features.descriptors)
                self._views.append((position, mirrored))
                self._pixels.append((pixels, factor))
                self._words.append(tuple((image.width - right, top, image.width - left, bottom)
                                         for left, top, right, bottom in words) if mirrored else words)
        self._points = np.concatenate(points) if points else np.zeros((0, 2), np.float32)
        self._owners = np.concatenate(owners) if owners else np.zeros(0, np.int32)
        self._matcher = cv2.FlannBasedMatcher({"algorithm": 1, "trees": 4}, {"checks": 64})
        if descriptors:
            self._matcher.add([np.concatenate(descriptors)])
            self._matcher.train()

    def __len__(self) -> int:
        return len(self.items)

    def find(self, image: Image.Image) -> list[LogoFound[Item]]:
        """References drawn inside `image`, most inliers first (one entry per reference)."""
        if not self._views:
            return []
        features, factor, pixels = describe(image, max_side=QUERY_SIDE, min_side=QUERY_MIN_SIDE,
                                            features=QUERY_FEATURES)
        if len(features.points) < MIN_INLIERS:
            return []
        votes = self._votes(features.descriptors)
        tolerance = REPROJECTION * max(image.size) * factor
        best: dict[int, LogoFound[Item]] = {}
        for view, pairs in votes.items():
            if len(pairs) < MIN_INLIERS:
                continue
            found = self._verify(view, pairs, features.points, tolerance, factor, pixels)
            position = self._views[view][0]
            if found is not None and (position not in best or found.inliers > best[position].inliers):
                best[position] = found
        return sorted(best.values(), key=lambda found: -found.inliers)

    def _votes(self, descriptors: np.ndarray) -> dict[int, list[tuple[int, int]]]:
        """View → [(query keypoint, reference keypoint)] for descriptors that pass the ratio test
        against every other reference: a frame or a circle that several logos share votes for none."""
        neighbours = self._matcher.knnMatch(descriptors, k=min(NEIGHBOURS, len(self._owners)))
        votes: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for row in neighbours:
            if not row:
                continue
            view = int(self._owners[row[0].trainIdx])
            item = self._views[view][0]
            rival = next((m.distance for m in row[1:] if self._views[self._owners[m.trainIdx]][0] != item),
                         row[-1].distance)
            if row[0].distance < RATIO * rival:
                votes[view].append((row[0].queryIdx, row[0].trainIdx))
        return votes

    def _verify(self, view: int, pairs: list[tuple[int, int]], points: np.ndarray, tolerance: float,
                factor: float, pixels: np.ndarray) -> LogoFound[Item] | None:
        query = points[[pair[0] for pair in pairs]]
        reference = self._points[[pair[1] for pair in pairs]]
        transform, mask = cv2.estimateAffinePartial2D(
            reference, query, method=cv2.RANSAC, ransacReprojThreshold=tolerance, maxIters=2000, confidence=0.995
        )
        if transform is None or mask is None:
            return None
        kept = mask.ravel().astype(bool)
        used = np.array(pairs)[kept]
        inliers = min(len(set(used[:, 0].tolist())), len(set(used[:, 1].tolist())))  # repeated texture counts once
        scale = float(np.hypot(transform[0, 0], transform[1, 0])) / factor
        if inliers < MIN_INLIERS or not SCALES[0] <= scale <= SCALES[1]:
            return None
        agreement = detail_agreement(*self._pixels[view], pixels, transform, self._words[view])
        if agreement is None or agreement < MIN_AGREEMENT:
            return None
        position, mirrored = self._views[view]
        return LogoFound(self.items[position], inliers, round(scale, 3), mirrored, round(agreement, 3))


def words_in(image: Image.Image) -> tuple[Box, ...]:
    """Where a reference image has words, read by OCR; none where no OCR model is installed or it fails."""
    if ocr.unavailable():
        return ()
    try:
        return tuple(ocr.text_boxes(image))
    except Exception as exc:  # noqa: BLE001 - without its words a reference is still checked cell by cell
        log.warning("logo: the words of a reference image could not be read (%s); its cells are checked alone", exc)
        return ()
