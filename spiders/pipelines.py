"""Item pipelines: download listing images, then store listings, sightings and images."""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.pipelines.files import FilesPipeline

from ipwatch.settings import Settings
from ipwatch.storage.engine import Database
from ipwatch.storage.models import CrawlRunRow, SiteRow
from spiders import outcomes
from spiders.records import ImageFile, Listing, utcnow
from spiders.store import ensure_site, start_run, store_listing

log = logging.getLogger(__name__)


class ListingImagesPipeline(FilesPipeline):
    """Downloads a listing's images through Scrapy's media pipeline, size-capped."""

    def __init__(self, store_uri: str, *, crawler: Crawler) -> None:
        super().__init__(store_uri, crawler=crawler)
        self._max_bytes = crawler.settings["IPWATCH_SETTINGS"].image_max_bytes

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ListingImagesPipeline:
        return cls(crawler.settings["FILES_STORE"], crawler=crawler)

    def get_media_requests(self, item: Any, info: Any) -> list[Request]:
        if not isinstance(item, Listing):
            return []
        return [Request(url, meta={"download_maxsize": self._max_bytes})
                for url in item.image_urls if url.startswith(("http://", "https://"))]

    def item_completed(self, results: list[Any], item: Any, info: Any) -> Any:
        if not isinstance(item, Listing):
            return item
        images = []
        for url, (ok, value) in zip(item.image_urls, results, strict=False):
            if ok:
                images.append(ImageFile(url=url, path=value["path"]))
            else:
                outcomes.record(self.crawler, outcomes.IMAGE_FAILED, url, str(value.value))
                images.append(ImageFile(url=url, path=None, error=str(value.value)))
        return dataclasses.replace(item, images=tuple(images))


class StorePipeline:
    """Stores each Listing with a sighting in the crawl run, and records the run's stats at the end."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.settings: Settings = crawler.settings["IPWATCH_SETTINGS"]
        self.database = Database(self.settings)
        self.run_id: int | None = None
        self.site_id: int | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self, spider: Spider | None = None) -> None:
        profile = self.crawler.spider.profile
        with self.database.session() as session:
            site = ensure_site(session, profile.name, profile.base_url)
            run = start_run(session, site)
            self.site_id, self.run_id = site.id, run.id
        self.crawler.stats.set_value("ipwatch/run_id", self.run_id)

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        if not isinstance(item, Listing):
            return item
        stats = self.crawler.stats
        with self.database.session() as session:
            site = session.get(SiteRow, self.site_id)
            run = session.get(CrawlRunRow, self.run_id)
            result = store_listing(session, site, run, item, self.settings.images_dir)
        stats.inc_value("listings/stored")
        stats.inc_value("listings/new" if result.new else "listings/seen_again")
        if result.changed:
            stats.inc_value("listings/changed")
        for url in result.bad_images:
            outcomes.record(self.crawler, outcomes.BAD_IMAGE, url, item.url)
        return item

    def spider_closed(self, spider: Spider, reason: str) -> None:
        """Close the crawl run with its final stats once every item is through."""
        stats = self.crawler.stats.get_stats()
        with self.database.session() as session:
            run = session.get(CrawlRunRow, self.run_id)
            run.finished_at = utcnow()
            run.status = "finished" if reason == "finished" else str(reason)
            run.stats = {k: v for k, v in stats.items() if isinstance(v, int | float | str)}
        self.database.dispose()
