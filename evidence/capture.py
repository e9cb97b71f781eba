"""Evidence for every alert: the listing page as fetched (WARC), a full-page screenshot of it, the
extracted fields, each with its SHA-256, appended to the hash chain (spiders/chain.py).

Capture runs after matching, for alerts that lack some of their evidence, so it is idempotent and a
capture that failed (say, Chromium missing) is completed by the next run.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.clock import utcnow
from ..core.files import sha256_file, write_whole
from ..core.settings import Settings
from ..core.storage.engine import Database
from ..core.storage.models import AlertRow, EvidenceRow, ImageRow, ListingImageRow, ListingRow, SiteRow
from . import chain
from .screenshot import Shot, photograph
from .warc import read_response

log = logging.getLogger(__name__)
KINDS = ("warc", "fields", "screenshot")
REMEDIES = {
    "no_raw_page": "the listing was stored before raw pages were kept: it gets a WARC at its next crawl",
    "raw_page_altered": "the kept page no longer has the hash recorded at the crawl: restore it from backup",
    "screenshot_failed": "Chromium could not render the page: it is tried again after the next crawl",
    "disk_full": "the evidence folder could not be written (disk full?): free space under IPWATCH_DATA_DIR/evidence,"
                 " then run `ipwatch evidence capture`; the alerts themselves are kept and sent",
}


@dataclass(slots=True)
class CaptureReport:
    """What one capture pass did: alerts completed, files chained, and named outcomes."""

    alerts: int = 0
    files: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)

    def __str__(self) -> str:
        problems = ", ".join(f"{count} {name.replace('_', ' ')}" for name, count in sorted(self.outcomes.items()))
        return f"evidence for {self.alerts} alert(s), {self.files} file(s) chained" + \
            (f"; {problems}" if problems else "")


@dataclass(slots=True)
class _Job:
    alert: AlertRow
    listing: ListingRow
    site: str
    have: set[str]
    raw: EvidenceRow | None = None
    entries: list[dict[str, Any]] = field(default_factory=list)


def alert_folder(alert_id: int) -> Path:
    """Where an alert's own evidence files go, relative to the evidence folder."""
    return Path("alerts") / f"{alert_id:08d}"


def fields_record(alert: AlertRow, listing: ListingRow, site: str) -> dict[str, Any]:
    """The extracted fields as they were when the alert was raised, with the alert they support."""
    return {
        "site": site, "listing_key": listing.listing_key, "url": listing.url, "title": listing.title,
        "price": listing.price, "currency": listing.currency, "seller": listing.seller,
        "seller_location": listing.seller_location, "category": listing.category, "brand": listing.brand,
        "first_seen": listing.first_seen.isoformat(), "last_seen": listing.last_seen.isoformat(),
        "alert": {"id": alert.id, "mark_id": alert.mark_id, "score": alert.score, "severity": alert.severity,
                  "reasons": alert.reasons, "created_at": alert.created_at.isoformat()},
    }


def _pending(session: Session, limit: int | None) -> list[_Job]:
    have: dict[int, set[str]] = {}
    for alert_id, kind in session.execute(select(EvidenceRow.alert_id, EvidenceRow.kind)
                                          .where(EvidenceRow.alert_id.is_not(None))):
        have.setdefault(cast(int, alert_id), set()).add(kind)  # not None: the query says so
    sites = {site_id: name for site_id, name in session.execute(select(SiteRow.id, SiteRow.name))}
    jobs = []
    for alert in session.scalars(select(AlertRow).order_by(AlertRow.id)):
        kinds = have.get(alert.id, set())
        if set(KINDS) <= kinds:
            continue
        listing = alert.listing
        raw = session.scalars(select(EvidenceRow).where(
            EvidenceRow.listing_id == listing.id, EvidenceRow.kind == "warc", EvidenceRow.alert_id.is_(None))
            .order_by(EvidenceRow.id.desc())).first()
        jobs.append(_Job(alert, listing, sites.get(listing.site_id, "?"), kinds, raw))
        if limit is not None and len(jobs) >= limit:
            break
    return jobs


def _entry(job: _Job, kind: str, path: str, sha256: str, size: int) -> dict[str, Any]:
    return {"kind": kind, "path": path, "sha256": sha256, "size": size, "alert_id": job.alert.id,
            "listing_id": job.listing.id, "site": job.site, "listing_key": job.listing.listing_key,
            "url": job.listing.url, "at": utcnow().isoformat()}


