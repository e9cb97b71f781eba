"""`ipwatch crawl PROFILE`: one crawl of one site, then matching and delivery."""

from __future__ import annotations

from pathlib import Path

import typer

from alerts.mail import deliver_pending
from ipwatch.cli.report import console, crawl_table, crawl_with_progress
from ipwatch.settings import Settings
from alerts.routing import Routing
from ipwatch.stages import match_listings
from ipwatch.storage import migrate
from ipwatch.storage.engine import Database
from spiders.profile import load_profile


def crawl(
    profile: str = typer.Argument(..., help="a site profile name (spiders/profiles/NAME.yaml) or a YAML path"),
    base_url: str | None = typer.Option(None, help="override the profile's base URL"),
    deliver: bool = typer.Option(True, help="send pending alerts after matching"),
    jobdir: Path | None = typer.Option(None, help="keep the crawl's frontier here; run again with the same "
                                                  "folder to resume a crawl that was stopped or killed"),
) -> None:
    """Crawl one marketplace for the stored watchlist's terms, match what was found, queue and send alerts."""
    settings = Settings()
    migrate.upgrade(settings)
    site = load_profile(profile)
    if base_url:
        site = site.model_copy(update={"base_url": base_url.rstrip("/")})
    report = crawl_with_progress(settings, site, None, jobdir=jobdir)
    database = Database(settings)
    try:
        match = match_listings(database, threshold=settings.match_threshold, run_id=report.run_id,
                               evidence=settings, routing=Routing.from_settings(settings),
                               images_dir=settings.images_dir)
        console.print(crawl_table(report))
        console.print(f"{match.listings} listings matched: {dict(match.outcomes) or 'no alerts'}")
        console.print(f"evidence: {match.evidence}")
        if deliver:
            console.print(f"delivery: {deliver_pending(database, settings)}")
    finally:
        database.dispose()
    if report.finish_reason != "finished":
        raise typer.Exit(1)
