"""Distributed mode: two crawler processes sharing one Redis frontier (scrapy-redis) and one PostgreSQL
database fetch every listing of the demo marketplace exactly once in total, and raise the same alerts
as a single-process crawl on the embedded default (SQLite, no Redis)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from sqlalchemy import create_engine, text

from ipwatch.demo_marketplace.catalogue import build_catalogue
from ipwatch.demo_marketplace.server import make_server, url_of
from tests.demo_crawl import static_profile
from tests.redis_server import redis_server, unique_prefix

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "watchlist" / "samples" / "baotou.yaml"
# A mark with knockoffs in the static and GBK sections: enough listings for two processes, quickly.
WATCHLIST = """marks:
  - id: wahaha
    name: 娃哈哈
    kind: trademark
    aliases: [Wahaha]
    owner: 杭州娃哈哈集团有限公司
"""
ALERTS = ("SELECT l.listing_key, a.mark_id FROM alerts a JOIN listings l ON l.id = a.listing_id")


LISTING_PAGES = ("/item", "/gbk/item")


class CountingMarket:
    """The demo marketplace, counting every GET by path (query string included). With `free_pages`, listing
    pages after that many are held at `gate` until it is set (so that a signal surely arrives while pages are
    being fetched and others are still queued)."""

    def __init__(self, free_pages: int | None = None) -> None:
        self.hits: Counter[str] = Counter()
        self.gate = threading.Event()
        self.server = make_server(build_catalogue(SAMPLE))
        handler = self.server.RequestHandlerClass
        hits, lock, gate = self.hits, threading.Lock(), self.gate

        def do_get(this: object) -> None:
            path = this.path  # type: ignore[attr-defined]
            with lock:
                hits[path] += 1
                held = (free_pages is not None and path.startswith(LISTING_PAGES)
                        and sum(n for seen, n in hits.items() if seen.startswith(LISTING_PAGES)) > free_pages)
            if held:
                gate.wait(timeout=60)
            handler.do_GET(this)  # type: ignore[arg-type]

        self.server.RequestHandlerClass = type("CountingHandler", (handler,), {"do_GET": do_get})
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = url_of(self.server)

    def listing_hits(self) -> Counter[str]:
        return Counter({path: count for path, count in self.hits.items() if path.startswith(LISTING_PAGES)})

    def close(self) -> None:
        self.gate.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def counting_market() -> Iterator[CountingMarket]:
    market = CountingMarket()
    yield market
    market.close()


def env_for(data_dir: Path, **settings: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("IPWATCH_")}
    return {**env, "IPWATCH_DATA_DIR": str(data_dir), "COLUMNS": "160", "PYTHONPATH": str(REPO),
            **{f"IPWATCH_{key.upper()}": value for key, value in settings.items()}}


def ipwatch(env: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ipwatch.cli", *args], env=env, cwd=cwd, text=True,
                          capture_output=True, timeout=240)


def test_two_crawler_processes_share_a_redis_frontier(tmp_path: Path, counting_market: CountingMarket,
                                                      pg_server: object) -> None:
    profile = static_profile(tmp_path, counting_market.url)
    watchlist = tmp_path / "watchlist.yaml"
    watchlist.write_text(WATCHLIST, encoding="utf-8")
    single = tmp_path / "single" / "data"
    single.mkdir(parents=True)
    env = env_for(single)
    assert ipwatch(env, tmp_path, "watchlist", "load", str(watchlist)).returncode == 0
    done = ipwatch(env, tmp_path, "crawl", str(profile), "--no-deliver")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    once = counting_market.listing_hits()
    assert once and set(once.values()) == {1}
    engine = create_engine(f"sqlite:///{single / 'ipwatch.db'}")
    with engine.connect() as connection:
        alone = {tuple(row) for row in connection.execute(text(ALERTS))}
    engine.dispose()
    assert alone, "the demo marketplace has knockoffs of the sample watchlist"

    counting_market.hits.clear()
    with redis_server(tmp_path) as redis_url, pg_server.fresh_database() as pg_url:  # type: ignore[attr-defined]
        prefix = unique_prefix()
        shared = tmp_path / "shared" / "data"
        shared.mkdir(parents=True)
        env = env_for(shared, database_url=pg_url, redis_url=redis_url, redis_prefix=prefix)
        assert ipwatch(env, tmp_path, "watchlist", "load", str(watchlist)).returncode == 0
        both = ipwatch(env, tmp_path, "crawl", str(profile), "--processes", "2", "--no-deliver")
        assert both.returncode == 0, both.stdout[-3000:] + both.stderr[-3000:]
        engine = create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://", 1))
        with engine.connect() as connection:
            together = {tuple(row) for row in connection.execute(text(ALERTS))}
            runs = connection.execute(text("SELECT status, stats FROM crawl_runs ORDER BY id")).all()
        engine.dispose()
        keys = redis.Redis.from_url(redis_url).keys(f"{prefix}:*")

    fetched = counting_market.listing_hits()
    assert set(fetched) == set(once), "every listing of the single-process crawl, and no other"
    assert set(fetched.values()) == {1}, f"fetched more than once: {[p for p, n in fetched.items() if n > 1]}"
    assert together == alone
    assert [status for status, _ in runs] == ["finished", "finished"]
    stats = [run[1] if isinstance(run[1], dict) else json.loads(run[1]) for run in runs]
    assert sum(s.get("response_received_count", 0) for s in stats) == sum(counting_market.hits.values())
    assert len({s["ipwatch/round"] for s in stats}) == 1 and len({s["ipwatch/launch"] for s in stats}) == 1
    assert keys, "the round's keys stay (expiring) while other processes may still use them"
