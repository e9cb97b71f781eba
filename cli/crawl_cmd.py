"""`ipwatch crawl PROFILE`: one crawl of one site, then matching and delivery."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from types import FrameType

import typer

from ..alerts.mail import deliver_pending
from ..alerts.routing import Routing
from .report import console, crawl_table, crawl_with_progress
from ..core.settings import Settings
from ..pipeline import match_listings
from ..core.storage import migrate
from ..core.storage.engine import Database
from ..spiders.frontier import frontier_conflict, new_round_id, shared_round
from ..spiders.profile import SiteProfile, load_profile
from ..core.clock import utcnow
from ..spiders.runs import record_exit, unmatched


def crawl(
    profile: str = typer.Argument(..., help="a site profile name (spiders/profiles/NAME.yaml) or a YAML path"),
    base_url: str | None = typer.Option(None, help="override the profile's base URL"),
    deliver: bool = typer.Option(True, help="send pending alerts after matching"),
    match: bool = typer.Option(True, help="match the listings found and queue alerts (off: crawl only)"),
    jobdir: Path | None = typer.Option(None, help="keep the crawl's frontier here; run again with the same "
                                                  "folder to resume a crawl that was stopped or killed"),
    processes: int | None = typer.Option(None, min=1, max=64, help="crawler processes sharing a Redis frontier "
                                                                   "(default IPWATCH_CRAWL_PROCESSES)"),
    round_id: str | None = typer.Option(None, "--round", help="distributed mode: join this crawl round (the "
                                                              "same id on every machine); default a new one"),
    launch: str | None = typer.Option(None, hidden=True, help="tag the crawl run (set by the scheduler)"),
) -> None:
    """Crawl one marketplace for the stored watchlist's terms, match what was found, queue and send alerts."""
    settings = Settings()
    count = processes or settings.crawl_processes
    conflict = frontier_conflict(settings, jobdir, count)
    if conflict:
        console.print(f"[red]{conflict}[/red]")
        raise typer.Exit(2)
    migrate.upgrade(settings)
    site = load_profile(profile)
    if base_url:
        site = site.model_copy(update={"base_url": base_url.rstrip("/")})
    started = utcnow()
    if count > 1:
        run_ids, ok = _in_processes(settings, site, profile, base_url, count, round_id, launch)
    else:
        report = crawl_with_progress(settings, site, None, jobdir=jobdir, launch=launch,
                                     shared=shared_round(settings, site.name, round_id))
        console.print(crawl_table(report))
        run_ids, ok = [report.run_id], report.finish_reason == "finished"
    if match:
        earlier = _unmatched(settings, site.name, started)
        if earlier:
            console.print(f"{site.name}: also matching runs {', '.join(map(str, earlier))}, which ended unmatched")
        _match_and_deliver(settings, sorted({*earlier, *(run for run in run_ids if run is not None)}), deliver)
    if not ok:
        raise typer.Exit(1)


def _in_processes(settings: Settings, site: SiteProfile, profile: str, base_url: str | None, count: int,
                  round_id: str | None, launch: str | None) -> tuple[list[int], bool]:
    """Run `count` crawler processes on one Redis round and wait for all; SIGTERM is passed on to them."""
    round_id = round_id or new_round_id()
    launch = launch or f"crawl:{site.name}:{round_id}"
    since = utcnow()
    args = [sys.executable, "-m", "ipwatch.cli", "crawl", profile, "--round", round_id, "--processes", "1",
            "--launch", launch, "--no-match", "--no-deliver", *(["--base-url", base_url] if base_url else [])]
    console.print(f"{site.name}: round {round_id}, {count} crawler processes")
    children = [subprocess.Popen(args) for _ in range(count)]

    def _forward(signum: int, _frame: FrameType | None) -> None:
        for child in children:
            if child.poll() is None:
                child.send_signal(signum)

    previous = signal.signal(signal.SIGTERM, _forward)
    try:
        codes = [child.wait() for child in children]
    finally:
        signal.signal(signal.SIGTERM, previous)
    database = Database(settings)
    try:
        with database.session() as session:
            run_ids = record_exit(session, site=site.name, base_url=site.base_url, launch=launch, since=since,
                                  exit_codes=codes, log=None, error=None)
    finally:
        database.dispose()
    console.print(f"{site.name}: crawl runs {', '.join(map(str, run_ids))}; exit codes {codes}")
    return run_ids, not any(codes)


def _unmatched(settings: Settings, site: str, started: datetime) -> list[int]:
    database = Database(settings)
    try:
        with database.session() as session:
            return unmatched(session, site, started)
    finally:
        database.dispose()


def _match_and_deliver(settings: Settings, run_ids: Sequence[int], deliver: bool) -> None:
    database = Database(settings)
    try:
        for index, run_id in enumerate(run_ids):
            last = index == len(run_ids) - 1  # evidence is captured once, for every new alert
            match = match_listings(database, threshold=settings.match_threshold, run_id=run_id,
                                   evidence=settings if last else None, routing=Routing.from_settings(settings),
                                   images_dir=settings.images_dir)
            console.print(f"run {run_id}: {match.listings} listings matched: {dict(match.outcomes) or 'no alerts'}")
            if last:
                console.print(f"evidence: {match.evidence}")
        if deliver:
            console.print(f"delivery: {deliver_pending(database, settings)}")
    finally:
        database.dispose()
