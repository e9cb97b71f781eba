"""Named outcomes of a crawl: each is counted in the run's stats and says what to do about it."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from scrapy.crawler import Crawler

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Outcome:
    """A thing that happened to one page or image, with the stat it counts under and the remedy."""

    stat: str
    remedy: str
    level: int = logging.WARNING


NOT_FOUND = Outcome("outcome/not_found", "the listing was removed or the link is stale; nothing to do")
HTTP_ERROR = Outcome("outcome/http_error", "the site answered with an error; it is retried on the next crawl")
FETCH_FAILED = Outcome("outcome/fetch_failed", "network error or timeout; check the site is reachable")
NO_PRICE = Outcome("outcome/no_price", "stored without a price; price rules are skipped for it", logging.INFO)
NO_TITLE = Outcome("outcome/no_title", "not a product page, or the profile's title selector is stale")
NO_RESULTS = Outcome("outcome/no_results", "the search found nothing for this term", logging.INFO)
BLOCKED = Outcome("outcome/blocked", "see the kind of block for what to do")
NEEDS_RENDERING = Outcome("outcome/needs_rendering", "the page is only a JavaScript shell (scripts, next to no "
                          "text): set needs_javascript: true on this search in the site's profile, or read the "
                          "site's API; it is not counted as 'no results'")
TOO_LARGE = Outcome("outcome/too_large", "the page is larger than IPWATCH_PAGE_MAX_BYTES; it is skipped")
REDIRECT_LOOP = Outcome("outcome/redirect_loop", "the page redirects without end: the site is broken or is turning "
                        "the crawler away; it is tried again on the next crawl")
OFFSITE = Outcome("outcome/offsite", "a redirect or link left the profile's domains; it was not followed")
PRIVATE_ADDRESS = Outcome("outcome/private_address", "a request led to a private, loopback or link-local address "
                          "and was not sent; if the site really is on your network, set private_addresses: true in "
                          "its profile or IPWATCH_ALLOW_PRIVATE_ADDRESSES=1")
BAD_IMAGE = Outcome("outcome/bad_image", "the image is skipped; the listing is still matched on its text")
IMAGE_FAILED = Outcome("outcome/image_failed", "the image could not be downloaded; it is skipped")
EVIDENCE_NOT_WRITTEN = Outcome(
    "outcome/evidence_not_written",
    "the raw page could not be written to the evidence folder (disk full?): free space under "
    "IPWATCH_DATA_DIR/evidence; the listing is stored and matched, its page is kept at the next crawl",
    logging.ERROR,
)
DATABASE_UNAVAILABLE = Outcome(
    "outcome/database_unavailable",
    "the database did not answer (restarting?); the write is tried again for a minute — if it stays away the "
    "crawl stops, and `ipwatch crawl ... --jobdir` with the same folder resumes it",
)
NO_BROWSER = Outcome(
    "outcome/no_browser",
    "JavaScript pages need Chromium: run `playwright install chromium` or install a system Chromium",
    logging.ERROR,
)


def record(crawler: Crawler | None, outcome: Outcome, subject: str, detail: str = "") -> None:
    """Count `outcome` in the crawl's stats and log it with its remedy."""
    if crawler is not None and crawler.stats is not None:
        crawler.stats.inc_value(outcome.stat)
    suffix = f" ({detail})" if detail else ""
    log.log(outcome.level, "%s: %s%s — %s", outcome.stat.split("/")[1], subject, suffix, outcome.remedy)
