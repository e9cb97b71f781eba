"""The match step: stored listings scored against the stored marks, and an alert queued per new match
(the office's allow-list taught by triage suppresses the ones it names)."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..alerts.allowlist import allowed_by, patterns
from ..alerts.queue import enqueue
from ..alerts.routing import Routing
from ..core.images import ImageHashes, ListingImage
from ..core.settings import Settings
from ..core.storage.engine import Database
from ..core.storage.models import ImageRow, ListingImageRow, ListingRow, MarkRow, SiteRow
from ..matchers.scorer import Scorer
from ..spiders.records import ImageFile, Listing
from ..spiders.runs import record_matching
from ..watchlist.store import load_marks, reference_hashes
from .news import Tell, logged

log = logging.getLogger(__name__)
BATCH = 200


@dataclass(slots=True)
class MatchReport:
    """What one matching pass did: listings scored and what happened to each alert."""

    listings: int = 0
    matches: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)

    def add(self, other: MatchReport) -> None:
        """Count `other`'s pass in this one."""
        self.listings += other.listings
        self.matches += other.matches
        self.outcomes.update(other.outcomes)


def listing_from_row(row: ListingRow, site_name: str) -> Listing:
    """The `Listing` record of a stored listing, as the matchers see it."""
    return Listing(
        site=site_name, listing_key=row.listing_key, url=row.url, title=row.title,
        price=row.price, currency=row.currency, seller=row.seller,
        seller_location=row.seller_location, category=row.category, brand=row.brand,
        images=tuple(ImageFile(url=link.image.source_url or "", path=link.image.path)
                     for link in row.images),
        fetched_at=row.last_seen, problems=tuple(row.problems or ()),
    )


def _listing_batches(database: Database, run_id: int | None) -> Iterator[list[int]]:
    """Ids of the listings to match, BATCH at a time, read page by page (keyset on the id) so that
    memory does not grow with the number of listings (bench/load_pipeline.py: 1,000,000)."""
    after = 0
    while True:
        query = select(ListingRow.id).where(ListingRow.id > after).order_by(ListingRow.id).limit(BATCH)
        if run_id is not None:
            query = query.where(ListingRow.last_run_id == run_id)
        with database.session() as session:
            ids = list(session.scalars(query))
        if not ids:
            return
        yield ids
        after = ids[-1]


def listing_image(row: ImageRow, images_dir: Path | None) -> ListingImage:
    """A stored image as the image matchers read it: its hashes, and its file when `images_dir` is given."""
    hashes = ImageHashes(phash=row.phash or "", dhash=row.dhash or "", width=row.width or 0,
                         height=row.height or 0, format=row.format or "unknown", whash=row.whash or "",
                         colorhash=row.colorhash or "", segments=tuple(filter(None, (row.segments or "").split(","))),
                         detail=row.detail or "")
    path = images_dir / row.path if images_dir is not None and row.path else None
    return ListingImage(row.source_url or row.path or row.sha256, path, hashes)


def _match_batch(session: Session, scorer: Scorer, ids: list[int], report: MatchReport,
                 images_dir: Path | None = None, routing: Routing | None = None) -> None:
    rows = session.scalars(
        select(ListingRow).where(ListingRow.id.in_(ids))
        .options(selectinload(ListingRow.images).selectinload(ListingImageRow.image))
    ).all()
    sites = dict(session.execute(select(SiteRow.id, SiteRow.name)).all())
    marks = {row.id: row for row in session.scalars(select(MarkRow))}
    allowed = patterns(session)  # office allow-list: taught by false positives in triage
    for row in rows:
        listing = listing_from_row(row, sites[row.site_id])
        images = [listing_image(link.image, images_dir) for link in row.images if link.image.phash]
        report.listings += 1
        for match in scorer.match(listing, images=images):
            report.matches += 1
            if allowed_by(row, match.mark_id, allowed):
                report.outcomes["allow_listed"] += 1
                continue
            report.outcomes[enqueue(session, row, match, marks[match.mark_id], routing=routing)] += 1


def match_listings(database: Database, *, threshold: float, run_id: int | None = None,
                   on_batch: Callable[[int], None] | None = None, images_dir: Path | None = None,
                   routing: Routing | None = None) -> MatchReport:
    """Score stored listings (those of `run_id`, or all) and queue an alert per new match. With
    `images_dir` (Settings.images_dir), logo search and text in images look at the image files too."""
    with database.session() as session:
        marks = load_marks(session)
        scorer = Scorer.from_marks(marks, threshold=threshold,
                                   reference_hashes=reference_hashes(session))
    report = MatchReport()
    for ids in _listing_batches(database, run_id):
        with database.session() as session:  # one transaction per batch: matches and alerts together
            _match_batch(session, scorer, ids, report, images_dir, routing)
        if on_batch:
            on_batch(len(ids))
    if run_id is not None:  # the crawl runs page shows how many alerts each run raised
        with database.session() as session:
            record_matching(session, run_id, report.outcomes)
    return report


def match_runs(settings: Settings, run_ids: Sequence[int], *, tell: Tell = logged) -> MatchReport:
    """The match step: the listings of each crawl run in `run_ids` matched and their alerts queued (the
    runs then count as matched); the total of every run's pass."""
    total = MatchReport()
    routing = Routing.from_settings(settings)
    with Database(settings) as database:
        for run_id in run_ids:
            report = match_listings(database, threshold=settings.match_threshold, run_id=run_id,
                                    routing=routing, images_dir=settings.images_dir)
            tell(f"run {run_id}: {report.listings} listings matched: {dict(report.outcomes) or 'no alerts'}")
            total.add(report)
    return total
