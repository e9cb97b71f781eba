"""`Listing`: what a marketplace shows about one product offer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ..core.clock import utcnow


@dataclass(frozen=True, slots=True)
class ImageFile:
    """A listing image that was downloaded: where it came from and where it lies."""

    url: str
    path: str | None  # relative to Settings.images_dir; None when the download failed
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Capture:
    """A file kept as evidence: where it is (relative to Settings.evidence_dir), its SHA-256 and size."""

    path: str
    sha256: str
    size: int


@dataclass(frozen=True, slots=True)
class Listing:
    """One offer on one marketplace, as its page showed it when it was fetched."""

    site: str
    listing_key: str
    url: str
    title: str
    price: float | None = None
    currency: str | None = None
    seller: str | None = None
    seller_location: str | None = None
    category: str | None = None
    brand: str | None = None
    image_urls: tuple[str, ...] = ()
    images: tuple[ImageFile, ...] = ()
    fetched_at: datetime = field(default_factory=utcnow)
    availability: str | None = None  # InStock | OutOfStock, when the page says
    canonical_url: str | None = None  # the URL the page names as its own
    raw: Capture | None = None  # the listing page as fetched (WARC), kept as evidence
    problems: tuple[str, ...] = ()  # e.g. "no price": recorded, counted, never fatal
    seller_contacts: tuple[str, ...] = ()  # as the page shows them: "电话 138…", "微信 abc", "退货地址 …"
