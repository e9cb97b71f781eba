"""The marketplace spider: searches a site profile for each watched term and reads every listing found."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Sequence
from typing import Any
from urllib.parse import quote, urlsplit

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy_playwright.page import PageMethod
from twisted.python.failure import Failure

from ipwatch.settings import Settings
from spiders import outcomes
from spiders.browser import browser_available
from spiders.extract import extract_listing
from spiders.profile import SearchEntry, SiteProfile, load_profile
from spiders.records import Listing


# Chinese legacy encodings, counted per family (w3lib reads a declared gbk as its superset gb18030).
ENCODING_FAMILIES = {"gbk": "gbk", "gb2312": "gbk", "gb18030": "gbk", "cp936": "gbk",
                     "big5": "big5", "big5hkscs": "big5", "big5-hkscs": "big5", "cp950": "big5"}


def _terms_from_database(settings: Settings) -> list[str]:
    from ipwatch.storage.engine import Database
    from spiders.queries import search_terms
    from watchlist.store import load_marks

    database = Database(settings)
    try:
        with database.session() as session:
            return search_terms(load_marks(session))
    finally:
        database.dispose()


class MarketplaceSpider(scrapy.Spider):
    """Search one marketplace (a site profile) for watched terms; yield a Listing per product page."""

    name = "marketplace"

    def __init__(self, profile: str | SiteProfile = "demo", base_url: str | None = None,
                 terms: str | Sequence[str] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.profile = profile if isinstance(profile, SiteProfile) else load_profile(profile)
        if base_url:
            self.profile = self.profile.model_copy(update={"base_url": base_url.rstrip("/")})
        self.terms = terms.split(",") if isinstance(terms, str) else terms
        host = urlsplit(self.profile.base_url).hostname or ""
        self.allowed_domains = list(self.profile.allowed_domains) or [host]

    async def start(self) -> AsyncIterator[scrapy.Request]:
        """Search requests: every term in every search form of the profile."""
        settings: Settings = self.settings["IPWATCH_SETTINGS"]
        terms = self.terms if self.terms is not None else _terms_from_database(settings)
        has_browser = browser_available(settings.chromium_path)
        for entry in self.profile.searches:
            if entry.needs_javascript and not has_browser:
                outcomes.record(self.crawler, outcomes.NO_BROWSER, entry.url, f"{len(terms)} searches")
                continue
            for term in terms:
                url = self.profile.base_url + entry.url.replace("{q}", quote(term.strip()))
                yield self._search_request(url, entry, page=1)

    def _search_request(self, url: str, entry: SearchEntry, page: int) -> scrapy.Request:
        meta: dict[str, Any] = {"entry": entry, "page": page}
        if entry.needs_javascript:
            meta["playwright"] = True
            meta["playwright_page_methods"] = [PageMethod("wait_for_load_state", "networkidle")]
        return scrapy.Request(url, callback=self.parse_results, errback=self.on_error, meta=meta)

    def parse_results(self, response: Response) -> Iterator[scrapy.Request]:
        """Follow every result to its listing page, and the next results page within the budget."""
        self.crawler.stats.inc_value("pages/search")
        for href in response.css(self.profile.selectors.result_link).getall():
            yield response.follow(href, callback=self.parse_listing, errback=self.on_error)
        entry: SearchEntry = response.meta["entry"]
        page = response.meta["page"]
        next_href = response.css(self.profile.selectors.next_page or "nothing").get()
        if next_href and page < entry.max_pages:
            yield self._search_request(response.urljoin(next_href), entry, page + 1)

    def parse_listing(self, response: Response) -> Iterator[Listing]:
        """Read the listing on a product page; count what is missing."""
        self.crawler.stats.inc_value("pages/listing")
        if not isinstance(response, TextResponse):
            outcomes.record(self.crawler, outcomes.NO_TITLE, response.url, "not a text page")
            return
        family = ENCODING_FAMILIES.get(response.encoding.lower().replace("_", "-"))
        if family:
            self.crawler.stats.inc_value(f"pages/encoding/{family}")
        listing = extract_listing(response, self.profile)
        if not listing.title:
            outcomes.record(self.crawler, outcomes.NO_TITLE, response.url)
            return
        if listing.price is None:
            outcomes.record(self.crawler, outcomes.NO_PRICE, response.url)
        yield listing

    def on_error(self, failure: Failure) -> None:
        """A page that could not be read: a named outcome, never a crash."""
        request = failure.request  # type: ignore[attr-defined]
        if failure.check(HttpError):
            status = failure.value.response.status
            outcome = outcomes.NOT_FOUND if status in (404, 410) else outcomes.HTTP_ERROR
            outcomes.record(self.crawler, outcome, request.url, f"HTTP {status}")
        else:
            outcomes.record(self.crawler, outcomes.FETCH_FAILED, request.url, repr(failure.value))
