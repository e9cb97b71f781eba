"""Crawl runs as the office sees them: what ran, when, how it ended, with its counts and errors.

A crawl started by the scheduler or by `ipwatch crawl --processes N` is tagged with a launch id
(`ipwatch/launch` in its stats), so that the launcher finds the runs its child processes made and
records how each child ended: its exit code, its log file, the end of its error output. A child that
died before it could open a crawl run still leaves one, in state `failed`, with its error.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.clock import utcnow
from ..core.settings import Settings
from ..core.storage.models import CrawlRunRow, SiteRow
from .store import ensure_site

# The counts shown for a run in `ipwatch crawls` (SUMMARY) and the UI's crawl runs page (COUNTS).
SUMMARY = (("pages", "response_received_count"), ("listings", "listings/stored"), ("new", "listings/new"),
           ("blocked", "coverage/pages_blocked"), ("failed", "coverage/pages_failed"), ("alerts", "alerts/created"))
COUNTS = (*SUMMARY, ("tried", "coverage/pages_tried"), ("read", "coverage/pages_read"),
          ("found", "coverage/listings_found"))
ERROR_TAIL = 2000


@dataclass(frozen=True, slots=True)
class RunView:
    """One crawl run, flattened for a table."""

    id: int
    site: str
    status: str
    started_at: datetime
    finished_at: datetime | None
    counts: dict[str, int]
    launch: str | None
    exit_code: int | None
    error: str | None
    log: str | None

    @property
    def duration(self) -> timedelta | None:
        return self.finished_at - self.started_at if self.finished_at else None


def _count(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def view(row: CrawlRunRow, site: str) -> RunView:
    """The table view of a stored crawl run."""
    stats: dict[str, Any] = row.stats or {}
    code = stats.get("ipwatch/exit_code")
    return RunView(id=row.id, site=site, status=row.status, started_at=row.started_at, finished_at=row.finished_at,
                   counts={label: _count(stats.get(key)) for label, key in COUNTS},
                   launch=stats.get("ipwatch/launch"), exit_code=int(code) if code is not None else None,
                   error=stats.get("ipwatch/error"), log=stats.get("ipwatch/log"))


def recent(session: Session, *, limit: int = 50, site: str | None = None,
           status: str | None = None) -> list[RunView]:
    """The latest crawl runs, newest first."""
    query = select(CrawlRunRow, SiteRow.name).join(SiteRow, SiteRow.id == CrawlRunRow.site_id)
    if site:
        query = query.where(SiteRow.name == site)
    if status:
        query = query.where(CrawlRunRow.status == status)
    rows = session.execute(query.order_by(CrawlRunRow.id.desc()).limit(limit)).all()
    return [view(row, name) for row, name in rows]


def launched(session: Session, site: str, launch: str, since: datetime) -> list[CrawlRunRow]:
    """The crawl runs of `site` a launcher tagged `launch`, started at or after `since`."""
    rows = session.scalars(select(CrawlRunRow).join(SiteRow, SiteRow.id == CrawlRunRow.site_id)
                           .where(SiteRow.name == site, CrawlRunRow.started_at >= since - timedelta(seconds=5))
                           .order_by(CrawlRunRow.id))
    return [row for row in rows if (row.stats or {}).get("ipwatch/launch") == launch]


def record_exit(session: Session, *, site: str, base_url: str, launch: str, since: datetime,
                exit_codes: Sequence[int], log: str | None, error: str | None) -> list[int]:
    """Record how the launch's child processes ended on their crawl runs; returns the run ids.

    A run still `running` belongs to a child that died mid-crawl: it becomes `failed`. With no run at
    all (the child failed before opening one), a `failed` run holds the error."""
    worst = next((code for code in exit_codes if code != 0), 0)
    runs = launched(session, site, launch, since)
    if not runs:
        runs = [CrawlRunRow(site_id=ensure_site(session, site, base_url).id, status="failed", stats={},
                            started_at=since)]
        session.add(runs[0])
    for run in runs:
        if run.status == "running":
            run.status = "failed"
        if run.status != "finished" or worst:
            run.finished_at = run.finished_at or utcnow()
        extra = {"ipwatch/launch": launch, "ipwatch/exit_code": worst, "ipwatch/log": log}
        if error and (worst or run.status != "finished"):
            extra["ipwatch/error"] = error[-ERROR_TAIL:]
        run.stats = {**(run.stats or {}), **{k: v for k, v in extra.items() if v is not None}}
    session.flush()
    return [run.id for run in runs]


def record_matching(session: Session, run_id: int, outcomes: Mapping[str, int]) -> None:
    """Add what matching the run's listings did (alerts created, refreshed, suppressed…) to its stats."""
    run = session.get(CrawlRunRow, run_id)
    if run is None:
        return
    stats = dict(run.stats or {})
    for outcome, count in outcomes.items():
        key = f"alerts/{outcome}"
        stats[key] = int(stats.get(key, 0) or 0) + int(count)
    stats.setdefault("alerts/created", 0)
    run.stats = stats


def unmatched(session: Session, site: str, ended_before: datetime) -> list[int]:
    """Runs of `site` that ended before `ended_before` but were never matched to the end (the crawl was
    killed while matching, or ran with --no-match): the next crawl of the site matches them too."""
    rows = session.execute(
        select(CrawlRunRow.id, CrawlRunRow.stats).join(SiteRow, SiteRow.id == CrawlRunRow.site_id)
        .where(SiteRow.name == site, CrawlRunRow.status != "running", CrawlRunRow.finished_at.is_not(None),
               CrawlRunRow.finished_at < ended_before)
        .order_by(CrawlRunRow.id)).all()
    return [run_id for run_id, stats in rows if "alerts/created" not in (stats or {})]


def close_unfinished(settings: Settings, run_id: int, reason: str) -> str:
    """End a run its crawl left `running` (stopped before Scrapy could close it) as `reason`; returns its status."""
    from ..core.storage.engine import Database

    with Database(settings) as database, database.session() as session:
        run = session.get(CrawlRunRow, run_id)
        if run is None:
            return reason
        if run.status == "running":
            run.status, run.finished_at = reason, utcnow()
            run.stats = {**(run.stats or {}), "finish_reason": reason}
        return run.status
