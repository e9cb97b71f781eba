"""Distributed mode: two crawler processes sharing one Redis frontier (scrapy-redis) and one PostgreSQL
database fetch every listing of the demo marketplace exactly once in total, and raise the same alerts
as a single-process crawl on the embedded default (SQLite, no Redis)."""

from __future__ import annotations

import json
from pathlib import Path

import redis
from sqlalchemy import create_engine, text

from tests.children import ipwatch_env, run
from tests.demo_crawl import static_profile
from tests.servers.market import CountingMarket
from tests.servers.redis_server import redis_server, unique_prefix
from tests.watchlists import small_watchlist

# A mark with knockoffs in the static and GBK sections: enough listings for two processes, quickly.
WATCHLIST = small_watchlist("wahaha")
ALERTS = ("SELECT l.listing_key, a.mark_id FROM alerts a JOIN listings l ON l.id = a.listing_id")


def test_two_crawler_processes_share_a_redis_frontier(tmp_path: Path, counting_market: CountingMarket,
                                                      pg_server: object) -> None:
    profile = static_profile(tmp_path, counting_market.url)
    watchlist = tmp_path / "watchlist.yaml"
    watchlist.write_text(WATCHLIST, encoding="utf-8")
    single = tmp_path / "single" / "data"
    single.mkdir(parents=True)
    env = ipwatch_env(single)
    assert run(env, "watchlist", "load", str(watchlist), cwd=tmp_path).returncode == 0
    done = run(env, "crawl", str(profile), "--no-deliver", cwd=tmp_path)
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
        env = ipwatch_env(shared, database_url=pg_url, redis_url=redis_url, redis_prefix=prefix)
        assert run(env, "watchlist", "load", str(watchlist), cwd=tmp_path).returncode == 0
        both = run(env, "crawl", str(profile), "--processes", "2", "--no-deliver", cwd=tmp_path)
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
