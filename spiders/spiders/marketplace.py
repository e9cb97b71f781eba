"""The marketplace spider: searches a site profile for each watched term and reads every listing found.

Every request goes through the crawl's journal (spiders/journal.py) so that a killed crawl resumes;
every page is checked for a block before it is read; every outcome is counted.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from ...core.settings import Settings
from .. import outcomes
from ..blocking import Blocked, blocked_by
from ..browser import browser_available
from ..browsing import page_methods
from ..encoding import family, with_detected_encoding
from ..extract import extract_fields, listing_from, results_on_page, select
from ..journal import Entry, Journal
from ..profile import SearchEntry, SiteProfile, load_profile, on_domain
from ..raw import keep_raw
from ..records import Listing
from ..shell import is_shell


def _terms_from_database(settings: Settings, profile: SiteProfile) -> list[str]:
    from ...core.storage.engine import Database
    from ..queries import stored_search_terms

    with Database(settings) as database, database.session() as session:
        return stored_search_terms(session, budget=profile.search_budget)


class MarketplaceSpider(scrapy.Spider):
    """Search one marketplace (a site profile) for watched terms, or read the product pages given as
    `urls`; yield a Listing per product page."""

    name = "marketplace"
    download_delay: float  # set from the profile when Scrapy's settings say less (see from_crawler)

    def __init__(self, profile: str | SiteProfile = "demo", base_url: str | None = None,
                 terms: str | Sequence[str] | None = None, urls: str | Sequence[str] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # Product pages to read directly, without searching: `-a urls=https://…,https://…`.
        self.urls = [url for url in (urls.split(",") if isinstance(urls, str) else urls or ()) if url.strip()]
        self.profile = profile if isinstance(profile, SiteProfile) else load_profile(profile)
        if base_url:
            self.profile = self.profile.model_copy(update={"base_url": base_url.rstrip("/")})
        self.terms = terms.split(",") if isinstance(terms, str) else terms
        self.allowed_domains = self.profile.allowed_domains
        self.journal = Journal(None)
        self.resume_run_id: int | None = None
        self.shared = False  # distributed mode: the frontier is a Redis round (spiders/frontier.py)
        self._outstanding: Counter[str] = Counter()  # items yielded per request, not yet stored
        self._finished: dict[str, str] = {}  # request → outcome, once its callback has run

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> MarketplaceSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        if crawler.settings.getfloat("DOWNLOAD_DELAY") < spider.profile.download_delay:
            spider.download_delay = spider.profile.download_delay  # `scrapy crawl`: settings know no profile
        jobdir = crawler.settings.get("IPWATCH_JOBDIR")
        spider.journal = Journal(Path(jobdir) if jobdir else None)
        spider.shared = crawler.settings.getbool("IPWATCH_SHARED_FRONTIER")
        if spider.shared:
            crawler.signals.connect(spider._dropped, signal=signals.request_dropped)
        spider._resume_or_reset()
        crawler.signals.connect(spider._item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(spider._item_failed, signal=signals.item_error)
        crawler.signals.connect(spider._item_failed, signal=signals.item_dropped)
        return spider

    def _resume_or_reset(self) -> None:
        """Resume the unfinished crawl of this profile in the job folder, or start it afresh."""
        state = {key: self.journal.get(key) for key in ("profile", "run_id", "finished")}
        started = bool(self.journal.outcomes())  # killed before its requests were journaled: start afresh
        if state["run_id"] is not None and not state["finished"] and state["profile"] == self.profile.name \
                and started:
            self.resume_run_id = int(state["run_id"])
            self.logger.warning("resuming crawl run %d of %s from %s", self.resume_run_id, self.profile.name,
                                self.crawler.settings.get("IPWATCH_JOBDIR"))
        elif state["run_id"] is not None:
            self.journal.reset()

    # -- requests ---------------------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[scrapy.Request]:
        """The journal's pending requests: the saved ones when resuming, else every term × search form."""
        if self.resume_run_id is None and self.urls:
            self.journal.put("profile", self.profile.name)
            self.journal.add_many([("listing", url.strip(), {}) for url in self.urls
                                   if on_domain(url.strip(), self.allowed_domains)])
        elif self.resume_run_id is None:
            settings: Settings = self.settings["IPWATCH_SETTINGS"]
            terms = self.terms if self.terms is not None else _terms_from_database(settings, self.profile)
            has_browser = browser_available(settings.chromium_path)
            entries: list[tuple[str, str, dict[str, Any]]] = []
            for index, entry in enumerate(self.profile.searches):
                if entry.needs_javascript and not has_browser:
                    outcomes.record(self.crawler, outcomes.NO_BROWSER, entry.url, f"{len(terms)} searches")
                    continue
                for term in terms:
                    url = entry.page_url(self.profile.base_url, term, 1)
                    entries.append(("search", url, {"entry": index, "page": 1, "term": term}))
            self.journal.put("profile", self.profile.name)
            self.journal.put("terms", list(terms))
            self.journal.add_many(entries)
        for pending in self.journal.pending():
            yield self._request(pending)

    def _request(self, entry: Entry) -> scrapy.Request:
        meta: dict[str, Any] = {"journal": entry.fingerprint, **entry.params}
        javascript = self.profile.listing_needs_javascript
        callback: Callable[[Response], Iterator[scrapy.Request | Listing]] = self.parse_listing
        if entry.kind == "search":
            search = self.profile.searches[entry.params["entry"]]
            javascript, callback = search.needs_javascript, self.parse_results
            if javascript:
                meta["playwright_page_methods"] = page_methods(search)
        elif javascript:
            meta["playwright_page_methods"] = page_methods(None)
        if javascript:
            meta["playwright"] = True
        headers = dict(self.profile.headers)
        if self.profile.cookies:
            headers["Cookie"] = "; ".join(f"{key}={value}" for key, value in self.profile.cookies.items())
        # The journal is the duplicate filter: Scrapy's would drop a redirect back to a page already seen
        # without telling anyone, leaving its journal entry pending for ever. DomainGuardMiddleware, not
        # the offsite filter (which lets dont_filter through), keeps requests on the profile's domains.
        # In distributed mode the shared duplicate filter in Redis decides, across every crawler process.
        return scrapy.Request(entry.url, callback=callback, errback=self.on_error, meta=meta, headers=headers,
                              dont_filter=not self.shared)

    def _follow(self, kind: str, url: str, params: dict[str, Any]) -> scrapy.Request | None:
        """A request for a page found on this one: journaled first; None if offsite or a duplicate."""
        if not on_domain(url, self.allowed_domains):
            outcomes.record(self.crawler, outcomes.OFFSITE, url)
            return None
        entry = self.journal.add(kind, url, params)
        return self._request(entry) if entry else None

    # -- callbacks --------------------------------------------------------------------------------------

    def _check(self, response: Response) -> str | None:
        """The outcome that stops this page from being read ('blocked', 'skipped'), or None."""
        settings: Settings = self.settings["IPWATCH_SETTINGS"]
        blocked = blocked_by(response, self.profile)
        if blocked is not None:
            self._record_block(blocked)
            return "blocked"
        if not on_domain(response.url, self.allowed_domains):
            outcomes.record(self.crawler, outcomes.OFFSITE, response.url, "the page ended up off the site")
            return "skipped"
        if len(response.body) > settings.page_max_bytes:
            outcomes.record(self.crawler, outcomes.TOO_LARGE, response.url, f"{len(response.body)} bytes")
            return "skipped"
        return None

    def _record_block(self, blocked: Blocked) -> None:
        self.crawler.stats.inc_value(f"blocked/{blocked.kind}")
        outcomes.record(self.crawler, outcomes.BLOCKED, blocked.url,
                        f"{blocked.kind}, HTTP {blocked.status}: {blocked.remedy}")

    def parse_results(self, response: Response) -> Iterator[scrapy.Request | Listing]:
        """Follow every result to its listing page (or read the listings on the page), then the next page."""
        fp = response.meta["journal"]
        stopped = self._check(response)
        if stopped:
            self._finish(fp, stopped)
            return
        self.crawler.stats.inc_value("pages/search")
        entry: SearchEntry = self.profile.searches[response.meta["entry"]]
        if isinstance(response, TextResponse):
            response = with_detected_encoding(response)
        found = 0
        if entry.listings_on_page and isinstance(response, TextResponse):
            raw = None  # the results page is the raw evidence of every listing read from it
            for item in results_on_page(response, self.profile):
                listing = listing_from(item, response.url, self.profile, from_results=True)
                if listing.title and on_domain(listing.url, self.allowed_domains):
                    found += 1
                    raw = raw or self._keep_raw(response, listing, key=f"results {response.url}")
                    yield self._yield(fp, dataclasses.replace(listing, raw=raw))
        elif isinstance(response, TextResponse):
            for href in select(response, self.profile.selectors.result_link):
                found += 1
                request = self._follow("listing", urljoin(response.url, href), {})
                if request is not None:
                    yield request
        if not found and is_shell(response):
            outcomes.record(self.crawler, outcomes.NEEDS_RENDERING, response.url, response.meta.get("term", ""))
            self._finish(fp, "skipped")
            return
        if not found:
            outcomes.record(self.crawler, outcomes.NO_RESULTS, response.url, response.meta.get("term", ""))
        next_request = self._next_page(response, entry, found)
        if next_request is not None:
            yield next_request
        self._finish(fp, "fetched")

    def _next_page(self, response: Response, entry: SearchEntry, found: int) -> scrapy.Request | None:
        page = response.meta["page"]
        if page >= entry.max_pages or not found:
            return None
        params = {"entry": response.meta["entry"], "page": page + 1, "term": response.meta.get("term", "")}
        if entry.paged_by_url:
            url = entry.page_url(self.profile.base_url, params["term"], page + 1)
        else:
            href = next(iter(select(response, self.profile.selectors.next_page)), None) \
                if isinstance(response, TextResponse) else None
            if not href:
                return None
            url = urljoin(response.url, href)
        return self._follow("search", url, params)

    def parse_listing(self, response: Response) -> Iterator[Listing]:
        """Read the listing on a product page; keep the raw response; count what is missing."""
        fp = response.meta["journal"]
        stopped = self._check(response)
        if stopped:
            self._finish(fp, stopped)
            return
        self.crawler.stats.inc_value("pages/listing")
        if not isinstance(response, TextResponse):
            outcomes.record(self.crawler, outcomes.NO_TITLE, response.url, "not a text page")
            self._finish(fp, "fetched")
            return
        response = with_detected_encoding(response)
        legacy = family(response.encoding)
        if legacy:
            self.crawler.stats.inc_value(f"pages/encoding/{legacy}")
        fields = extract_fields(response, self.profile)
        if is_shell(response, fields):
            outcomes.record(self.crawler, outcomes.NEEDS_RENDERING, response.url)
            self._finish(fp, "skipped")
            return
        listing = listing_from(fields, response.url, self.profile)
        if not listing.title:
            outcomes.record(self.crawler, outcomes.NO_TITLE, response.url)
            self._finish(fp, "fetched")
            return
        if listing.price is None:
            outcomes.record(self.crawler, outcomes.NO_PRICE, response.url)
        yield self._yield(fp, dataclasses.replace(listing, raw=self._keep_raw(response, listing)))
        self._finish(fp, "fetched")

    def _keep_raw(self, response: Response, listing: Listing, key: str | None = None) -> Any:
        """Write the page as a WARC under the evidence folder (see spiders/warc.py)."""
        settings: Settings = self.settings["IPWATCH_SETTINGS"]
        fetched_by = "chromium" if response.meta.get("playwright") else "scrapy"
        try:
            return keep_raw(settings.evidence_dir, self.profile.name, key or listing.listing_key, response,
                            fetched_at=listing.fetched_at, fetched_by=fetched_by,
                            context={"site": self.profile.name, "listing_key": listing.listing_key,
                                     "fetched_at": listing.fetched_at.isoformat(), "software": "ipwatch"})
        except OSError as exc:  # a full disk must not lose the listing: it is stored without its raw page
            outcomes.record(self.crawler, outcomes.EVIDENCE_NOT_WRITTEN, response.url, exc.strerror or str(exc))
            return None

    def on_error(self, failure: Failure) -> None:
        """A page that could not be read: a named outcome, never a crash."""
        request = failure.request  # type: ignore[attr-defined]
        fp = request.meta.get("journal")
        outcome = "failed"
        if failure.check(HttpError):
            response = failure.value.response
            blocked = blocked_by(response, self.profile)
            if blocked is not None:
                self._record_block(blocked)
                outcome = "blocked"
            elif response.status in (404, 410):
                outcomes.record(self.crawler, outcomes.NOT_FOUND, request.url, f"HTTP {response.status}")
            else:
                outcomes.record(self.crawler, outcomes.HTTP_ERROR, request.url, f"HTTP {response.status}")
        elif failure.check(IgnoreRequest):
            outcome = "skipped"  # robots.txt, an offsite redirect: counted by the middleware that refused it
            if "redirect" in str(failure.value).lower():
                outcomes.record(self.crawler, outcomes.REDIRECT_LOOP, request.url, str(failure.value)[:120])
                outcome = "failed"
        elif failure.check(DownloadCancelledError):
            outcomes.record(self.crawler, outcomes.TOO_LARGE, request.url, str(failure.value)[:160])
            outcome = "skipped"
        else:
            outcomes.record(self.crawler, outcomes.FETCH_FAILED, request.url, repr(failure.value)[:200])
        if fp:
            self._finish(fp, outcome)

    # -- done-marking -------------------------------------------------------------------------------------

    def _yield(self, fp: str, listing: Listing) -> Listing:
        self._outstanding[fp] += 1
        return listing

    def _finish(self, fp: str, outcome: str) -> None:
        self._finished[fp] = outcome
        self._maybe_done(fp)

    def _maybe_done(self, fp: str) -> None:
        if fp in self._finished and self._outstanding[fp] <= 0:
            self.journal.done(fp, self._finished.pop(fp))
            self._outstanding.pop(fp, None)

    def _dropped(self, request: scrapy.Request, spider: scrapy.Spider) -> None:
        """Distributed mode: a page another crawler process of the round has queued already."""
        fp = request.meta.get("journal")
        if fp:
            self.crawler.stats.inc_value("frontier/elsewhere")
            self.journal.done(fp, "elsewhere")

    def _item_scraped(self, item: Any, response: Response, spider: scrapy.Spider) -> None:
        fp = response.meta.get("journal") if response is not None else None
        if fp:
            self._outstanding[fp] -= 1
            self._maybe_done(fp)

    def _item_failed(self, item: Any, response: Response, spider: scrapy.Spider, **kwargs: Any) -> None:
        """An item a pipeline dropped or failed on: its page stays pending, to be fetched again on resume."""
        fp = response.meta.get("journal") if response is not None else None
        if fp:
            self._outstanding[fp] -= 1
