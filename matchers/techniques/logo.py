"""`logo`: a mark's reference image (a logo, a package) found inside a listing photo by local features."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

from PIL import Image

from ...core.phrases import Phrase
from .. import messages
from ..base import Evidence, Matcher, NotConfigured
from ..catalogue import Catalogue
from ..images.reference_images import ReferenceImage, built, reference_files
from ..images.worth import TitleTechniques
from ..probe import Probe
from ..records import Reason

if TYPE_CHECKING:
    from ..images.logos import LogoFound, LogoIndex

log = logging.getLogger(__name__)

BASE = 0.83  # a reference whose pixels agree where its keypoints put it (matchers/images/logos.py) …
PER_INLIER = 0.004  # … more certain with each keypoint: 0.85 at the fewest (5), the most at 30
BEST = 0.95
MAX_IMAGES = 2  # a listing's first photos: where sellers put the brand
BUDGET_SECONDS = 600.0  # per scorer: about 8,000 photos at 75 ms; beyond it photos are not searched


def logo_index(references: list[tuple[ReferenceImage, Image.Image]]) -> LogoIndex[ReferenceImage]:
    """The local features of every reference image, as it is and mirrored."""
    from ..images.logos import LogoIndex

    return LogoIndex(references)


class LogoMatcher(Matcher):
    """A mark's logo or reference photo found inside a listing photo: SIFT keypoints that line up."""

    name = "logo"
    looks_at = "images"

    def __init__(self, catalogue: Catalogue, *, budget_seconds: float = BUDGET_SECONDS) -> None:
        super().__init__(catalogue)
        try:
            import cv2  # noqa: F401
        except ImportError as exc:  # missing, or the GUI build without libGL.so.1 (core/opencv_build.py)
            raise NotConfigured(f"needs OpenCV ({exc}): pip install --force-reinstall --no-deps"
                                " opencv-python-headless") from None
        self._files = reference_files(catalogue)
        self._budget = budget_seconds
        self._titles = TitleTechniques(catalogue)
        self._warned = False

    def match(self, listing: Probe, *, cutoff: float = 0.0) -> Iterator[Evidence]:
        """Yield, per mark, the reference image found with the most agreeing keypoints."""
        if not listing.images or not self._files or self._titles.name_a_mark(listing):
            return  # a title that names a mark already says what its photos would
        index = built(self.name, self._files, logo_index)
        best: dict[str, LogoFound[ReferenceImage]] = {}
        for image in listing.images[:MAX_IMAGES]:
            if self._budget <= 0:
                self._over_budget()
                break
            pixels = image.load()
            if pixels is None:
                continue
            started = time.monotonic()
            for found in _found_in(index, image.name, pixels):
                mark_id = found.item.mark_id
                if mark_id not in best or found.inliers > best[mark_id].inliers:
                    best[mark_id] = found
            self._budget -= time.monotonic() - started
        for mark_id, found in best.items():
            score = round(min(BEST, BASE + PER_INLIER * found.inliers), 3)
            if score >= cutoff:
                yield Evidence(mark_id, score, Reason(self.name, describe(found)))

    def _over_budget(self) -> None:
        if not self._warned:
            self._warned = True
            log.warning("logo: time budget of %.0f s spent; further listing photos are not searched"
                        " (build the scorer again, or use `techniques` to leave `logo` out)", BUDGET_SECONDS)


def _found_in(index: LogoIndex[ReferenceImage], name: str, pixels: Image.Image) -> list[LogoFound[ReferenceImage]]:
    try:
        return index.find(pixels)
    except Exception as exc:  # noqa: BLE001 - OpenCV refusing a hostile photo skips it, never the listing
        log.warning("logo: %s could not be searched (%s); skipped", name, exc)
        return []


def describe(found: LogoFound[ReferenceImage]) -> Phrase:
    """The reason a brand owner reads, e.g. `logo found (37 inliers, 94% of its detail) from reference guyang.png`."""
    mirrored = Phrase.of(messages.MIRRORED) if found.mirrored else ""
    return Phrase.of(messages.LOGO, inliers=found.inliers, agreement=f"{found.agreement:.0%}",
                     reference=found.item.name, mirrored=mirrored)
