"""Item pipelines: download listing images, then store listings, sightings and images."""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.pipelines.files import FilesPipeline, FSFilesStore
from scrapy.pipelines.media import FileException
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from ..core.clock import utcnow
from ..core.settings import Settings
from ..core.storage.engine import Database
from ..core.storage.models import CrawlRunRow, SightingRow, SiteRow
from . import outcomes
from .blocking import REMEDIES
from .records import ImageFile, Listing
from .store import ensure_site, start_run, store_listing

if TYPE_CHECKING:
    from .spiders.marketplace import MarketplaceSpider

log = logging.getLogger(__name__)
DATABASE_WAIT_S = 60.0  # a database restart (or failover) this long is ridden out; longer stops the crawl


class ListingImagesPipeline(FilesPipeline):
    """Downloads a listing's images through Scrapy's media pipeline: size-capped, each content stored once.

    A file is named by the SHA-256 of its bytes (`full/ab/ab12….jpg`), so the same photo
    served under many URLs is kept once, and its extension comes from the bytes, not the URL
    (a PNG named `.jpg` is stored as `.png`; bytes that are no image as `.bin`, and reported
    as a bad image when stored)."""

    def __init__(self, store_uri: str, *, crawler: Crawler) -> None:
        super().__init__(store_uri, crawler=crawler)
        self._max_bytes = crawler.settings["IPWATCH_SETTINGS"].image_max_bytes

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ListingImagesPipeline:
        return cls(crawler.settings["FILES_STORE"], crawler=crawler)

    def get_media_requests(self, item: Any, info: Any) -> list[Request]:
        if not isinstance(item, Listing):
            return []
        return [Request(url, meta={"download_maxsize": self._max_bytes, "download_warnsize": 0})
                for url in _downloadable(item)]

    def file_path(self, request: Request, response: Response | None = None, info: Any = None, *,
                  item: Any = None) -> str:
        if response is None:  # asked before downloading, to skip files already stored: content decides
            return super().file_path(request, response, info, item=item)
        digest = hashlib.sha256(response.body).hexdigest()
        return f"full/{digest[:2]}/{digest}{sniffed_extension(response.body)}"

    def file_downloaded(self, response: Response, request: Request, info: Any, *, item: Any = None) -> Any:
        path = self.file_path(request, response=response, info=info, item=item)
        if isinstance(self.store, FSFilesStore) and (Path(self.store.basedir) / path).is_file():
            return hashlib.md5(response.body).hexdigest()  # noqa: S324 - the checksum FilesPipeline reports
        return super().file_downloaded(response, request, info, item=item)

    def media_failed(self, failure: Any, request: Request, info: Any) -> Any:
        """Scrapy's, keeping the reason: it re-raises a bare FileException, so the outcome said nothing."""
        try:
            return super().media_failed(failure, request, info)
        except FileException as error:
            if str(error):
                raise
            reason = str(failure.value) or type(failure.value).__name__
            raise FileException(_MEDIA_ERRORS.get(reason, reason)) from failure.value

    def item_completed(self, results: list[Any], item: Any, info: Any) -> Any:
        if not isinstance(item, Listing):
            return item
        images = []
        for url, (ok, value) in zip(_downloadable(item), results, strict=False):
            if ok:
                images.append(ImageFile(url=url, path=value["path"]))
            else:
                outcomes.record(self.crawler, outcomes.IMAGE_FAILED, url, str(value.value))
                images.append(ImageFile(url=url, path=None, error=str(value.value)))
        return dataclasses.replace(item, images=tuple(images))


_MEDIA_ERRORS = {"empty-content": "empty file (0 bytes)",  # Scrapy's words for why a file was not stored
                 "download-error": "the server answered with an error status"}


def _downloadable(item: Listing) -> list[str]:
    return [url for url in item.image_urls if url.startswith(("http://", "https://"))]


_SIGNATURES = ((b"\xff\xd8\xff", ".jpg"), (b"\x89PNG\r\n\x1a\n", ".png"), (b"GIF87a", ".gif"),
               (b"GIF89a", ".gif"), (b"BM", ".bmp"))


