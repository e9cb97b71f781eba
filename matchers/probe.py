"""A listing prepared once for every matcher: its title normalised and folded, its image hashes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..core.images import ListingImage
from ..spiders.records import Listing
from .text.normalise import Normalised, fold, normalise

# Marketplace titles run to 60 Chinese characters (Taobao) or 200 Latin ones (Amazon); a
# page that puts a whole description in the title is matched on its first part only.
MAX_TITLE = 1000


@dataclass(frozen=True, slots=True)
class Probe:
    """What the matchers read about one listing; built by `Probe.of`."""

    listing: Listing
    title: Normalised
    folded: Normalised
    image_phashes: tuple[str, ...]
    images: tuple[ListingImage, ...] = ()  # hashes and files, for the image techniques

    @classmethod
    def of(cls, listing: Listing, image_phashes: Sequence[str] = (), images: Sequence[ListingImage] = ()) -> Probe:
        """Normalise the listing's title once; keep its downloaded images and their phashes."""
        title = normalise((listing.title or "")[:MAX_TITLE])
        phashes = tuple(image_phashes) or tuple(image.hashes.phash for image in images if image.hashes)
        return cls(listing=listing, title=title, folded=fold(title), image_phashes=phashes, images=tuple(images))
