"""The crawl runs page: each run's counts and errors, each site's record, and a run's log file.

A log is read only from a path the run recorded that lies inside data_dir/logs (the scheduler writes
them there), at most its last LOG_TAIL bytes, decoded leniently; the page escapes it like any text.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from ..core.settings import Settings
from ..core.storage.models import CrawlRunRow, SiteRow
from ..evidence.retention import LOG_FOLDER
from ..spiders.runs import RunView, recent, view

LOG_TAIL = 256 * 1024
CHART_RUNS = 20  # runs per site in the listings-found chart
HEALTH = ("running", "finished", "failed", "blocked")


def health(run: RunView) -> str:
    """How a run went, in one word: running, finished, failed (any other end) or blocked (pages refused)."""
    if run.status == "running":
        return "running"
    if run.status != "finished" or (run.exit_code or 0) != 0:
        return "failed"
    return "blocked" if run.counts["blocked"] else "finished"


@dataclass(slots=True)
class SiteRecord:
    """One site's runs on the page: how many ended each way, and listings found per run (oldest first)."""

    name: str
    health: Counter[str] = field(default_factory=Counter)
    runs: list[str] = field(default_factory=list)
    listings: list[int] = field(default_factory=list)
    last: RunView | None = None


@dataclass(slots=True)
class CrawlRuns:
    """The runs shown (newest first) and the record of each site among them."""

    runs: list[RunView]
    sites: dict[str, SiteRecord]


def build(session: Session, *, site: str | None = None, status: str | None = None, limit: int = 100) -> CrawlRuns:
    """The latest runs (optionally of one site or status) and a record per site they belong to."""
    runs = recent(session, limit=limit, site=site, status=status)
    sites: dict[str, SiteRecord] = {}
    for run in runs:
        record = sites.setdefault(run.site, SiteRecord(run.site, last=run))
        record.health[health(run)] += 1
        if len(record.runs) < CHART_RUNS:
            record.runs.insert(0, f"#{run.id}")
            record.listings.insert(0, run.counts["found"] or run.counts["listings"])
    return CrawlRuns(runs=runs, sites=dict(sorted(sites.items())))


def one(session: Session, run_id: int) -> RunView | None:
    """The run with this id, or None."""
    row = session.get(CrawlRunRow, run_id)
    if row is None:
        return None
    return view(row, session.get(SiteRow, row.site_id).name)  # type: ignore[union-attr]


@dataclass(frozen=True, slots=True)
class LogText:
    """The end of a run's log, or why there is none to show."""

    text: str | None
    problem: str | None = None
    cut: bool = False  # only the end of a longer log is shown
    name: str = ""


def log_of(settings: Settings, run: RunView) -> LogText:
    """The run's log file, if it lies inside data_dir/logs; never a file elsewhere, whatever the run says."""
    if not run.log:
        return LogText(None, "this run kept no log file (crawls started by hand print to their terminal)")
    root = (settings.data_dir / LOG_FOLDER).resolve()
    try:
        path = Path(run.log)  # the scheduler records data_dir/logs/NAME; a relative one was relative to its cwd
        path = (path if path.is_absolute() else root / path.name).resolve()
    except (OSError, ValueError):
        return LogText(None, "the run names a log path that cannot be read")
    if not path.is_relative_to(root):
        return LogText(None, f"the run's log is not inside {LOG_FOLDER}/ of the data folder: not shown")
    if not path.is_file():
        return LogText(None, "the log file is gone (cleanup removes logs older than raw_days)", name=path.name)
    size = path.stat().st_size
    with path.open("rb") as handle:
        if size > LOG_TAIL:
            handle.seek(size - LOG_TAIL)
        data = handle.read(LOG_TAIL)
    return LogText(data.decode("utf-8", errors="replace"), cut=size > LOG_TAIL, name=path.name)
