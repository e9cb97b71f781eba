"""A crawl of the demo marketplace, static and JavaScript (Playwright) sections alike, finds every
listing its searches return; killed with SIGKILL half-way and resumed from its job folder, it ends
with the same listings and alerts as an uninterrupted crawl, nothing lost and nothing twice."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ipwatch.demo_marketplace.server import RunningMarket
from ipwatch.evidence import chain
from ipwatch.spiders.profile import load_profile
from tests.demo_crawl import SECTIONS, count, db_url_of, expected_by_section
from tests.watchlists import small_watchlist

# A mark with results in all three sections: static, JavaScript mall, GBK.
WATCHLIST = small_watchlist("wahaha")


def state(data: Path) -> dict[str, Any]:
    with sqlite3.connect(data / "ipwatch.db") as db:
        return {
            "listings": {key for (key,) in db.execute("SELECT listing_key FROM listings")},
            "alerts": set(db.execute("SELECT l.listing_key, a.mark_id FROM alerts a "
                                     "JOIN listings l ON l.id = a.listing_id").fetchall()),
            "sightings": db.execute("SELECT COUNT(*), COUNT(DISTINCT listing_id) FROM sightings").fetchone(),
            "runs": db.execute("SELECT status, stats FROM crawl_runs").fetchall(),
            "evidence": db.execute("SELECT COUNT(*) FROM evidence WHERE alert_id IS NOT NULL").fetchone()[0],
        }


def listing_count(data: Path) -> int:
    return count(db_url_of(data, None), "listings")


@pytest.mark.browser
def test_a_crawl_killed_half_way_resumes_to_the_same_listings_and_alerts(
        tmp_path: Path, market: RunningMarket, ipwatch: Callable[..., subprocess.CompletedProcess[str]],
        spawn: Callable[..., subprocess.Popen[str]], watchlist_in: Callable[[Path, str], None]) -> None:
    profile = tmp_path / "demo.yaml"  # the demo profile without images: text matching is enough here
    profile.write_text(load_profile("demo").model_copy(update={"max_images": 0}).model_dump_json(), encoding="utf-8")
    runs = {name: tmp_path / name / "data" for name in ("whole", "killed")}
    for data in runs.values():
        watchlist_in(data, WATCHLIST)
    crawl = ["crawl", str(profile), "--base-url", market.url, "--no-deliver"]

    whole = ipwatch(runs["whole"], *crawl, "--jobdir", str(runs["whole"].parent / "job"))
    assert whole.returncode == 0, whole.stdout[-2000:] + whole.stderr[-2000:]
    by_section = expected_by_section(market, runs["whole"], javascript=True)
    # the static pages, the JavaScript mall (rendered by Chromium) and the GBK pages each have listings to find
    assert set(by_section) == set(SECTIONS.values()) and all(by_section.values()), by_section
    expected = set().union(*by_section.values())
    uninterrupted = state(runs["whole"])
    assert uninterrupted["listings"] == expected  # every listing, the mall's JavaScript pages included
    stats = json.loads(uninterrupted["runs"][0][1])
    assert stats["playwright/request_count/resource_type/document"] >= 1 and stats["pages/encoding/gbk"] >= 1

    job = str(runs["killed"].parent / "job")
    child = spawn(runs["killed"], *crawl, "--jobdir", job)
    deadline = time.monotonic() + 120
    while listing_count(runs["killed"]) < len(expected) // 2 and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    at_kill = listing_count(runs["killed"])
    assert 0 < at_kill < len(expected), "the kill must land half-way"

    resumed = ipwatch(runs["killed"], *crawl, "--jobdir", job)
    assert resumed.returncode == 0, resumed.stdout[-2000:] + resumed.stderr[-2000:]
    after = state(runs["killed"])
    assert after["listings"] == uninterrupted["listings"]
    assert after["alerts"] == uninterrupted["alerts"] and after["alerts"]
    assert after["sightings"] == (len(expected), len(expected))  # one sighting each: nothing twice
    assert [status for status, _ in after["runs"]] == ["finished"]  # the same crawl run, resumed
    assert json.loads(after["runs"][0][1])["coverage/listings_found"] == len(expected)
    assert after["evidence"] == uninterrupted["evidence"] == 3 * len(after["alerts"])
    assert chain.verify(runs["killed"] / "evidence").intact
