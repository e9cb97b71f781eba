"""The evidence disk fills up during a crawl: listings and alerts are kept, each page or file not written is
a named, logged outcome (`evidence_not_written` in the crawl, `disk full` in the capture), the hash chain
stays whole, and once there is room `ipwatch evidence capture` and the next crawl complete the evidence —
every alert ends with its WARC page, fields and screenshot, each once.

The full disk is real: a 1 MB tmpfs mounted on the evidence folder (needs root; skipped otherwise)."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from ipwatch.demo_marketplace.server import RunningMarket
from ipwatch.evidence import chain
from tests.children import ipwatch_env, run
from tests.demo_crawl import db_url_of, expected_listings, state, static_profile
from tests.watchlists import small_watchlist, store_watchlist

ROOM = 40 * 1024  # left free: room for a few raw pages, not for every page nor any screenshot


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MB tmpfs at tmp_path/data/evidence, filled up to ROOM bytes free by `filler`."""
    folder = tmp_path / "data" / "evidence"
    folder.mkdir(parents=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)], capture_output=True,
                             text=True, check=False)
    if mounted.returncode != 0:
        pytest.skip(f"a small tmpfs cannot be mounted here (needs root): {mounted.stderr.strip()}")
    try:
        filler = folder / "filler"
        with filler.open("wb") as handle:
            try:
                while True:
                    handle.write(b"\0" * 65536)
                    handle.flush()
            except OSError:
                pass
        os.truncate(filler, max(0, filler.stat().st_size - ROOM))
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


@pytest.mark.reliability("fault", "evidence disk full during a crawl")
def test_a_full_evidence_disk_loses_no_listing_or_alert_and_the_evidence_is_completed_later(
        small_disk: Path, market: RunningMarket, tmp_path: Path) -> None:
    data = tmp_path / "data"
    store_watchlist(data, small_watchlist())
    url = db_url_of(data, None)
    crawl = ["crawl", str(static_profile(tmp_path)), "--base-url", market.url, "--no-deliver"]

    first = run(ipwatch_env(data), *crawl)
    log = first.stdout + first.stderr
    assert first.returncode == 0, log[-3000:]
    full = state(url)
    assert full["listings"] == expected_listings(market, data), "a listing was lost for want of disk space"
    assert full["alerts"] and len(full["listings"]) == full["sightings"][1]
    assert re.search(r"evidence_not_written: http\S+ \(No space left on device\) — the raw page could not be "
                     r"written", log), log[-3000:]
    assert re.search(r"evidence: .* not written \(No space left on device\) — the evidence folder could not be "
                     r"written", log, re.S), log[-3000:]
    assert re.search(r"evidence: evidence for \d+ alert\(s\).*; \d+ disk full", log), log[-3000:]
    assert chain.verify(small_disk).intact, "a full disk must not leave half a line in the chain"
    assert not list(small_disk.rglob("*.part")), "no half-written file is left behind"
    incomplete = [key for key in full["alerts"] if full["evidence"].get(key) != ["fields", "screenshot", "warc"]]
    assert incomplete, "the disk was meant to fill up before all the evidence was written"

    (small_disk / "filler").unlink()  # the office frees space
    captured = run(ipwatch_env(data), "evidence", "capture")
    assert captured.returncode == 0, captured.stdout[-2000:] + captured.stderr[-2000:]
    assert "disk full" not in captured.stdout
    again = run(ipwatch_env(data), *crawl)  # pages not kept for want of room are kept at the next crawl
    assert again.returncode == 0, again.stdout[-2000:] + again.stderr[-2000:]

    after = state(url)
    assert after["alerts"] == full["alerts"] and after["listings"] == full["listings"]
    assert {key: after["evidence"].get(key) for key in after["alerts"]} == {
        key: ["fields", "screenshot", "warc"] for key in after["alerts"]}
    verified = chain.verify(small_disk)
    assert verified.intact, verified.problems
