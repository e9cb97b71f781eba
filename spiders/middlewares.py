"""Downloader middlewares for politeness and safety: retries that back off, and a guard that keeps
every request (redirects included) on the profile's domains."""

from __future__ import annotations

import asyncio
import random
from email.utils import parsedate_to_datetime
from typing import Any

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

from ..core.clock import utcnow
from . import outcomes
from .addresses import AddressPolicy
from .profile import on_domain

WAIT_KEY = "ipwatch_wait_s"


def retry_after(response: Response) -> float | None:
    """Seconds the site asked us to wait (Retry-After: 120, or an HTTP date), if it said."""
    value = response.headers.get(b"Retry-After")
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        return max(0.0, (parsedate_to_datetime(text) - utcnow()).total_seconds())
    except (TypeError, ValueError):
        return None


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retries on 429, 5xx and timeouts, each one waiting longer: base × 2^(n-1), jittered,
    capped, and never less than the Retry-After the site gave."""

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self.base = settings.getfloat("IPWATCH_RETRY_BACKOFF_S", 2.0)
        self.cap = settings.getfloat("IPWATCH_RETRY_BACKOFF_MAX_S", 120.0)

    def _wait(self, retries: int, asked: float | None) -> float:
        backoff = min(self.cap, self.base * 2 ** max(0, retries - 1)) * random.uniform(0.5, 1.5)
        return min(self.cap, max(backoff, asked or 0.0))

    def process_response(self, request: Request, response: Response,
                         spider: Spider | None = None) -> Request | Response:
        result = super().process_response(request, response)
        if isinstance(result, Request):
            result.meta[WAIT_KEY] = self._wait(result.meta.get("retry_times", 1), retry_after(response))
            self.crawler.stats.inc_value("retry/backoff_s", int(result.meta[WAIT_KEY]))
        return result

    def process_exception(self, request: Request, exception: Exception,
                          spider: Spider | None = None) -> Request | Response | None:
        result = super().process_exception(request, exception)
        if isinstance(result, Request):
            result.meta[WAIT_KEY] = self._wait(result.meta.get("retry_times", 1), None)
        return result


class BackoffWaitMiddleware:
    """Holds a retried request back for the wait BackoffRetryMiddleware set, without blocking the crawl."""

    async def process_request(self, request: Request, spider: Spider | None = None) -> None:
        wait = request.meta.pop(WAIT_KEY, 0)
        if wait:
            await asyncio.sleep(wait)


class DomainGuardMiddleware:
    """Drops any request off the profile's domains, redirects included (Scrapy's own offsite filter lets
    `dont_filter` requests through): an open redirect on a marketplace cannot take the crawl elsewhere."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DomainGuardMiddleware:
        return cls(crawler)

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        domains = getattr(self.crawler.spider, "allowed_domains", None)
        if domains and not on_domain(request.url, domains):
            outcomes.record(self.crawler, outcomes.OFFSITE, request.url,
                            "redirected from " + request.meta["redirect_urls"][-1]
                            if request.meta.get("redirect_urls") else "")
            raise IgnoreRequest(f"off the profile's domains: {request.url}")


class AddressGuardMiddleware:
    """Drops any request whose host resolves to a private, loopback or link-local address the crawl is not
    allowed (spiders/addresses.py): a redirect, a link or a DNS name cannot send the crawler into the
    office's own network. Redirects come back through here, so each hop is checked."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.policy: AddressPolicy | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AddressGuardMiddleware:
        return cls(crawler)

    def _policy(self) -> AddressPolicy:
        if self.policy is None:
            settings = self.crawler.settings.get("IPWATCH_SETTINGS")
            allow = bool(settings and settings.allow_private_addresses)
            profile = getattr(self.crawler.spider, "profile", None)
            self.policy = (AddressPolicy.for_profile(allow, profile.base_url, profile.allowed_domains,
                                                     profile.private_addresses)
                           if profile is not None else AddressPolicy(allow))
        return self.policy

    async def process_request(self, request: Request, spider: Spider | None = None) -> None:
        refusal = await asyncio.get_running_loop().run_in_executor(None, self._policy().refusal, request.url)
        if refusal:
            outcomes.record(self.crawler, outcomes.PRIVATE_ADDRESS, request.url,
                            refusal + (", redirected from " + request.meta["redirect_urls"][-1]
                                       if request.meta.get("redirect_urls") else ""))
            raise IgnoreRequest(f"{refusal}: {request.url}")
