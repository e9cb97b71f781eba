"""Hostile pages: every file of the fuzz corpus (tests/reliability/corpus/pages/) and the big ones made here
(a 20 MB page, 100,000 nested divs, enormous and bottomless JSON-LD) gives a named outcome — a listing,
or `no_title` / `no_price` / `too_large` counted in the crawl's stats and logged with its remedy —
never a crash. Property tests throw arbitrary bytes, charsets and JSON at the extractor.
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st
from scrapy.http import HtmlResponse

from ipwatch.spiders.encoding import with_detected_encoding
from ipwatch.spiders.extract import extract_listing
from ipwatch.spiders.profile import load_profile
from tests.reliability.test_hostile_images import IMAGES as IMAGE_OUTCOMES
from tests.servers.shop import Shop
from tests.watchlists import small_watchlist, store_watchlist

CORPUS = Path(__file__).parent / "corpus" / "pages"
PROFILE = load_profile("demo")
TITLE, BIG5_TITLE = "娃哈哈 纯净水 596ml", "娃哈哈 純淨水 596ml"
SLOW_S = 10  # a page that takes longer than this to read has become a way to stall the crawl

# corpus file → (title read, problems named); the title None means "no title" is the outcome.
PAGES: dict[str, tuple[str | None, tuple[str, ...]]] = {
    "malformed.html": ("娃哈哈 纯净水", ()),
    "unclosed_comment.html": (TITLE, ()),
    "gbk_declared.html": (TITLE, ()),
    "gbk_declared_utf8.html": (TITLE, ()),  # declared UTF-8, bytes GBK: the bytes win
    "gbk_undeclared.html": (TITLE, ()),
    "big5_declared.html": (BIG5_TITLE, ()),
    "big5_undeclared.html": (BIG5_TITLE, ()),
    "utf8_declared_gbk.html": (TITLE, ()),  # re-saved as UTF-8, old declaration left in
    "unknown_charset.html": (TITLE, ()),
    "truncated_gbk.html": (TITLE, ("no price",)),  # cut before its price
    "nul_bytes.html": (TITLE, ()),
    "only_nul.html": (None, ("no title", "no price")),
    "empty.html": (None, ("no title", "no price")),
    "not_html.html": (None, ("no title", "no price")),
    "jsonld_invalid.html": (TITLE, ("no price",)),
    "jsonld_wrong_types.html": (TITLE, ("no price",)),
    "jsonld_ok_html_broken.html": (TITLE, ()),
    "script_injection.html": ('娃哈哈 "><img src=x onerror=alert(2)>', ()),  # text stays text; script dropped
    "entity_soup.html": ("娃哈哈 &amp; \ufffd \ufffd \ufffd &bogus;", ()),
    "bidi_zero_width.html": ("娃\u200b哈\u202e哈\ufeff 纯净水", ()),
    "price_garbage.html": (TITLE, ("no price",)),
}


def jsonld_page(block: str) -> bytes:
    return (f'<html><head><script type="application/ld+json">{block}</script></head>'
            f"<body><h1 class='title'>{TITLE}</h1><span class='price'>￥2.50</span></body></html>").encode()


def made_here() -> dict[str, tuple[bytes, str | None, tuple[str, ...]]]:
    """The big or deep pages, made at test time (name → bytes, title, problems)."""
    product = {"@type": "Product", "name": "大", "offers": {"price": "1", "priceCurrency": "CNY"}}
    return {
        # libxml2 stops building the tree at depth 256: what is deeper is not read, the outcome is no title
        "nested_100k_divs.html": (b"<html><body>" + b"<div>" * 100_000 + f"<h1 class='title'>{TITLE}</h1>".encode()
                                  + b"</div>" * 100_000 + b"</body></html>", None, ("no title", "no price")),
        "jsonld_3mb.html": (jsonld_page(json.dumps({**product, "description": "长" * 3_000_000}, ensure_ascii=False)),
                            TITLE, ()),  # skipped as too big: the page's own heading and price are read
        "jsonld_bottomless_list.html": (jsonld_page("[" * 200_000 + "]" * 200_000), TITLE, ()),
        "jsonld_bottomless_object.html": (jsonld_page('{"a":' * 50_000 + "1" + "}" * 50_000), TITLE, ()),
        # ten thousand products is not one page's product: the page's heading is read instead
        "jsonld_10k_products.html": (jsonld_page(json.dumps([product] * 10_000, ensure_ascii=False)), TITLE, ()),
    }


def read(body: bytes, content_type: str | None = None) -> Any:
    headers = {"Content-Type": content_type} if content_type else {}
    response = with_detected_encoding(HtmlResponse(url="http://127.0.0.1:1/item/x", body=body, headers=headers))
    return extract_listing(response, PROFILE)


@pytest.mark.reliability("hostile", "malformed HTML, wrong or missing charsets, GBK/Big5, JSON-LD (corpus)")
def test_the_corpus_table_covers_every_corpus_file() -> None:
    assert sorted(PAGES) == sorted(path.name for path in CORPUS.iterdir())


@pytest.mark.reliability("hostile", "malformed HTML, wrong or missing charsets, GBK/Big5, JSON-LD (corpus)")
@pytest.mark.parametrize("name", sorted(PAGES))
def test_a_corpus_page_gives_its_title_or_names_what_is_missing(name: str) -> None:
    title, problems = PAGES[name]
    listing = read((CORPUS / name).read_bytes())
    assert (listing.title or None, listing.problems) == (title, problems)


@pytest.mark.reliability("hostile", "deeply nested markup, enormous or bottomless JSON-LD")
@pytest.mark.parametrize("name", sorted(made_here()))
def test_a_big_or_deep_page_is_read_quickly_or_named(name: str) -> None:
    body, title, problems = made_here()[name]
    started = time.perf_counter()
    listing = read(body)
    assert (listing.title or None, listing.problems) == (title, problems)
    assert time.perf_counter() - started < SLOW_S


@pytest.mark.reliability("hostile", "a 10 MB page of 1.3 million elements (just under the size cap)")
def test_a_page_of_a_million_elements_is_read_in_seconds_by_its_markup(caplog: pytest.LogCaptureFixture) -> None:
    head = f"<html><body><h1 class='title'>{TITLE}</h1><span class='price'>￥2.50</span>".encode()
    body = head + b"<p>x</p>" * ((10 * 1024 * 1024 - len(head) - 14) // 8) + b"</body></html>"
    started = time.perf_counter()
    with caplog.at_level(logging.WARNING, logger="ipwatch.spiders.extract"):
        listing = read(body)
    assert (listing.title, listing.price, listing.problems) == (TITLE, 2.5, ())
    assert time.perf_counter() - started < SLOW_S  # read by its layout, it took a minute
    assert "too_many_elements: http://127.0.0.1:1/item/x has over 100000 elements — read by its markup" in caplog.text


# --- property tests: whatever the bytes, a Listing comes back ---------------------------------------

CHARSETS = [None, "utf-8", "gbk", "gb2312", "big5", "x-klingon", "utf-16", "latin-1", "shift_jis", ""]
PROBLEMS = {(), ("no price",), ("no title",), ("no title", "no price")}
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.reliability("hostile", "random bytes and charsets (hypothesis)")
@FAST
@given(body=st.binary(max_size=4096), charset=st.sampled_from(CHARSETS))
def test_any_bytes_with_any_declared_charset_give_a_listing(body: bytes, charset: str | None) -> None:
    listing = read(body, f"text/html; charset={charset}" if charset is not None else None)
    assert isinstance(listing.title, str) and listing.problems in PROBLEMS


TAGS = st.sampled_from(["<div>", "</div>", "<p>", "<table><tr><td>", "</td>", "<h1 class='title'>", "</h1>",
                        "<span class='price'>", "</span>", "<!--", "-->", "<script>", "</script>", "<![CDATA[",
                        "<meta charset='gbk'>", "<meta charset='big5'>", "&#0;", "&#xD800;", "&", "<", ">", "\x00",
                        "<svg><foreignObject>", "<template>", "<noscript>", '<a href="javascript:x">'])
WORDS = st.sampled_from(["娃哈哈", "纯净水", "固阳黄芪", "小肥羊", "￥2.50", "¥9", "596ml", "正品", "包邮", " "])


@pytest.mark.reliability("hostile", "random tag soup in any encoding (hypothesis)")
@FAST
@given(parts=st.lists(st.one_of(TAGS, WORDS), max_size=80), encoding=st.sampled_from(["utf-8", "gb18030", "big5"]))
def test_tag_soup_in_any_encoding_gives_a_listing(parts: list[str], encoding: str) -> None:
    body = "".join(parts).encode(encoding, errors="replace")
    listing = read(body)
    assert isinstance(listing.title, str) and listing.problems in PROBLEMS


HEADS = st.sampled_from(["娃哈哈", "固阳黄芪", "小肥羊", "蒙牛", "伊利", "鹿王", "康师傅", "同仁堂", "全聚德"])
TAILS = st.sampled_from(["纯净水", "正宗", "特产", "羊绒衫", "火锅底料", "纯牛奶", "礼盒装", "方便面", "500g", " "])


@pytest.mark.reliability("hostile", "wrong or missing charsets, GBK/Big5")
@FAST
@given(words=st.lists(st.tuples(HEADS, TAILS), min_size=1, max_size=4),
       encoding=st.sampled_from(["gbk", "gb18030", "big5", "utf-8"]),
       declared=st.sampled_from([None, "utf-8", "gbk", "big5", "iso-8859-1"]))
def test_a_chinese_title_reads_back_whatever_the_charset_declares(
        words: list[tuple[str, str]], encoding: str, declared: str | None) -> None:
    title = " ".join(head + tail for head, tail in words).strip()
    if encoding == "big5":  # Big5 pages are written in traditional characters
        from opencc import OpenCC
        title = OpenCC("s2t").convert(title)
    meta = f"<meta charset='{declared}'>" if declared else ""
    try:
        body = f"<html><head>{meta}</head><body><h1 class='title'>{title}</h1></body></html>".encode(encoding)
    except UnicodeEncodeError:
        reject()  # a character the encoding has no code for: such a page cannot exist
    assert read(body).title == " ".join(title.split())


@pytest.mark.reliability("hostile", "deeply nested markup, enormous or bottomless JSON-LD")
@FAST
@given(document=st.recursive(st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=20),
                             lambda inner: st.lists(inner, max_size=5)
                             | st.dictionaries(st.sampled_from(["@type", "name", "offers", "price", "priceCurrency",
                                                                "image", "brand", "@graph", "url", "sku"]),
                                               inner, max_size=6), max_leaves=60))
def test_any_json_ld_gives_a_listing(document: Any) -> None:
    listing = read(jsonld_page(json.dumps(document).replace("</", "<\\/")))
    assert isinstance(listing.title, str) and listing.problems in PROBLEMS


# --- the same pages through a real crawl: named, counted, logged --------------------------------------

WATCHLIST = small_watchlist("wahaha")
PROFILE_YAML = """name: fuzz
base_url: {url}
source: tests/reliability/test_hostile_pages.py
searches:
  - url: /search?q={{q}}
    max_pages: 1
