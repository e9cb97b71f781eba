"""SSRF: a crawl never reaches a private, loopback or link-local address unless configured to.

A marketplace controls its pages: links, redirects, and what its names resolve to. The crawler runs
inside the office's network. spiders/addresses.py decides; AddressGuardMiddleware applies it to every
request and redirect hop (images included), the Playwright predicate to every request of a rendered
page. Nothing here leaves 127.0.0.1: the addresses below are only classified, never contacted.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ipwatch.spiders.addresses import AddressPolicy
from tests.children import ipwatch_env, run
from tests.servers.shop import Shop
from tests.watchlists import small_watchlist, store_watchlist

pytestmark = pytest.mark.reliability("security", "SSRF: crawls refuse private, loopback and link-local addresses")

PUBLIC_SHOP = AddressPolicy.for_profile(False, "https://shop.example.com", ["shop.example.com"])
DEMO_SHOP = AddressPolicy.for_profile(False, "http://127.0.0.1:8800", ["127.0.0.1"])

REFUSED = [
    "http://127.0.0.1/", "http://127.0.0.2:8080/admin", "http://localhost/", "http://LOCALHOST./",
    "http://2130706433/", "http://0x7f000001/", "http://0x7f.0.0.1/", "http://0177.0.0.1/", "http://127.1/",
    "http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://[::ffff:7f00:1]/", "http://[0:0:0:0:0:0:0:1]/",
    "http://0.0.0.0/", "http://10.0.0.5/", "http://172.16.3.4/", "http://192.168.1.1/", "http://100.64.0.1/",
    "http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/", "http://[fc00::1]/", "http://224.0.0.1/",
    "https://user:pw@10.1.2.3:8443/x", "http://[::ffff:a9fe:a9fe]/",
]
PUBLIC = ["http://93.184.216.34/", "https://8.8.8.8/dns", "http://[2606:4700:4700::1111]/"]


@pytest.mark.parametrize("url", REFUSED)
def test_private_loopback_and_link_local_addresses_in_every_spelling_are_refused(url: str) -> None:
    assert PUBLIC_SHOP.refusal(url), url


@pytest.mark.parametrize("url", PUBLIC)
def test_public_addresses_are_allowed(url: str) -> None:
    assert PUBLIC_SHOP.refusal(url) is None


@pytest.mark.parametrize(("url", "allowed"), [
    ("http://127.0.0.1:8800/item/1", True),  # the address the profile names
    ("http://127.0.0.1:9999/other-port", True),  # same address: ports are the domain guard's business
    ("http://127.0.0.2:8800/", False),  # a neighbour is not named
    ("http://localhost:8800/", False),  # a name resolving to it is not the address written down
    ("http://2130706433:8800/", False),
    ("http://10.0.0.1/", False),
])
def test_a_profile_naming_an_address_literally_may_reach_that_address_only(url: str, allowed: bool) -> None:
    assert (DEMO_SHOP.refusal(url) is None) is allowed


def test_the_setting_or_the_profile_flag_allows_private_networks() -> None:
    for policy in (AddressPolicy.for_profile(True, "https://intranet.example", []),
                   AddressPolicy.for_profile(False, "https://intranet.example", [], profile_allows=True)):
        assert all(policy.refusal(url) is None for url in REFUSED)


class LoopbackShop(Shop):
    """A shop on 127.0.0.1 whose links and redirects lead to the loopback address by other names."""

    port = 0
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        LoopbackShop.hits.append(f"{self.headers.get('Host')}{self.path}")
        page = "<html><body>{}</body></html>"
        path = self.path.split("?")[0]
        if path == "/robots.txt":
            return self.send(200, b"", {"Content-Type": "text/plain"})
        if path == "/search":
            links = "".join(f'<a class="r" href="{href}">x</a>' for href in (
                "/item/ok", "/item/to-localhost", "/item/to-decimal", f"http://localhost:{self.port}/item/direct"))
            return self.send(200, page.format(links).encode())
        if path == "/item/to-localhost":
            return self.redirect(f"http://localhost:{self.port}/item/secret")
        if path == "/item/to-decimal":
            return self.redirect(f"http://2130706433:{self.port}/item/secret")
        return self.send(200, page.format(f"<h1>小肥羊 {path}</h1><span class='price'>¥9</span>").encode())


PROFILE = """name: ssrf
base_url: http://127.0.0.1:{port}
domains: [127.0.0.1, localhost, "2130706433"]
source: tests/reliability/test_security_ssrf.py
searches:
  - url: /search?q={{q}}
selectors:
  result_link: "a.r::attr(href)"
  title: "h1::text"
  price: "span.price::text"
currency: CNY
rate_per_min: 60000
concurrency: 4
"""


def crawl(tmp_path: Path, port: int, **env: str) -> dict[str, Any]:
    """`ipwatch crawl` of the shop in a child process; the crawl run's stats."""
    data = tmp_path / "data"
    store_watchlist(data, small_watchlist("xiaofeiyang"))
    (tmp_path / "ssrf.yaml").write_text(PROFILE.format(port=port), encoding="utf-8")
    result = run({**ipwatch_env(data), **env}, "crawl", str(tmp_path / "ssrf.yaml"), "--no-deliver", cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    with sqlite3.connect(data / "ipwatch.db") as db:
        return json.loads(db.execute("SELECT stats FROM crawl_runs").fetchone()[0])


@pytest.fixture
def shop(serve: Callable[[type], str]) -> type[LoopbackShop]:
    LoopbackShop.hits = []
    LoopbackShop.port = int(serve(LoopbackShop).rsplit(":", 1)[1])
    return LoopbackShop


def test_links_and_redirects_to_loopback_by_other_names_are_refused_and_counted(tmp_path: Path, shop: Any) -> None:
    stats = crawl(tmp_path, shop.port)
    assert stats.get("outcome/private_address") == 3, sorted(stats.items())
    assert not [hit for hit in shop.hits if not hit.startswith(f"127.0.0.1:{shop.port}")], shop.hits
    assert not [hit for hit in shop.hits if "/item/secret" in hit or "/item/direct" in hit]
    assert f"127.0.0.1:{shop.port}/item/ok" in shop.hits


def test_with_private_addresses_allowed_the_same_crawl_reaches_them(tmp_path: Path, shop: Any) -> None:
    stats = crawl(tmp_path, shop.port, IPWATCH_ALLOW_PRIVATE_ADDRESSES="1")
    assert "outcome/private_address" not in stats
    assert any(hit.endswith("/item/secret") for hit in shop.hits), shop.hits
    assert any(hit.endswith("/item/direct") for hit in shop.hits), shop.hits
