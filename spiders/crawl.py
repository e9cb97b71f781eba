"""Run one crawl of one site profile in this process and report what it did."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import CrawlerProcess

from ..core.settings import Settings
from .config import scrapy_settings
from .frontier import Round
from .profile import SiteProfile
from .runs import close_unfinished
from .spiders.marketplace import MarketplaceSpider

log = logging.getLogger(__name__)

ProgressHook = Callable[[str], None]  # called with "page" or "listing"


@dataclass(frozen=True, slots=True)
class CrawlReport:
    """The counts of one crawl run, from Scrapy's stats."""

    run_id: int | None
    finish_reason: str
    stats: dict[str, Any] = field(default_factory=dict)

    def count(self, key: str) -> int:
        """A stat that may be absent, as an int."""
        return int(self.stats.get(key, 0) or 0)


class _AtLeast(logging.Filter):
    """Passes records of `level` or above."""

    def __init__(self, level: int) -> None:
        super().__init__()
        self.level = level

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= self.level


class _Process(CrawlerProcess):
    """Scrapy's process, noting whether a signal (SIGTERM, Ctrl-C) asked it to stop."""

    signalled: int | None = None

    def _signal_shutdown(self, signum: int, frame: Any) -> None:
        self.signalled = signum
        super()._signal_shutdown(signum, frame)


def run_crawl(settings: Settings, profile: SiteProfile, *, terms: Sequence[str] | None = None,
              on_progress: ProgressHook | None = None, jobdir: Path | None = None,
              shared: Round | None = None, launch: str | None = None) -> CrawlReport:
    """Crawl `profile` for `terms` (default: the stored watchlist's search terms); blocks until done.

    With `jobdir`, the crawl is resumable: run it again with the same folder after a kill and it
    continues the same crawl run. Scrapy's reactor cannot restart, so call this at most once per
    process (scheduled crawls run it in a child process).

    With `shared` (distributed mode), the frontier and duplicate filter are that Redis round's, shared
    with every other process crawling the same round (spiders/frontier.py). `launch` tags the crawl
    run with who started it, so that the launcher can find the run afterwards.
    """
    # ipwatch's own (rich) log handler stays in charge; Scrapy adds none of its own.
    extra = {**(shared.scrapy_settings() if shared else {}), "IPWATCH_LAUNCH": launch}
    # Scrapy's configure_logging sets its loggers to DEBUG and logs its versions while the process is
    # made; keep them at warnings unless the user asked for -v.
    verbose = logging.getLogger().getEffectiveLevel() <= logging.DEBUG
    quiet = logging.DEBUG if verbose else logging.WARNING
    for name in ("scrapy.utils.log", "scrapy.crawler"):  # a filter: Scrapy's dictConfig resets their levels
        logger = logging.getLogger(name)
        if not any(isinstance(f, _AtLeast) for f in logger.filters):
            logger.addFilter(_AtLeast(quiet))
    process = _Process({**scrapy_settings(settings, profile, jobdir), **extra, "LOG_INSTALL_ROOT_HANDLER": False})
    logging.getLogger("scrapy").setLevel(quiet)
    crawler = process.create_crawler(MarketplaceSpider)
    if on_progress is not None:
        def _page(response: Any, request: Any, spider: Any) -> None:
            on_progress("page")

        def _item(item: Any, response: Any, spider: Any) -> None:
            on_progress("listing")

        crawler.signals.connect(_page, signal=signals.response_received)
        crawler.signals.connect(_item, signal=signals.item_scraped)
    process.crawl(crawler, profile=profile, terms=list(terms) if terms is not None else None)
    process.start()
    stats = dict(crawler.stats.get_stats()) if crawler.stats else {}
    if stats.get("ipwatch/run_id") is not None and "finish_reason" not in stats:
        # stopped while the spider was opening (Scrapy then stops the reactor without closing the spider):
        # the run was opened but never closed
        reason = "shutdown" if process.signalled is not None else "failed"
        stats["finish_reason"] = close_unfinished(settings, int(stats["ipwatch/run_id"]), reason)
    return CrawlReport(run_id=stats.get("ipwatch/run_id"),
                       finish_reason=str(stats.get("finish_reason", "unknown")), stats=stats)