selectors:
  result_link: "a.r::attr(href)"
  title: "h1.title::text"
  price: "span.price::text"
  images: "img.product-image::attr(src)"
currency: CNY
rate_per_min: 60000
concurrency: 4
max_images: 16
"""
IMAGES = Path(__file__).parent / "corpus" / "images"
HUGE = 20 * 1024 * 1024


class FuzzShop(Shop):
    """Serves each corpus page and each page made here as one listing of a search."""

    pages: dict[str, bytes] = {}

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        path = self.path.split("?")[0]
        if path == "/search":
            body = "".join(f'<a class="r" href="/item/{name}">x</a>' for name in self.pages).encode()
        elif path == "/item/pictures.html":  # every corpus image on one listing
            body = (f"<h1 class='title'>{TITLE}</h1><span class='price'>￥2.50</span>" + "".join(
                f"<img class='product-image' src='/img/{image.name}'>" for image in sorted(IMAGES.iterdir()))).encode()
        elif path.startswith("/img/"):
            body = (IMAGES / path.removeprefix("/img/")).read_bytes()
        elif path == "/item/huge.html":
            body = b"<html><body><h1 class='title'>big</h1>" + b"<p>x</p>" * (HUGE // 8) + b"</body></html>"
        else:
            body = self.pages.get(path.rsplit("/", 1)[-1], b"")
        # no charset: the bytes must tell
        self.send(200 if path != "/robots.txt" else 404, body, {"Content-Type": "text/html"})


@pytest.mark.reliability("hostile", "a crawl of the whole corpus: 20 MB page, every page named and logged")
def test_a_crawl_of_the_corpus_stores_every_readable_page_and_names_the_rest(
        tmp_path: Path, serve: Callable[[type], str], ipwatch: Callable[..., Any]) -> None:
    made = {name: body for name, (body, _, _) in made_here().items()}
    FuzzShop.pages = {**{path.name: path.read_bytes() for path in CORPUS.iterdir()}, **made, "huge.html": b"", "pictures.html": b""}
    url = serve(FuzzShop)
    (tmp_path / "fuzz.yaml").write_text(PROFILE_YAML.format(url=url), encoding="utf-8")
    data = tmp_path / "data"
    store_watchlist(data, WATCHLIST)
    result = ipwatch(data, "crawl", str(tmp_path / "fuzz.yaml"), "--no-deliver", timeout=240)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]

    expected = {**{name: title for name, (title, _) in PAGES.items()},
                **{name: title for name, (_, title, _) in made_here().items()}, "pictures.html": TITLE}
    with sqlite3.connect(data / "ipwatch.db") as db:
        stored = dict(db.execute("SELECT listing_key, title FROM listings").fetchall())
        stats = json.loads(db.execute("SELECT stats FROM crawl_runs").fetchone()[0])
        alerts = db.execute("SELECT COUNT(*) FROM alerts").fetchone()[0]
    assert stored == {f"/item/{name}": title for name, title in expected.items() if title}
    untitled = sum(1 for title in expected.values() if not title)
    priceless = sum(1 for name, title in expected.items() if title and "no price" in
                    (PAGES.get(name, (None, ()))[1] or made_here().get(name, (b"", None, ()))[2]))
    assert (stats.get("outcome/no_title"), stats.get("outcome/no_price"), stats.get("outcome/too_large")) == (
        untitled, priceless, 1), sorted(stats.items())
    assert alerts == len(stored)  # every stored page names 娃哈哈
    refused = {name for name, (kind, _) in IMAGE_OUTCOMES.items() if kind == "refused"}
    assert stats.get("outcome/bad_image", 0) + stats.get("outcome/image_failed", 0) == len(refused), \
        sorted(stats.items())
    log = result.stdout + result.stderr
    assert re.search(r"no_title: \S+/item/empty\.html — not a product page, or the profile's title selector is stale",
                     log), log[-3000:]
    flat = " ".join(log.split())
    for name in sorted(refused):  # each refused picture is named, with why, and the listing still stored
        assert re.search(rf"(bad_image|image_failed): \S+/img/{re.escape(name)} \(.+?\) — the image", flat), \
            re.findall(r"(?:bad_image|image_failed): .{0,300}", flat)
    assert re.search(r"too_large: \S+/item/huge\.html.{0,800}? — the page is larger than", log, re.S), log[-3000:]
