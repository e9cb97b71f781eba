"""Write listings, sightings and their images to the database: the crawl's side of storage."""

from __future__ import annotations

import hashlib
import logging
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..core.clock import utcnow
from ..core.images import BadImage, compute_hashes
from ..core.storage.models import CrawlRunRow, EvidenceRow, ImageRow, ListingImageRow, ListingRow, SightingRow, SiteRow
from ..core.text import without_surrogates
from .records import Capture, ImageFile, Listing

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class StoreResult:
    """What storing one listing did."""

    listing_id: int
    new: bool
    changed: bool  # title or images differ from the last sighting
    bad_images: tuple[tuple[str, str], ...]  # (URL, what is wrong with its bytes) of each image that is no use
    released: tuple[str, ...] = ()  # raw captures (paths under evidence_dir) no longer kept


def ensure_site(session: Session, name: str, base_url: str) -> SiteRow:
    """The site row called `name`, created or updated to `base_url`."""
    site = session.scalar(select(SiteRow).where(SiteRow.name == name))
    if site is None:
        try:
            with session.begin_nested():  # crawler processes starting together may both add it
                site = SiteRow(name=name, base_url=base_url)
                session.add(site)
                session.flush()
        except IntegrityError:
            site = session.scalars(select(SiteRow).where(SiteRow.name == name)).one()
    if site.base_url != base_url:
        site.base_url = base_url
    return site


def start_run(session: Session, site: SiteRow) -> CrawlRunRow:
    """A new crawl run for `site`, in state running."""
    run = CrawlRunRow(site_id=site.id, status="running", stats={})
    session.add(run)
    session.flush()
    return run


def store_image(session: Session, images_dir: Path, image: ImageFile) -> ImageRow | None:
    """The image row for a downloaded file (hashed once per content); None if nothing was downloaded."""
    if image.path is None:
        return None
    data = (images_dir / image.path).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    row = session.scalar(select(ImageRow).where(ImageRow.sha256 == digest))
    if row is not None:
        return row
    row = ImageRow(sha256=digest, path=image.path, source_url=image.url)
    try:
        hashes = compute_hashes(data)
    except BadImage as bad:
        row.error = bad.reason
    else:
        row.phash, row.dhash = hashes.phash, hashes.dhash
        row.whash, row.colorhash, row.segments = hashes.whash, hashes.colorhash, ",".join(hashes.segments)
        row.detail = hashes.detail
        row.width, row.height, row.format = hashes.width, hashes.height, hashes.format
    session.add(row)
    session.flush()
    return row


def content_hash(title: str, image_digests: list[str]) -> str:
    """A fingerprint of what a person sees: the normalised title and the image contents."""
    text = "".join(unicodedata.normalize("NFKC", without_surrogates(title)).casefold().split())
    return hashlib.sha256("\n".join([text, *image_digests]).encode()).hexdigest()


def store_listing(session: Session, site: SiteRow, run: CrawlRunRow | None, listing: Listing,
                  images_dir: Path) -> StoreResult:
    """Upsert the listing (unique per site + key) and record this sighting of it."""
    rows = [store_image(session, images_dir, image) for image in listing.images]
    images = [row for row in rows if row is not None]
    bad = tuple((row.source_url or row.sha256, row.error) for row in images if row.error)
    digest = content_hash(listing.title, [row.sha256 for row in images if not row.error])
    row = session.scalar(
        select(ListingRow).where(ListingRow.site_id == site.id,
                                 ListingRow.listing_key == listing.listing_key)
    )
    new = row is None
    if row is None:
        row = ListingRow(site_id=site.id, listing_key=listing.listing_key, first_seen=listing.fetched_at)
        session.add(row)
    changed = not new and row.content_hash != digest
    row.url, row.title, row.price, row.currency = listing.url, listing.title, listing.price, listing.currency
    row.seller, row.seller_location = listing.seller, listing.seller_location
    row.category, row.brand, row.problems = listing.category, listing.brand, list(listing.problems)
    row.seller_contacts = list(listing.seller_contacts)  # normalised and linked by alerts/sellers.py
    row.content_hash, row.last_seen = digest, listing.fetched_at or utcnow()
    row.last_run_id = run.id if run else None
    session.flush()
    if new or changed or len(row.images) != len(images):
        row.images.clear()
        session.flush()
        row.images.extend(ListingImageRow(position=i, image_id=img.id) for i, img in enumerate(images))
    _sight(session, row.id, run, listing)
    released = keep_raw_evidence(session, row.id, listing.raw) if listing.raw is not None else ()
    session.flush()
    return StoreResult(listing_id=row.id, new=new, changed=changed, bad_images=bad, released=released)


def _sight(session: Session, listing_id: int, run: CrawlRunRow | None, listing: Listing) -> None:
    """One sighting per listing per crawl run: a page fetched again after a resumed crawl updates it."""
    sighting = session.scalar(select(SightingRow).where(SightingRow.listing_id == listing_id,
                                                        SightingRow.crawl_run_id == run.id)) if run else None
    if sighting is None:
        sighting = SightingRow(listing_id=listing_id, crawl_run_id=run.id if run else None)
        session.add(sighting)
    sighting.seen_at, sighting.title, sighting.price = listing.fetched_at, listing.title, listing.price
    sighting.currency, sighting.seller = listing.currency, listing.seller


def keep_raw_evidence(session: Session, listing_id: int, raw: Capture) -> tuple[str, ...]:
    """Record the listing page's WARC as its latest raw capture. Older raw captures that no alert's
    evidence refers to are let go: their paths are returned for the caller to delete once committed."""
    session.add(EvidenceRow(listing_id=listing_id, alert_id=None, kind="warc", path=raw.path,
                            sha256=raw.sha256, size=raw.size))
    kept = select(EvidenceRow.path).where(EvidenceRow.alert_id.is_not(None))
    released = []
    for old in session.scalars(select(EvidenceRow).where(
            EvidenceRow.listing_id == listing_id, EvidenceRow.kind == "warc", EvidenceRow.alert_id.is_(None),
            EvidenceRow.path != raw.path, EvidenceRow.path.not_in(kept))):
        released.append(old.path)
        session.delete(old)
    return tuple(released)