def _write(evidence_dir: Path, relative: Path, data: bytes) -> tuple[str, str, int]:
    target = evidence_dir / relative
    write_whole(target, data)
    digest, size = sha256_file(target)
    return relative.as_posix(), digest, size


def _images_of(session: Session, listing: ListingRow, images_dir: Path) -> dict[str, Path]:
    rows = session.execute(select(ImageRow.source_url, ImageRow.path).join(
        ListingImageRow, ListingImageRow.image_id == ImageRow.id).where(ListingImageRow.listing_id == listing.id))
    return {url: images_dir / path for url, path in rows if url and path}


def capture_pending(database: Database, settings: Settings, *, limit: int | None = None) -> CaptureReport:
    """Capture and chain the missing evidence of every alert (or of the first `limit` lacking some)."""
    report = CaptureReport()
    evidence_dir = settings.evidence_dir
    with database.session() as session:
        jobs = _pending(session, limit)
        shots: list[tuple[_Job, Shot]] = []
        for job in jobs:
            raw_path = evidence_dir / job.raw.path if job.raw else None
            if job.raw is None or raw_path is None or not raw_path.is_file():
                report.outcomes["no_raw_page"] += 1
            elif sha256_file(raw_path)[0] != job.raw.sha256:
                report.outcomes["raw_page_altered"] += 1
                log.error("alert %d: %s — %s", job.alert.id, job.raw.path, REMEDIES["raw_page_altered"])
                job.raw = None
            elif "warc" not in job.have:
                job.entries.append(_entry(job, "warc", job.raw.path, job.raw.sha256, job.raw.size))
            if "fields" not in job.have:
                data = json.dumps(fields_record(job.alert, job.listing, job.site), ensure_ascii=False,
                                  sort_keys=True, indent=1).encode()
                try:
                    written = _write(evidence_dir, alert_folder(job.alert.id) / "fields.json", data)
                except OSError as exc:
                    _not_written(report, f"alert {job.alert.id}: fields.json", exc)
                else:
                    job.entries.append(_entry(job, "fields", *written))
            if "screenshot" not in job.have and job.raw is not None and raw_path is not None:
                archived = read_response(raw_path)
                if archived is not None:
                    target = evidence_dir / alert_folder(job.alert.id) / "screenshot.png"
                    shots.append((job, Shot(archived, _images_of(session, job.listing, settings.images_dir),
                                            target)))
    failures = photograph([shot for _, shot in shots], settings.chromium_path)
    for (job, shot), failure in zip(shots, failures, strict=True):
        if failure is not None and _disk_full(failure):
            shot.target.unlink(missing_ok=True)  # whatever part of the PNG was written is no evidence
            _not_written(report, f"alert {job.alert.id}: screenshot", OSError(28, failure))
            continue
        if failure is not None:
            report.outcomes["screenshot_failed"] += 1
            log.warning("alert %d: screenshot failed (%s) — %s", job.alert.id, failure, REMEDIES["screenshot_failed"])
            continue
        digest, size = sha256_file(shot.target)
        job.entries.append(_entry(job, "screenshot", shot.target.relative_to(evidence_dir).as_posix(), digest, size))
    _chain_and_record(database, evidence_dir, jobs, report)
    return report


def _disk_full(failure: str) -> bool:
    return "ENOSPC" in failure or "No space left" in failure


def _not_written(report: CaptureReport, what: str, exc: OSError) -> None:
    report.outcomes["disk_full"] += 1
    log.error("evidence: %s not written (%s) — %s", what, exc.strerror or exc, REMEDIES["disk_full"])


def _chain_and_record(database: Database, evidence_dir: Path, jobs: list[_Job], report: CaptureReport) -> None:
    """Append every new file to the chain first, then record it: a row always has its chain entry."""
    entries = [entry for job in jobs for entry in job.entries]
    if not entries:
        return
    try:
        chained = chain.append(evidence_dir, entries)
    except OSError as exc:  # nothing was chained or recorded: the next capture does these files again
        _not_written(report, f"{len(entries)} chain entries", exc)
        return
    with database.session() as session:
        for entry in chained:
            session.add(EvidenceRow(listing_id=entry["listing_id"], alert_id=entry["alert_id"], kind=entry["kind"],
                                    path=entry["path"], sha256=entry["sha256"], size=entry["size"],
                                    chain_hash=entry["hash"]))
    report.files += len(chained)
    report.alerts += len({entry["alert_id"] for entry in chained})
