"""How the commands that run a round show it: live counts while the crawl runs, then each step's news."""

from __future__ import annotations

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn
from rich.table import Table

from ..pipeline import News
from ..spiders.crawl import CrawlReport

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


class RoundView:
    """A round on the terminal (`with RoundView(site) as view:`, then pass `view.progress` and `view.tell`
    to `pipeline.site_round`): the crawl's pages and listings counted live, then each step's news."""

    def __init__(self, site: str) -> None:
        self._live = Progress(SpinnerColumn(), TextColumn("{task.description}"), TextColumn("[bold]{task.completed}"),
                              console=console)
        self._tasks = {"page": self._live.add_task(f"{site}: pages fetched", total=None),
                       "listing": self._live.add_task(f"{site}: listings stored", total=None)}

    def __enter__(self) -> RoundView:
        return self

    def __exit__(self, *_exc: object) -> None:
        self._live.stop()

    def progress(self, kind: str) -> None:
        """One more page fetched or listing stored."""
        self._live.start()
        self._live.advance(self._tasks[kind])

    def tell(self, news: News) -> None:
        """A step's news: the crawl's report as a table, anything else as it is said."""
        self._live.stop()
        console.print(crawl_table(news) if isinstance(news, CrawlReport) else news)


def crawl_table(report: CrawlReport) -> Table:
    """The crawl's counts, one row per stat, bad inputs included."""
    table = Table(title=f"Crawl run {report.run_id} ({report.finish_reason})", show_header=False)
    for label, key in CRAWL_ROWS:
        table.add_row(label, str(report.count(key)))
    return table
