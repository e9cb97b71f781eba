"""Hostile text and files that once hid or stalled things: a lone surrogate in a page's text (which
Python strings hold but UTF-8 cannot encode) and a reference image file of gigabytes.

A surrogate is replaced with U+FFFD where the text enters (extraction), the replacement is named in
the listing's problems, and the listing is stored and matched like any other. A reference image is
measured before it is read: over the limit, the watchlist check names file, line and field at once.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from scrapy.http import HtmlResponse

from ipwatch.core.images import MAX_FILE_BYTES
from ipwatch.spiders.extract import extract_listing
from ipwatch.spiders.store import content_hash
from ipwatch.watchlist.errors import WatchlistError
from ipwatch.watchlist.loader import load_watchlist
from tests.children import ipwatch_env
from tests.reliability.test_hostile_pages import PROFILE_YAML, FuzzShop
from tests.watchlists import store_watchlist
from tests.web.conftest import app, client, scene, web_settings  # noqa: F401 - fixtures

SURROGATES = "hostile text: a lone surrogate (JSON-LD \\ud800) is replaced, named, and the listing stored and matched"
HUGE_IMAGE = "hostile watchlist: a 3 GB (sparse) reference image is refused by its size, before it is read"
PRODUCT = ('{"@type":"Product","name":"Nike \\ud800 耐克 跑鞋","brand":{"name":"Nike\\udfff"},'
           '"offers":{"price":"399","priceCurrency":"CNY","seller":{"name":"官方\\udc00旗舰店"}}}')
PAGE = f'<html><head><script type="application/ld+json">{PRODUCT}</script></head><body></body></html>'.encode()


@pytest.mark.reliability("hostile", SURROGATES)
def test_a_lone_surrogate_is_replaced_where_the_text_enters_and_named():
    response = HtmlResponse(url="http://127.0.0.1:1/item/nike", body=PAGE)
    listing = extract_listing(response)
    assert listing.title == "Nike \ufffd 耐克 跑鞋"
    assert (listing.brand, listing.seller) == ("Nike\ufffd", "官方\ufffd旗舰店")
    assert listing.problems == ("lone surrogate replaced by U+FFFD in title, seller, brand",)
    # text that slipped past the door hashes as its replacement would, instead of raising
    assert content_hash("Nike \ud800 耐克 跑鞋", []) == content_hash(listing.title, [])


NIKE = """marks:
  - id: nike
    name: 耐克
    kind: trademark
    aliases: [Nike]
    owner: Nike Innovate C.V.
"""


class SurrogateShop(FuzzShop):
    """The hostile-pages shop serving one listing: the page above."""

    pages = {"nike.html": PAGE}


@pytest.mark.reliability("hostile", SURROGATES)
def test_a_crawled_listing_with_a_lone_surrogate_is_stored_and_alerted(
        tmp_path: Path, serve: Callable[[type], str], ipwatch: Callable[..., Any]) -> None:
    (tmp_path / "fuzz.yaml").write_text(PROFILE_YAML.format(url=serve(SurrogateShop)), encoding="utf-8")
    data = tmp_path / "data"
    store_watchlist(data, NIKE)
    result = ipwatch(data, "crawl", str(tmp_path / "fuzz.yaml"), "--no-deliver", timeout=240)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "UnicodeEncodeError" not in result.stdout + result.stderr
    with sqlite3.connect(data / "ipwatch.db") as db:
        stored = db.execute("SELECT title, seller, problems FROM listings").fetchall()
        alerts = db.execute("SELECT mark_id FROM alerts").fetchall()
    assert [(title, seller, json.loads(problems)) for title, seller, problems in stored] == [
        ("Nike \ufffd 耐克 跑鞋", "官方\ufffd旗舰店", ["lone surrogate replaced by U+FFFD in title, seller, brand"])]
    assert alerts == [("nike",)]


def sparse_image_watchlist(folder: Path, size: int = 3 * 1024**3) -> Path:
    """A watchlist whose one mark names a sparse file of `size` bytes (no disk used) as its image."""
    with (folder / "sparse.png").open("wb") as handle:
        handle.truncate(size)
    path = folder / "watchlist.yaml"
    path.write_text("marks:\n  - id: nike\n    name: 耐克\n    kind: trademark\n    owner: Nike Innovate C.V.\n"
                    "    images: [sparse.png]\n", encoding="utf-8")
    return path


@pytest.mark.reliability("hostile", HUGE_IMAGE)
def test_a_huge_reference_image_is_refused_by_its_size_before_it_is_read(tmp_path: Path) -> None:
    path = sparse_image_watchlist(tmp_path)
    tracemalloc.start()
    try:
        with pytest.raises(WatchlistError) as refused:
            load_watchlist(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16 * 1024 * 1024, f"{peak:,} bytes allocated"  # the file was never read
    assert str(refused.value) == (f"{path}:6: marks[0].images[0]: 'sparse.png' has 3,221,225,472 bytes; a reference"
                                  f" image may have at most {MAX_FILE_BYTES:,}: save a smaller PNG or JPEG")
    check = subprocess.run([sys.executable, "-m", "ipwatch.cli", "watchlist", "check", str(path)], text=True,
                           capture_output=True, env=ipwatch_env(tmp_path / "data"), timeout=120)
    assert check.returncode != 0 and "watchlist.yaml:6: marks[0].images[0]: 'sparse.png' has 3,221,225,472" \
        in check.stdout + check.stderr


@pytest.mark.reliability("hostile", HUGE_IMAGE)
def test_the_web_import_refuses_a_huge_reference_image_by_its_size(tmp_path: Path, scene, client) -> None:
    sparse = sparse_image_watchlist(tmp_path).with_name("sparse.png")
    upload = (f"marks:\n  - id: nike\n    name: 耐克\n    kind: trademark\n    owner: Nike Innovate C.V.\n"
              f"    images: [{sparse}]\n").encode()
    admin = client("admin")
    assert admin.form("/admin/watchlist/import", files={"file": ("w.yaml", upload)}).status_code == 303
    page = admin.get("/admin/marks").text
    assert "Watchlist not imported: line 6: marks[0].images[0]:" in page
    assert "sparse.png&#39; has 3,221,225,472 bytes; a reference image may have at most" in page
