"""PostgreSQL restarted in the middle of a crawl: the crawl rides it out — each write waits for the database
to come back, logged as `database_unavailable` — and ends with the same listings, alerts and evidence as a
crawl on a database that never went away, nothing lost and nothing twice. (Were the database away for
longer than a minute, the crawl stops and resumes from its job folder: tests/reliability/test_fault_crawl_kill.py.)

The shared server on 5432 is not touched: the test starts its own with the `pgserver` package and
restarts that one (`pg_ctl restart -m immediate`, as a crash and a supervisor's restart would)."""

from __future__ import annotations

import re
import shutil
import tempfile
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy.engine import make_url

from ipwatch.demo_marketplace.server import RunningMarket
from ipwatch.evidence import chain
from tests.children import ipwatch_env, run, spawn
from tests.demo_crawl import count, db_url_of, state, static_profile
from tests.watchlists import small_watchlist, store_watchlist


class Throwaway:
    """A PostgreSQL server of this test alone, which it may restart."""

    def __init__(self) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
            import pgserver
        self.root = Path(tempfile.mkdtemp(prefix="ipwatch-pg-restart-"))
        self.server = pgserver.get_server(self.root / "pgdata", cleanup_mode="delete")
        self.admin = self.server.get_uri("postgres")

    def database(self, name: str) -> str:
        with psycopg.connect(self.admin, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return make_url(self.admin).set(database=name).render_as_string(hide_password=False)

    def restart(self) -> None:
        from pgserver._commands import pg_ctl
        pg_ctl(["-w", "-m", "immediate", "restart"], pgdata=self.server.pgdata, user=self.server.system_user,
               timeout=60)

    def stop(self) -> None:
        self.server.cleanup()
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture
def throwaway() -> Iterator[Throwaway]:
    server = Throwaway()
    yield server
    server.stop()


@pytest.mark.reliability("fault", "PostgreSQL restarted during a crawl")
@pytest.mark.postgres
def test_a_crawl_through_a_database_restart_ends_with_every_listing_and_alert_once(
        throwaway: Throwaway, market: RunningMarket, tmp_path: Path) -> None:
    reference = tmp_path / "reference" / "data"
    store_watchlist(reference, small_watchlist())
    profile = str(static_profile(tmp_path))
    whole = run(ipwatch_env(reference), "crawl", profile, "--base-url", market.url, "--no-deliver")
    assert whole.returncode == 0, whole.stdout[-2000:] + whole.stderr[-2000:]
    expected: dict[str, Any] = state(db_url_of(reference, None))

    data = tmp_path / "pg" / "data"
    data.mkdir(parents=True)
    url = throwaway.database("crawl")
    store_watchlist(data, small_watchlist(), database_url=url)
    crawl = ["crawl", profile, "--base-url", market.url, "--no-deliver", "--jobdir", str(tmp_path / "job")]
    child = spawn(ipwatch_env(data, database_url=url), *crawl, log=tmp_path / "crawl.log")
    deadline = time.monotonic() + 120
    while count(url, "listings") < len(expected["listings"]) // 3 and child.poll() is None \
            and time.monotonic() < deadline:
        time.sleep(0.02)
    assert child.poll() is None, "the crawl ended before the restart: " + (tmp_path / "crawl.log").read_text()[-2000:]
    throwaway.restart()
    code = child.wait(180)
    log = (tmp_path / "crawl.log").read_text()
    assert code == 0, log[-3000:]  # ridden out: the writes waited for the database to come back
    assert re.search(r"database_unavailable: http\S+ \(.*?\) — the database did not answer", " ".join(log.split())), \
        log[-3000:]
    after = state(url)
    assert after["listings"] == expected["listings"], log[-3000:]
    assert after["alerts"] == expected["alerts"], log[-3000:]
    assert after["sightings"] == expected["sightings"], "a listing stored twice, or a sighting lost"
    assert after["runs"] == ["finished"]
    assert after["evidence"] == expected["evidence"]
    assert chain.verify(data / "evidence").intact
