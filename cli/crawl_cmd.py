"""`ipwatch crawl PROFILE`: one round of one site: crawl, match, evidence, delivery."""

from __future__ import annotations

from pathlib import Path

import typer

from ..core.settings import Settings
from ..core.storage import migrate
from ..pipeline import CannotCrawl, Crawl, site_round
from ..spiders.profile import load_profile
from .report import RoundView, console


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
) -> None:
    """Crawl one marketplace for the stored watchlist's terms, match what was found, queue and send alerts."""
    settings = Settings()
    site = load_profile(profile)
    if base_url:
        site = site.model_copy(update={"base_url": base_url.rstrip("/")})
    job = Crawl(profile=site, jobdir=jobdir, processes=processes or settings.crawl_processes, round_id=round_id)
    migrate.upgrade(settings)
    try:
        with RoundView(site.name) as view:
            report = site_round(settings, job, match=match, deliver=deliver, on_progress=view.progress,
                                tell=view.tell)
    except CannotCrawl as refused:
        console.print(f"[red]{refused}[/red]")
        raise typer.Exit(2) from None
    if not report.ok:
        raise typer.Exit(1)
