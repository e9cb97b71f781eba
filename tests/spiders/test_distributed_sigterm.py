"""`ipwatch crawl SITE --processes 2` stopped with SIGTERM (as systemd or the scheduler stops it): the
parent passes the signal to its crawler processes, all of them exit, every crawl run ends in a recorded
state (never left `running`), and running the round again fetches no page twice and duplicates no
listing, alert or delivery."""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.children import ipwatch_env, run, spawn
from tests.demo_crawl import static_profile
from tests.servers.market import CountingMarket
from tests.servers.redis_server import redis_server, unique_prefix
from tests.watchlists import small_watchlist

WATCHLIST = small_watchlist("wahaha")
FREE_PAGES = 3  # listing pages answered at once; later ones wait at the gate until the signal was sent
ROUND = "sigterm-test-round"


@pytest.fixture
def gated_market() -> Iterator[CountingMarket]:
    market = CountingMarket(free_pages=FREE_PAGES)
    yield market
    market.close()


def children_of(pid: int) -> list[int]:
    """The process ids whose parent is `pid` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def runs_of(url: str) -> list[tuple[str, bool, dict]]:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT status, finished_at, stats FROM crawl_runs ORDER BY id")).all()
    finally:
        engine.dispose()
    return [(status, finished is not None, stats if isinstance(stats, dict) else json.loads(stats))
            for status, finished, stats in rows]


def duplicates(url: str) -> dict[str, int]:
    """Rows that would be duplicates: listings, alerts, sightings per run, deliveries per recipient."""
    checks = {
        "listings": "SELECT COUNT(*) - COUNT(DISTINCT site_id || ':' || listing_key) FROM listings",
        "alerts": "SELECT COUNT(*) - COUNT(DISTINCT listing_id || ':' || mark_id) FROM alerts",
        "sightings": "SELECT COUNT(*) - COUNT(DISTINCT listing_id || ':' || crawl_run_id) FROM sightings",
        "deliveries": "SELECT COUNT(*) - COUNT(DISTINCT alert_id || ':' || channel || ':' || recipient)"
                      " FROM deliveries",
        "evidence": "SELECT COUNT(*) - COUNT(DISTINCT alert_id || ':' || kind) FROM evidence"
                    " WHERE alert_id IS NOT NULL",
    }
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as connection:
            return {name: int(connection.execute(text(sql)).scalar() or 0) for name, sql in checks.items()}
    finally:
        engine.dispose()


def test_sigterm_reaches_every_crawler_process_and_every_run_is_recorded(
        tmp_path: Path, gated_market: CountingMarket, pg_server: object) -> None:
    profile = static_profile(tmp_path, gated_market.url)
    watchlist = tmp_path / "watchlist.yaml"
    watchlist.write_text(WATCHLIST, encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    with redis_server(tmp_path) as redis_url, pg_server.fresh_database() as pg_url:  # type: ignore[attr-defined]
        # one request at a time per process: the pages not yet taken stay queued in Redis for the next run
        env = ipwatch_env(data, database_url=pg_url, redis_url=redis_url, redis_prefix=unique_prefix(),
                          crawl_concurrency="1")
        assert run(env, "watchlist", "load", str(watchlist), cwd=tmp_path).returncode == 0
        crawl = ["crawl", str(profile), "--processes", "2", "--round", ROUND, "--no-deliver"]
        output = tmp_path / "crawl.out"
        parent = spawn(env, *crawl, log=output, cwd=tmp_path)
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and (len(gated_market.listing_hits()) <= FREE_PAGES
                                                   or sum(s == "running" for s, _, _ in runs_of(pg_url)) < 2):
                assert parent.poll() is None, output.read_text(errors="replace")[-3000:]
                time.sleep(0.2)
            crawlers = children_of(parent.pid)
            assert len(crawlers) == 2 and [s for s, _, _ in runs_of(pg_url)] == ["running", "running"]
            parent.send_signal(signal.SIGTERM)  # to the parent only: it must pass it on
            time.sleep(1.0)
            gated_market.gate.set()  # the pages being fetched arrive; the crawlers stop taking new ones
            code = parent.wait(timeout=60)
        finally:
            if parent.poll() is None:
                parent.kill()
        log = output.read_text(errors="replace")
        fetched_before = gated_market.listing_hits()
        stopped = runs_of(pg_url)

        assert code == 1, log[-3000:]
        assert not any(alive(pid) for pid in crawlers), "a crawler process outlived its parent"
        assert [(status, finished) for status, finished, _ in stopped] == [("shutdown", True)] * 2, log[-3000:]
        assert all(stats["ipwatch/exit_code"] == 1 and stats["ipwatch/launch"] == f"crawl:demo:{ROUND}"
                   for _, _, stats in stopped)
        assert 0 < sum(stats.get("listings/stored", 0) for _, _, stats in stopped)

        again = run(env, *crawl, cwd=tmp_path)
        assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-3000:]
        runs = runs_of(pg_url)
        assert [status for status, _, _ in runs] == ["shutdown", "shutdown", "finished", "finished"]
        fetched = gated_market.listing_hits()
        assert len(fetched) > len(fetched_before), "the signal came after the crawl had ended"
        assert set(fetched.values()) == {1}, f"fetched twice: {[p for p, n in fetched.items() if n > 1]}"
        assert duplicates(pg_url) == dict.fromkeys(("listings", "alerts", "sightings", "deliveries", "evidence"), 0)
        engine = create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://", 1))
        with engine.connect() as connection:
            listings = connection.execute(text("SELECT COUNT(*) FROM listings")).scalar()
            alerts = connection.execute(text("SELECT COUNT(*) FROM alerts")).scalar()
        engine.dispose()
        assert listings == len(fetched) and alerts > 0
