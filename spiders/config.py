"""Scrapy settings built from ipwatch's one `Settings` object and the crawled site's profile."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from ..core.settings import Settings
from .addresses import AddressPolicy
from .browser import launch_options
from .profile import SiteProfile, on_domain

USER_AGENT = "ipwatch/0.1 (+https://github.com/ipwatch; IP-office monitoring; obeys robots.txt)"
# What a crawl's browser never loads: the extractors read the DOM, not pictures or fonts.
SKIPPED_RESOURCES = {"image", "media", "font"}


def abort_request(domains: list[str], addresses: AddressPolicy | None = None) -> Callable[[Any], Awaitable[bool]]:
    """For scrapy-playwright: skip images, media and fonts, any page navigation off the site, and any
    request of the page (a script's fetch included) to an address `addresses` does not allow."""
    async def predicate(request: Any) -> bool:
        if request.resource_type in SKIPPED_RESOURCES:
            return True
        if domains and request.is_navigation_request() and not on_domain(request.url, domains):
            return True
        if addresses is not None and request.url.startswith(("http://", "https://", "ws://", "wss://")):
            return await asyncio.get_running_loop().run_in_executor(None, addresses.refusal, request.url) is not None
        return False
    return predicate


def address_policy(settings: Settings, profile: SiteProfile | None) -> AddressPolicy:
    """The private addresses a crawl of `profile` may reach (spiders/addresses.py)."""
    if profile is None:
        return AddressPolicy(settings.allow_private_addresses)
    return AddressPolicy.for_profile(settings.allow_private_addresses, profile.base_url, profile.allowed_domains,
                                     profile.private_addresses)


def scrapy_settings(settings: Settings, profile: SiteProfile | None = None,
                    jobdir: Path | None = None) -> dict[str, Any]:
    """The Scrapy settings for a crawl under `settings`: politeness from the profile, a resumable
    journal in `jobdir` if given."""
    settings.ensure_dirs()
    concurrency = min(settings.crawl_concurrency, profile.concurrency) if profile else settings.crawl_concurrency
    delay = profile.download_delay if profile else 0.0
    return {
        "BOT_NAME": "ipwatch",
        "SPIDER_MODULES": ["ipwatch.spiders.spiders"],
        "NEWSPIDER_MODULE": "ipwatch.spiders.spiders",
        "IPWATCH_SETTINGS": settings,
        "IPWATCH_JOBDIR": str(jobdir) if jobdir else None,
        "USER_AGENT": USER_AGENT,
        "ROBOTSTXT_OBEY": True,
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
        "DOWNLOAD_HANDLERS": {
            "http": "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler",
            "https": "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler",
        },
        # One browser, one reused context, a bounded number of pages open at once.
        "PLAYWRIGHT_BROWSER_TYPE": "chromium",
        "PLAYWRIGHT_LAUNCH_OPTIONS": launch_options(settings.chromium_path),
        "PLAYWRIGHT_MAX_CONTEXTS": 1,
        "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": max(1, min(4, concurrency)),
        "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": 30_000,
        "PLAYWRIGHT_ABORT_REQUEST": abort_request(profile.allowed_domains if profile else [],
                                                  address_policy(settings, profile)),
        "CONCURRENT_REQUESTS": settings.crawl_concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
        "DOWNLOAD_DELAY": delay,
        "DOWNLOAD_DELAY_JITTER": 0.5,  # each delay between 0.5 and 1.5 times DOWNLOAD_DELAY
        "DOWNLOAD_TIMEOUT": 30,
        "DOWNLOAD_MAXSIZE": settings.page_max_bytes,
        "DOWNLOAD_WARNSIZE": settings.page_max_bytes // 2,
        "RETRY_TIMES": 3,
        "RETRY_HTTP_CODES": [429, 500, 502, 503, 504, 522, 524, 408],
        "IPWATCH_RETRY_BACKOFF_S": max(0.5, delay),
        "REDIRECT_MAX_TIMES": 5,
        "AUTOTHROTTLE_ENABLED": True,
        "AUTOTHROTTLE_START_DELAY": max(delay, 0.1),
        "AUTOTHROTTLE_MAX_DELAY": max(60.0, delay * 4),
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(concurrency),
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "WARNING",
        "FILES_STORE": str(settings.images_dir.resolve()),
        "DOWNLOADER_MIDDLEWARES": {
            "ipwatch.spiders.middlewares.DomainGuardMiddleware": 40,  # before Scrapy's offsite filter (50)
            "ipwatch.spiders.middlewares.AddressGuardMiddleware": 45,
            "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
            "ipwatch.spiders.middlewares.BackoffRetryMiddleware": 550,
            "ipwatch.spiders.middlewares.BackoffWaitMiddleware": 560,
        },
        "ITEM_PIPELINES": {
            "ipwatch.spiders.pipelines.ListingImagesPipeline": 100,
            "ipwatch.spiders.pipelines.StorePipeline": 300,
        },
        "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
        "FEED_EXPORT_ENCODING": "utf-8",
    }
