"""Scrapy settings built from ipwatch's one `Settings` object."""

from __future__ import annotations

from typing import Any

from ipwatch.settings import Settings
from spiders.browser import launch_options

USER_AGENT = "ipwatch/0.1 (+https://github.com/ipwatch; IP-office monitoring; obeys robots.txt)"


def scrapy_settings(settings: Settings) -> dict[str, Any]:
    """The Scrapy settings for a crawl under `settings`."""
    settings.ensure_dirs()
    return {
        "BOT_NAME": "ipwatch",
        "SPIDER_MODULES": ["spiders.spiders"],
        "NEWSPIDER_MODULE": "spiders.spiders",
        "IPWATCH_SETTINGS": settings,
        "USER_AGENT": USER_AGENT,
        "ROBOTSTXT_OBEY": True,
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
        "DOWNLOAD_HANDLERS": {
            "http": "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler",
            "https": "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler",
        },
        "PLAYWRIGHT_BROWSER_TYPE": "chromium",
        "PLAYWRIGHT_LAUNCH_OPTIONS": launch_options(settings.chromium_path),
        "PLAYWRIGHT_MAX_CONTEXTS": 1,
        "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": 4,
        "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": 30_000,
        "CONCURRENT_REQUESTS": settings.crawl_concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": settings.crawl_concurrency,
        "DOWNLOAD_TIMEOUT": 30,
        "DOWNLOAD_MAXSIZE": settings.page_max_bytes,
        "DOWNLOAD_WARNSIZE": settings.page_max_bytes // 2,
        "RETRY_TIMES": 2,
        "REDIRECT_MAX_TIMES": 5,
        "AUTOTHROTTLE_ENABLED": True,
        "AUTOTHROTTLE_START_DELAY": 0.0,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(settings.crawl_concurrency),
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "WARNING",
        "FILES_STORE": str(settings.images_dir.resolve()),
        "ITEM_PIPELINES": {
            "spiders.pipelines.ListingImagesPipeline": 100,
            "spiders.pipelines.StorePipeline": 300,
        },
        "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
        "FEED_EXPORT_ENCODING": "utf-8",
    }