def sniffed_extension(data: bytes) -> str:
    """The file extension the bytes' signature calls for: .jpg, .png, .gif, .webp, .bmp, else .bin."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return ".webp"
    return next((extension for magic, extension in _SIGNATURES if data.startswith(magic)), ".bin")


class StorePipeline:
    """Stores each Listing with a sighting in the crawl run, and records the run's stats at the end.

    A resumed crawl (spiders/journal.py) continues the crawl run it was killed in."""

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

    @property
    def crawl(self) -> MarketplaceSpider:
        """The marketplace spider this pipeline stores for."""
        return cast("MarketplaceSpider", self.crawler.spider)

    def open_spider(self, spider: Spider | None = None) -> None:
        crawl = self.crawl
        profile = crawl.profile
        with self.database.session() as session:
            site = ensure_site(session, profile.name, profile.base_url)
            run = session.get(CrawlRunRow, crawl.resume_run_id) if crawl.resume_run_id else None
            if run is None:
                run = start_run(session, site)
            run.status, run.finished_at = "running", None
            launch = self.crawler.settings.get("IPWATCH_LAUNCH")  # which scheduled job or launcher started it
            if launch:
                run.stats = {**(run.stats or {}), "ipwatch/launch": launch}
            self.site_id, self.run_id = site.id, run.id
        for key in ("IPWATCH_LAUNCH", "IPWATCH_ROUND"):
            if self.crawler.settings.get(key):
                self.crawler.stats.set_value(f"ipwatch/{key.removeprefix('IPWATCH_').lower()}",
                                             self.crawler.settings.get(key))
        crawl.journal.put("run_id", self.run_id)
        self.crawler.stats.set_value("ipwatch/run_id", self.run_id)

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        if not isinstance(item, Listing):
            return item
        stats = self.crawler.stats

        def store() -> Any:
            with self.database.session() as session:
                site = session.get_one(SiteRow, self.site_id)
                run = session.get(CrawlRunRow, self.run_id)
                return store_listing(session, site, run, item, self.settings.images_dir)

        result = self._while_database_returns(store, item.url)
        for path in result.released:
            (self.settings.evidence_dir / path).unlink(missing_ok=True)
        stats.inc_value("listings/stored")
        stats.inc_value("listings/new" if result.new else "listings/seen_again")
        if result.changed:
            stats.inc_value("listings/changed")
        for url, reason in result.bad_images:
            outcomes.record(self.crawler, outcomes.BAD_IMAGE, url, f"{reason}; listing {item.url}")
        return item

    def _while_database_returns(self, work: Callable[[], Any], subject: str) -> Any:
        """`work()` (one transaction), tried again while the database is unreachable, for DATABASE_WAIT_S.

        Storing is idempotent (one listing per site and key, one sighting per run), so a transaction
        whose commit was cut off may safely run again. The crawl waits meanwhile: nothing else can be stored."""
        deadline, delay = time.monotonic() + DATABASE_WAIT_S, 0.25
        while True:
            try:
                return work()
            except OperationalError as exc:
                if time.monotonic() + delay > deadline:
                    raise
                first = str(exc.orig or exc).strip().splitlines()[0][:160]
                outcomes.record(self.crawler, outcomes.DATABASE_UNAVAILABLE, subject, first)
                time.sleep(delay)
                delay = min(delay * 2, 4.0)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        """Close the crawl run with its final stats and coverage once every item is through."""
        crawl = self.crawl

        def close_run() -> dict[str, Any]:
            with self.database.session() as session:
                found = session.scalar(select(func.count(func.distinct(SightingRow.listing_id)))
                                       .where(SightingRow.crawl_run_id == self.run_id)) or 0
                for name, value in coverage(crawl.journal.outcomes(), found).items():
                    self.crawler.stats.set_value(name, value)
                stats = self.crawler.stats.get_stats()
                run = session.get_one(CrawlRunRow, self.run_id)
                run.finished_at = utcnow()
                run.status = "finished" if reason == "finished" else str(reason)
                run.stats = {k: v for k, v in stats.items() if isinstance(v, int | float | str)}
            return stats

        stats = self._while_database_returns(close_run, f"crawl run {self.run_id}")
        crawl.journal.put("finished", reason == "finished")
        for line in blocked_summary(crawl.profile.name, stats):
            log.warning(line)
        self.database.dispose()


def coverage(journal: dict[str, int], listings: int) -> dict[str, int]:
    """A crawl run's coverage from its journal (resumed parts included): pages tried, fetched, blocked."""
    tried = sum(count for outcome, count in journal.items() if outcome not in ("pending", "elsewhere"))
    return {
        "coverage/pages_tried": tried,
        "coverage/pages_read": journal.get("fetched", 0),
        "coverage/pages_blocked": journal.get("blocked", 0),
        "coverage/pages_failed": journal.get("failed", 0),
        "coverage/pages_skipped": journal.get("skipped", 0),
        "coverage/pages_pending": journal.get("pending", 0),
        "coverage/listings_found": listings,
    }


def blocked_summary(site: str, stats: dict[str, Any]) -> list[str]:
    """One sentence per kind of block seen, with what to do about it."""
    return [f"{site}: {count} page(s) blocked ({key.split('/', 1)[1]}) — {REMEDIES.get(key.split('/', 1)[1], '')}"
            f" (spiders/profiles/{site}.yaml)"
            for key, count in sorted(stats.items()) if key.startswith("blocked/") and count]
