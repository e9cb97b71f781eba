"""The pipeline: crawl → match (alerts queued) → evidence → deliver, one function per step, and
`site_round`, which runs them for one site. `ipwatch crawl`, `ipwatch demo` and the scheduler's jobs
call these; nothing else wires the steps together.

    crawling.py  the crawl step, in this process or in crawler processes sharing a Redis round
    matching.py  the match step: stored listings × marks → alerts queued
    rounds.py    the evidence and delivery steps, a site's round, and a round in a child process
    children.py  child processes (`python -m ipwatch.pipeline STEP JOB`, __main__.py), signalled together
    news.py      how a step says what it did as it goes
"""

from .children import signal_children
from .crawling import CannotCrawl, Crawl, Crawled, crawl
from .matching import MatchReport, listing_from_row, listing_image, match_listings, match_runs
from .news import News, Tell
from .rounds import RoundReport, capture_evidence, deliver_alerts, round_in_child, site_round

__all__ = ["CannotCrawl", "Crawl", "Crawled", "MatchReport", "News", "RoundReport", "Tell", "capture_evidence",
           "crawl", "deliver_alerts", "listing_from_row", "listing_image", "match_listings", "match_runs",
           "round_in_child", "signal_children", "site_round"]
