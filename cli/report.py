"""Progress and summary tables shared by the commands that crawl."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn
from rich.table import Table

from ..core.settings import Settings
from ..spiders.crawl import CrawlReport, run_crawl
from ..spiders.frontier import Round
from ..spiders.profile import SiteProfile

console = Console()

CRAWL_ROWS = [
    ("pages fetched", "response_received_count"),
    ("search result pages", "pages/search"),
    ("listing pages", "pages/listing"),
    ("pages rendered by Chromium (JavaScript)", "playwright/request_count/resource_type/document"),
    ("GBK-encoded pages", "pages/encoding/gbk"),
    ("listings seen", "listings/stored"),
    ("  new listings", "listings/new"),
    ("  seen before", "listings/seen_again"),
    ("images downloaded", "file_count"),
    ("pages not found (404)", "outcome/not_found"),
    ("other HTTP errors", "outcome/http_error"),
    ("fetch failures", "outcome/fetch_failed"),
    ("listings without a price", "outcome/no_price"),
    ("broken images (skipped)", "outcome/bad_image"),
    ("images that failed to download", "outcome/image_failed"),
    ("JavaScript pages skipped (no Chromium)", "outcome/no_browser"),
    ("blocked by robots.txt", "robotstxt/forbidden"),
    ("coverage: pages tried", "coverage/pages_tried"),
    ("coverage: pages read", "coverage/pages_read"),
    ("coverage: pages blocked (captcha, login, slider, rate limit)", "coverage/pages_blocked"),
    ("coverage: pages failed", "coverage/pages_failed"),
    ("coverage: listings found", "coverage/listings_found"),
]


def crawl_with_progress(settings: Settings, profile: SiteProfile,
                        terms: Sequence[str] | None, jobdir: Path | None = None,
                        shared: Round | None = None, launch: str | None = None) -> CrawlReport:
    """Run one crawl with a live count of pages fetched and listings stored."""
    with Progress(SpinnerColumn(), TextColumn("{task.description}"),
                  TextColumn("[bold]{task.completed}"), console=console) as progress:
        tasks = {"page": progress.add_task(f"{profile.name}: pages fetched", total=None),
                 "listing": progress.add_task(f"{profile.name}: listings stored", total=None)}
        return run_crawl(settings, profile, terms=terms, jobdir=jobdir, shared=shared, launch=launch,
                         on_progress=lambda kind: progress.advance(tasks[kind]))


def crawl_table(report: CrawlReport) -> Table:
    """The crawl's counts, one row per stat, bad inputs included."""
    table = Table(title=f"Crawl run {report.run_id} ({report.finish_reason})", show_header=False)
    for label, key in CRAWL_ROWS:
        table.add_row(label, str(report.count(key)))
    return table
