"""A crawl SIGKILLed at a random point — while fetching, or after fetching while matching and capturing
evidence — and run again with the same job folder ends with the same listings, alerts and evidence as
a crawl that was never interrupted: nothing lost, nothing twice. (tests/spiders/test_resume.py kills
the crawl half-way, JavaScript pages included; here the point is drawn at random.)"""

from __future__ import annotations

import json
import random
import signal
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ipwatch.demo_marketplace.server import RunningMarket
from ipwatch.evidence import chain
from tests.children import ipwatch_env, run, spawn
from tests.demo_crawl import count, db_url_of, expected_listings, state, static_profile
from tests.watchlists import small_watchlist, store_watchlist


def fetching_finished(job: Path) -> bool:
    """Whether the crawl in the job folder had fetched everything (its journal says finished)."""
    with sqlite3.connect(job / "frontier.sqlite3") as journal:
        row = journal.execute("SELECT value FROM state WHERE key = 'finished'").fetchone()
    return bool(row and json.loads(row[0]))


@pytest.fixture(scope="module")
def uninterrupted(market: RunningMarket, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The state an uninterrupted crawl of the demo's static sections leaves."""
    folder = tmp_path_factory.mktemp("whole")
    data = folder / "data"
    store_watchlist(data, small_watchlist())
    done = run(ipwatch_env(data), "crawl", str(static_profile(folder)), "--base-url", market.url, "--no-deliver",
               "--jobdir", str(folder / "job"))
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    whole = state(db_url_of(data, None))
    assert whole["listings"] == expected_listings(market, data)
    assert whole["alerts"] and whole["sightings"][0] == len(whole["listings"])
    yield whole


@pytest.mark.reliability("fault", "SIGKILL of a crawl at a random point")
@pytest.mark.parametrize("seed", [1, 3])
def test_a_crawl_killed_at_a_random_point_resumes_to_the_same_listings_alerts_and_evidence(
        seed: int, market: RunningMarket, uninterrupted: dict[str, Any], tmp_path: Path) -> None:
    chance = random.Random(seed)
    data, job, log = tmp_path / "data", tmp_path / "job", tmp_path / "crawl.log"
    store_watchlist(data, small_watchlist())
    url = db_url_of(data, None)
    crawl = ["crawl", str(static_profile(tmp_path)), "--base-url", market.url, "--no-deliver", "--jobdir", str(job)]
    expected = len(uninterrupted["listings"])
    # seed 3 waits for the fetching to end: the kill lands while listings are matched and evidence is taken
    target = expected if seed == 3 else chance.randint(1, expected - 1)
    child = spawn(ipwatch_env(data), *crawl, log=log)
    deadline = time.monotonic() + 120
    while count(url, "listings") < target and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    if seed == 3:
        while count(url, "alerts") == 0 and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
    time.sleep(chance.uniform(0, 0.3))
    assert child.poll() is None, "the crawl ended before the kill: " + log.read_text()[-2000:]
    child.send_signal(signal.SIGKILL)
    child.wait(30)
    fetched_all = fetching_finished(job)  # the kill may land after the last page even when aimed before it
    assert fetched_all or seed != 3

    resumed = run(ipwatch_env(data), *crawl)
    assert resumed.returncode == 0, resumed.stdout[-2000:] + resumed.stderr[-2000:]
    after = state(url)
    assert after["listings"] == uninterrupted["listings"]
    assert after["alerts"] == uninterrupted["alerts"]
    if fetched_all:  # the fetching had finished: the job folder's crawl is done, and running it again crawls
        # afresh (a second run, one sighting per listing each), matching and capturing what the kill cut short
        assert (after["runs"], after["sightings"]) == (["finished", "finished"], (2 * expected, expected))
        with sqlite3.connect(data / "ipwatch.db") as database:  # the killed run was matched by the next crawl
            stats = [json.loads(row[0]) for row in database.execute("SELECT stats FROM crawl_runs ORDER BY id")]
        assert all("alerts/created" in each for each in stats), "a run killed while matching was never matched"
    else:
        assert after["sightings"] == (expected, expected), "a listing was seen twice in one crawl"
        assert after["runs"] == ["finished"], "the resumed crawl must continue its run, not start another"
    assert after["evidence"] == uninterrupted["evidence"], "evidence lost or taken twice"
    assert chain.verify(data / "evidence").intact


@pytest.mark.reliability("fault", "SIGKILL of a crawl at a random point")
def test_a_run_that_ended_unmatched_is_matched_by_the_next_crawl(
        market: RunningMarket, uninterrupted: dict[str, Any], tmp_path: Path) -> None:
    """A crawl killed after its fetching ended, before matching did, leaves a finished run nobody matched
    (as `--no-match` does): the next crawl of the site matches it too, so a listing gone since is still alerted."""
    data = tmp_path / "data"
    store_watchlist(data, small_watchlist())
    crawl = ["crawl", str(static_profile(tmp_path)), "--base-url", market.url, "--no-deliver"]
    first = run(ipwatch_env(data), *crawl, "--no-match")
    assert first.returncode == 0, first.stdout[-2000:] + first.stderr[-2000:]
    assert not state(db_url_of(data, None))["alerts"]
    second = run(ipwatch_env(data), *crawl)
    assert second.returncode == 0, second.stdout[-2000:] + second.stderr[-2000:]
    assert "which ended unmatched" in second.stdout
    with sqlite3.connect(data / "ipwatch.db") as database:
        stats = [json.loads(row[0]) for row in database.execute("SELECT stats FROM crawl_runs ORDER BY id")]
    assert len(stats) == 2 and all("alerts/created" in each for each in stats)
    assert state(db_url_of(data, None))["alerts"] == uninterrupted["alerts"]
