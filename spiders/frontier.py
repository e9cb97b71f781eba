"""Distributed mode: the crawl frontier and duplicate filter of one crawl round in Redis (scrapy-redis).

Several crawler processes (one machine or many) that crawl the same site with the same round id
share one request queue and one set of seen request fingerprints, so each page is fetched by
exactly one of them. A round is one crawl of one site: its keys are

    {prefix}:crawl:{site}:{round}:requests   the queue (scrapy-redis priority queue)
    {prefix}:crawl:{site}:{round}:seen       fingerprints of every request ever queued
    {prefix}:crawl:{site}:{round}:workers    each process's state: busy:<unix time> or idle

The keys persist while the round runs (one process finishing must not flush a queue the others
still use) and expire ROUND_TTL_S after the last process leaves.

When does a process stop? Scrapy stops a spider when its own downloader, scraper and scheduler are
idle; a process whose share of the queue is empty while another still reads a page (which may add
requests) must wait. So `SharedScheduler.has_pending_requests` (which Scrapy asks only once everything
else in the process is idle) marks this process idle and answers "pending" while the queue holds
requests or any other process is busy; Scrapy asks again every 5 seconds. A process that took a
request last more than STALE_S ago and never came back idle is taken as dead.

Resuming: the queue outlives a killed process, so running again with the same round continues it,
but the requests a killed process had taken from the queue are lost (at most its concurrency). The
SQLite journal (`--jobdir`, spiders/journal.py) loses nothing, and is for one process: a crawl uses
one or the other, never both (`frontier_conflict`).
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any

from scrapy_redis.scheduler import Scheduler

from ..core.processes import gone, process_name
from ..core.settings import Settings

ROUND_TTL_S = 2 * 86400
STALE_S = 600.0
POLL_S = 0.25  # how often a waiting process looks at the shared queue again


@dataclass(frozen=True, slots=True)
class Round:
    """One crawl of one site shared by several processes through Redis."""

    redis_url: str
    prefix: str
    site: str
    round_id: str

    @property
    def base(self) -> str:
        return f"{self.prefix}:crawl:{self.site}:{self.round_id}"

    def scrapy_settings(self) -> dict[str, Any]:
        """The Scrapy settings that put this round's queue and duplicate filter in Redis."""
        return {
            "SCHEDULER": "ipwatch.spiders.frontier.SharedScheduler",
            "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
            "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.PriorityQueue",
            "SCHEDULER_QUEUE_KEY": f"{self.base}:requests",
            "SCHEDULER_DUPEFILTER_KEY": f"{self.base}:seen",
            "SCHEDULER_PERSIST": True,
            "SCHEDULER_FLUSH_ON_START": False,
            "REDIS_URL": self.redis_url,
            "IPWATCH_ROUND": self.round_id,
            "IPWATCH_SHARED_FRONTIER": True,
        }


def new_round_id() -> str:
    """A fresh round id: the UTC time and a random suffix, e.g. 20261127T0600-3f9a1c."""
    return time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + "-" + uuid.uuid4().hex[:6]


def shared_round(settings: Settings, site: str, round_id: str | None) -> Round | None:
    """The round a crawl of `site` joins (a new one if `round_id` is None); None without Redis."""
    if not settings.redis_url:
        return None
    return Round(settings.redis_url, settings.redis_prefix, site, round_id or new_round_id())


def frontier_conflict(settings: Settings, jobdir: object, processes: int) -> str | None:
    """Why this combination of options cannot run, with the remedy, or None."""
    if settings.redis_url and jobdir is not None:
        return ("--jobdir keeps the frontier in a SQLite journal for one process, IPWATCH_REDIS_URL keeps it in "
                "Redis for several: choose one (unset IPWATCH_REDIS_URL, or drop --jobdir and resume with --round)")
    if processes > 1 and not settings.redis_url:
        return ("several crawler processes share their frontier through Redis: set IPWATCH_REDIS_URL "
                "(e.g. redis://127.0.0.1:6379/0), or run one process")
    return None


class SharedScheduler(Scheduler):
    """scrapy-redis's scheduler, with keys that expire after the round and a shared notion of done."""

    def open(self, spider: Any) -> None:
        super().open(spider)
        self.me = process_name()
        self.workers_key = self.queue_key.removesuffix(":requests") + ":workers"
        self._state("busy")

    def _state(self, state: str) -> None:
        value = f"busy:{time.time():.0f}" if state == "busy" else state
        pipe = self.server.pipeline()
        pipe.hset(self.workers_key, self.me, value)
        for key in (self.workers_key, self.queue.key, self.df.key):
            pipe.expire(key, ROUND_TTL_S)
        pipe.execute()

    def next_request(self) -> Any:
        request = super().next_request()
        if request is not None:
            self._state("busy")
        return request

    def has_pending_requests(self) -> bool:
        """Asked by Scrapy only when this process is otherwise idle: wait while others may add requests."""
        self._state("idle")
        pending = len(self.queue) > 0 or self._others_busy()
        if pending:
            self._look_again_soon()
        return pending

    def _look_again_soon(self) -> None:
        """Ask the engine for the next request in POLL_S rather than at its 5-second heartbeat: a process
        waiting for the others would otherwise notice new requests, or the round's end, seconds late."""
        from twisted.internet import reactor

        slot = getattr(getattr(getattr(self, "spider", None), "crawler", None), "engine", None)
        slot = getattr(slot, "_slot", None)  # Scrapy's engine keeps its next-call scheduler there
        if slot is not None and hasattr(slot, "nextcall"):
            reactor.callLater(POLL_S, slot.nextcall.schedule)  # type: ignore[arg-type]

    def _others_busy(self) -> bool:
        now = time.time()
        for name, value in self.server.hgetall(self.workers_key).items():
            name = name.decode() if isinstance(name, bytes) else name
            value = value.decode() if isinstance(value, bytes) else value
            if (name != self.me and value.startswith("busy:") and now - float(value[5:]) < STALE_S
                    and not gone(name)):
                return True
        return False

    def close(self, reason: str) -> None:
        self.server.hdel(self.workers_key, self.me)
        for key in (self.workers_key, self.queue.key, self.df.key):
            self.server.expire(key, ROUND_TTL_S)
        super().close(reason)
