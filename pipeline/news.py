"""What a step says as it goes: a line of text, or a crawl's report (which the CLI shows as a table)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from ..spiders.crawl import CrawlReport

log = logging.getLogger("ipwatch.pipeline")
News = str | CrawlReport
Tell = Callable[[News], None]


def logged(news: News) -> None:
    """Tell by logging: where no terminal shows a round (a child process's log file)."""
    if isinstance(news, CrawlReport):
        news = (f"crawl run {news.run_id} ({news.finish_reason}): {news.count('response_received_count')} pages"
                f" fetched, {news.count('listings/stored')} listings seen, {news.count('listings/new')} new")
    log.info("%s", news)
