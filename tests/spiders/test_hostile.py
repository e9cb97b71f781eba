"""A crawl of a hostile shop on 127.0.0.1 finishes and names every bad page: a 20 MB page, an endless
redirect, an open redirect to another host, malformed HTML, missing fields, a title with <script>,
a rate limit that clears, captcha and login walls, a robots.txt-forbidden page, a removed listing."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.servers.shop import Shop
from tests.watchlists import small_watchlist

WATCHLIST = small_watchlist("xiaofeiyang")
ITEMS = ["ok", "malformed", "missing", "script", "huge", "loop", "away", "flaky", "captcha", "login", "gone"]
SCRIPT_TITLE = '小肥羊<script>alert(1)</script>"><img src=x onerror=alert(2)>'
HUGE = 20 * 1024 * 1024


class Elsewhere(Shop):
    """Another host: the crawl must never reach it."""

    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        Elsewhere.hits.append(self.path)
        self.send(200)


class HostileShop(Shop):
    """A shop whose pages are as bad as the web gets."""

    elsewhere = ""
    flaky = 0
    lock = threading.Lock()

    def do_GET(self) -> None:  # noqa: N802, C901 - one branch per kind of bad page
        path = self.path.split("?")[0]
        html = "<html><head><title>t</title></head><body>{}</body></html>"
        if path == "/robots.txt":
            return self.send(200, b"User-agent: *\nDisallow: /private/\n", {"Content-Type": "text/plain"})
        if path == "/search":
            if "page=2" in self.path:
                return self.send(200, html.format("<p>请输入验证码</p><img src='/captcha.png'>").encode())
            links = "".join(f'<a class="r" href="/item/{name}">x</a>' for name in ITEMS)
            links += '<a class="r" href="/private/item">x</a><a rel="next" href="/search?q=x&page=2">2</a>'
            return self.send(200, html.format(links).encode())
        if path == "/login":
            return self.send(200, html.format("<form>登录</form>").encode())
        name = path.rsplit("/", 1)[-1]
        if name == "ok":
            return self.send(200, html.format("<h1>小肥羊火锅底料</h1><span class='price'>¥25.00</span>").encode())
        if name == "malformed":
            return self.send(200, b"<html><body><div><h1>\xe5\xb0\x8f\xe8\x82\xa5\xe7\xbe\x8a \xff\xfe<span>"
                                   b"<p><table><tr><td><h1></div></div></b></i><span class='price'>12</span")
        if name == "missing":
            return self.send(200, html.format("<h1>小肥羊 no price here</h1>").encode())
        if name == "script":
            body = html.format('<script type="application/ld+json">{"@type": "Product", "name": '
                               + __import__("json").dumps(SCRIPT_TITLE).replace("</", "<\\/")
                               + ', "offers": {"price": "5", "priceCurrency": "CNY"}}</script>')
            return self.send(200, body.encode())
        if name == "huge":
            return self.send(200, b"<html><body><h1>big</h1>" + b"x" * HUGE + b"</body></html>")
        if name == "loop":
            return self.send(302, b"", {"Location": "/item/loop-again" if path.endswith("loop") else "/item/loop"})
        if name == "loop-again":
            return self.send(302, b"", {"Location": "/item/loop"})
        if name == "away":
            return self.send(302, b"", {"Location": self.elsewhere + "/stolen"})
        if name == "flaky":
            with HostileShop.lock:
                HostileShop.flaky += 1
                attempt = HostileShop.flaky
            if attempt <= 2:
                return self.send(429, b"slow down", {"Retry-After": "0"})
            return self.send(200, html.format("<h1>小肥羊 after a rate limit</h1><span class='price'>¥8</span>").encode())
        if name == "captcha":
            return self.send(200, html.format("<form>请输入验证码</form>").encode())
        if name == "login":
            return self.send(302, b"", {"Location": "/login?from=item"})
        if path.startswith("/private/"):
            return self.send(200, html.format("<h1>小肥羊 private</h1>").encode())
        return self.send(404, html.format("gone").encode())


PROFILE = """name: hostile
base_url: {url}
source: tests/spiders/test_hostile.py
searches:
  - url: /search?q={{q}}
    max_pages: 3
selectors:
  result_link: "a.r::attr(href)"
  next_page: "a[rel=next]::attr(href)"
  title: "h1::text"
  price: "span.price::text"
currency: CNY
rate_per_min: 60000
concurrency: 4
blocked:
  - kind: captcha
    text: 请输入验证码
  - kind: login
    url: /login
"""


def test_a_hostile_shop_is_crawled_to_the_end_with_every_bad_page_named(
        tmp_path: Path, serve: Callable[[type], str], ipwatch: Callable[..., Any],
        watchlist_in: Callable[[Path, str], None]) -> None:
    HostileShop.elsewhere = serve(Elsewhere).replace("127.0.0.1", "localhost")
    url = serve(HostileShop)
    (tmp_path / "hostile.yaml").write_text(PROFILE.format(url=url), encoding="utf-8")
    data = tmp_path / "data"
    watchlist_in(data, WATCHLIST)
    result = ipwatch(data, "crawl", str(tmp_path / "hostile.yaml"), "--no-deliver")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]

    with sqlite3.connect(data / "ipwatch.db") as db:
        listings = dict(db.execute("SELECT listing_key, title FROM listings").fetchall())
        problems = dict(db.execute("SELECT listing_key, problems FROM listings").fetchall())
        stats = __import__("json").loads(db.execute("SELECT stats FROM crawl_runs").fetchone()[0])
    assert set(listings) == {"/item/ok", "/item/malformed", "/item/missing", "/item/script", "/item/flaky"}
    assert listings["/item/script"] == SCRIPT_TITLE  # stays text, whatever it holds
    assert listings["/item/malformed"].startswith("小肥羊")
    assert "no price" in problems["/item/missing"]
    named = {"outcome/too_large": 1, "outcome/redirect_loop": 1, "outcome/offsite": 1, "outcome/not_found": 1,
             "robotstxt/forbidden": 1, "blocked/captcha": 2, "blocked/login": 1, "coverage/pages_blocked": 3,
             "outcome/no_price": 1}
    assert {key: stats.get(key) for key in named} == named, sorted(stats.items())
    assert stats["retry/count"] >= 2 and stats["coverage/listings_found"] == 5
    assert "outcome/no_results" not in stats  # the captcha'd results page is blocked, not empty
    assert Elsewhere.hits == []
