"""`image_text`: a mark's name printed in a listing photo, read by OCR and matched by the text techniques.

Careful sellers keep the brand out of the title and put it in the photo. The photo's text
is a separate field: it goes through every title technique (exact, homophone, glyph…) as
if it were a title, and its evidence says where it came from (`brand in image text: 康师傅`).
Reading costs 50-200 ms a photo, so it runs only where useful: on a listing's main photo,
when its title does not already name a mark, within a time budget per scorer.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Iterator

from ...core.images import ListingImage
from ...core.phrases import Phrase
from .. import messages
from ..base import Evidence, Matcher, NotConfigured
from ..catalogue import Catalogue
from ..images.worth import TitleTechniques
from ..probe import Probe
from ..records import Reason

log = logging.getLogger(__name__)

MAX_IMAGES = 1  # the main photo (主图), where sellers show the brand
DISCOUNT = 0.95  # OCR misreads a little more often than a title lies
BUDGET_SECONDS = 300.0  # per scorer: about 3,000 photos; beyond it photos are not read
MAX_TEXT = 200  # characters of a photo's text that are matched


class ImageTextMatcher(Matcher):
    """A mark's name printed in a listing photo (OCR), matched by the title techniques: brand in image text."""

    name = "image_text"
    looks_at = "images"

    def __init__(self, catalogue: Catalogue, *, budget_seconds: float = BUDGET_SECONDS) -> None:
        super().__init__(catalogue)
        from ..images.ocr import unavailable

        missing = unavailable()
        if missing:
            raise NotConfigured(missing)
        self._budget = budget_seconds
        self._texts: dict[str, str] = {}  # image file → its text, read once
        self._titles = TitleTechniques(catalogue)
        self._warned = False

    def match(self, listing: Probe, *, cutoff: float = 0.0) -> Iterator[Evidence]:
        """Yield, per mark, the best title-technique evidence found in the text of the listing's photos."""
        if not listing.images or not self.catalogue.variants:
            return
        if self._titles.name_a_mark(listing):
            return
        text = " ".join(filter(None, (self._read(image) for image in listing.images[:MAX_IMAGES])))[:MAX_TEXT]
        if not text:
            return
        printed = Probe.of(dataclasses.replace(listing.listing, title=text))
        best: dict[str, Evidence] = {}
        for matcher in self._titles.matchers:
            for found in matcher.match(printed, cutoff=cutoff / DISCOUNT):
                if found.weak:  # one character changed: OCR misreads that often enough on its own
                    continue
                if found.mark_id not in best or found.score > best[found.mark_id].score:
                    best[found.mark_id] = found
        for mark_id, found in best.items():
            yield Evidence(mark_id, round(found.score * DISCOUNT, 3), Reason(self.name, describe(found, text)))

    def _read(self, image: ListingImage) -> str:
        key = str(image.path) if image.path is not None else image.name
        if key in self._texts:
            return self._texts[key]
        if self._budget <= 0:
            self._over_budget()
            return ""
        pixels = image.load()
        if pixels is None:
            return ""
        from ..images.ocr import read_text

        started = time.monotonic()
        try:
            text = " ".join(line.text for line in read_text(pixels))
        except Exception as exc:  # noqa: BLE001 - a photo the OCR model chokes on is skipped, never fatal
            log.warning("image_text: %s could not be read (%s); skipped", image.name, exc)
            text = ""
        self._budget -= time.monotonic() - started
        self._texts[key] = text
        return text

    def _over_budget(self) -> None:
        if not self._warned:
            self._warned = True
            log.warning("image_text: time budget of %.0f s spent; further photos are not read"
                        " (build the scorer again, or use `techniques` to leave `image_text` out)", BUDGET_SECONDS)


def describe(found: Evidence, text: str) -> Phrase:
    """`brand in image text: 康师傅`, with the title technique's own reason when it was not an exact name."""
    printed = text[found.span[0]:found.span[1]] if found.span else text
    if found.reason.technique == "exact":
        return Phrase.of(messages.IMAGE_TEXT, printed=printed)
    return Phrase.of(messages.IMAGE_TEXT_HOW, printed=printed, how=found.reason.phrase)
