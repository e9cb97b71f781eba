"""The crawl step: one site crawled for the watchlist's terms, in this process or in several crawler
processes that share one Redis round (spiders/frontier.py)."""

from __future__ import annotations

import signal
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from ..core.clock import utcnow
from ..core.settings import Settings
from ..core.storage.engine import Database
from ..spiders.crawl import ProgressHook, run_crawl
from ..spiders.frontier import frontier_conflict, new_round_id, shared_round
from ..spiders.profile import SiteProfile
from ..spiders.runs import record_exit
from .children import child, signal_children
from .news import Tell, logged


class Crawl(BaseModel):
    """One crawl of one site, as the crawl step (and a child process doing it) is given it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    profile: SiteProfile
    terms: tuple[str, ...] | None = Field(None, description="default: the stored watchlist's search terms")
    jobdir: Path | None = Field(None, description="keep the frontier here, so that the crawl can resume")
    processes: int = Field(1, ge=1, description="crawler processes sharing a Redis round")
    round_id: str | None = Field(None, description="the Redis round to join; default: a new one")
    launch: str | None = Field(None, description="tags the crawl runs with who started them")


class CannotCrawl(Exception):
    """The crawl's options cannot run together; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class Crawled:
    """What the crawl step left: its crawl runs, and whether the crawl finished."""

    run_ids: list[int]
    ok: bool


def crawl(settings: Settings, job: Crawl, *, on_progress: ProgressHook | None = None,
          tell: Tell = logged) -> Crawled:
    """The crawl step: `job.profile` crawled in this process, or in `job.processes` crawler processes on
    one Redis round; raises `CannotCrawl` for options that cannot run together."""
    conflict = frontier_conflict(settings, job.jobdir, job.processes)
    if conflict:
        raise CannotCrawl(conflict)
    if job.processes > 1:
        return _in_processes(settings, job, tell)
    report = run_crawl(settings, job.profile, terms=job.terms, jobdir=job.jobdir, launch=job.launch,
                       shared=shared_round(settings, job.profile.name, job.round_id), on_progress=on_progress)
    tell(report)
    return Crawled([report.run_id] if report.run_id is not None else [], report.finish_reason == "finished")


def _in_processes(settings: Settings, job: Crawl, tell: Tell) -> Crawled:
    """`job.processes` crawler processes on one Redis round, waited for; SIGTERM is passed on to them."""
    site = job.profile
    round_id = job.round_id or new_round_id()
    one = job.model_copy(update={"processes": 1, "round_id": round_id,
                                 "launch": job.launch or f"crawl:{site.name}:{round_id}"})
    since = utcnow()
    tell(f"{site.name}: round {round_id}, {job.processes} crawler processes")
    previous = signal.signal(signal.SIGTERM, lambda signum, _frame: signal_children(signum))
    try:
        with ExitStack() as running:
            crawlers = [running.enter_context(child("crawl", one)) for _ in range(job.processes)]
            codes = [crawler.wait() for crawler in crawlers]
    finally:
        signal.signal(signal.SIGTERM, previous)
    with Database(settings) as database, database.session() as session:
        run_ids = record_exit(session, site=site.name, base_url=site.base_url, launch=str(one.launch), since=since,
                              exit_codes=codes, log=None, error=None)
    tell(f"{site.name}: crawl runs {', '.join(map(str, run_ids))}; exit codes {codes}")
    return Crawled(run_ids, not any(codes))
