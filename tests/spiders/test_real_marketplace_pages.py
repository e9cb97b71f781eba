"""Every shipped profile on the real saved marketplace pages of ../shared/fixtures/real_pages: Douyin and Xianyu
API responses, AliExpress search and item, JD item and search, Taobao search and item, Tmall item, Amazon.es and
eBay search, each read as a crawl reads it and compared with ground_truth_derived.json; and a real bot-block page
and a JavaScript shell, which are never a listing nor "no results". Per-profile figures: bench/real_pages.py."""

from __future__ import annotations

import json
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest

from ipwatch.spiders.blocking import blocked_by
from ipwatch.spiders.encoding import html_response
from ipwatch.spiders.profile import load_profile

SEARCH_RESULTS = ["douyin-api/mall_item_cards.json", "douyin-api/mall_seckill_feed.json", "douyin-api/goods_rank.json",
                  "douyin-api/aweme_with_promotions.json", "douyin-api/video_promotions.promotions.json",
                  "xianyupp/data1.json", "xianyupp/data2.json", "xianyupp/data3.json", "xianyupp/data4.json",
                  "AliExpressAPI/README.search_tzt.json", "python_spider/search.htm",
                  "ScrapyPyppeteerDeprecated/taobao.html"]
FIELDS = ("title", "price", "currency", "seller", "image", "url")


@pytest.fixture(scope="module")
def truth(shared_page: Callable[[str], bytes]) -> dict[str, Any]:
    return json.loads(shared_page("ground_truth_derived.json"))["files"]


@pytest.fixture(scope="module")
def fixtures(shared_page: Callable[[str], bytes], bench_real_pages: ModuleType) -> Any:
    return bench_real_pages.FIXTURES


@pytest.mark.parametrize("name", SEARCH_RESULTS)
def test_every_listing_of_a_search_response_is_read_with_its_fields(
        name: str, truth: dict[str, Any], fixtures: Any, bench_real_pages: ModuleType) -> None:
    profile, listings, _, _ = bench_real_pages.read(fixtures, name)
    by_key = {listing.listing_key: listing for listing in listings}
    expected = truth[name]["items"]
    assert len(listings) == len(expected)
    for item in expected:
        listing = by_key.get(str(item["item_id"]))
        wrong = [field for field in FIELDS if bench_real_pages.judge(profile, field, listing, item) is False]
        assert not wrong, (item["item_id"], wrong, listing)
        assert listing is not None and listing.price and listing.currency == item["currency"]


DOUYIN_DETAIL = {"listing_key": "61088777146700", "title": "MIUCO设计感复古系带收腰中长款黑色休闲西装外套女2020春装新款k",
                 "price": 305.2, "currency": "CNY", "seller": None}
ALIEXPRESS_ITEM = {"listing_key": "32993251330", "brand": "Apple", "price": 97.39, "currency": "EUR",
                   "seller": "Summer Technology Co.,Ltd."}
JD_ITEM = {"listing_key": "1020565583", "title": "良品铺子 手剥东北红松218g*2袋 特产东北松子 坚果炒货零食", "brand": "良品铺子",
           "price": None, "currency": "CNY", "seller": "良品铺子官方旗舰店"}
TAOBAO_ITEM = {"listing_key": "562283240178", "title": "乳白亚克力外壳 60%键盘外壳 poker外壳无加强筋底壳透光外壳",
               "brand": "KBDfans", "price": 149.0, "currency": "CNY", "seller": "怡科外设KBDfans"}
TMALL_ITEM = {"listing_key": "605258110430", "title": "【官网价直降】Apple/苹果 iPhone 11 4G全网通智能手机正品苏宁易购官方旗舰店苹果11",
              "brand": "Apple/苹果", "price": 5499.0, "currency": "CNY", "seller": "苏宁易购官方旗舰店"}


@pytest.mark.parametrize(("name", "expected"), [
    ("douyin-api/promotion_detail.json", DOUYIN_DETAIL), ("openGraphScraperPages/aliexpress.html", ALIEXPRESS_ITEM),
    ("node-worm/jd.html", JD_ITEM), ("openGraphScraperPages/taobao.html", TAOBAO_ITEM),
    ("openGraphScraperPages/tmall.html", TMALL_ITEM),
])
def test_item_pages_are_read_through_their_profile(
        name: str, expected: dict[str, Any], truth: dict[str, Any], fixtures: Any,
        bench_real_pages: ModuleType) -> None:
    profile, listings, _, state = bench_real_pages.read(fixtures, name)
    assert state == "listing" and len(listings) == 1
    listing = listings[0]
    assert {key: getattr(listing, key) for key in expected} == expected
    item = truth[name]["items"][0]
    want = item.get("images") or [item.get("main_image")]
    # the page's main image is among the listing's (Tmall's first is the default colour's picture)
    assert any(bench_real_pages.same_image(got, url) for got in listing.image_urls for url in want)


def test_a_jd_item_page_without_its_price_says_no_price_never_zero(fixtures: Any, bench_real_pages: ModuleType) -> None:
    _, (listing,), _, _ = bench_real_pages.read(fixtures, "node-worm/jd.html")
    assert listing.price is None and "no price" in listing.problems


@pytest.mark.parametrize("name", ["python_spider/jd.html", "analisis_de_sentimientos/amazon_search.html.gz",
                                  "Price_Comparison_Application/ebay.html.gz"])
def test_a_search_page_whose_results_are_followed_links_every_result(
        name: str, truth: dict[str, Any], fixtures: Any, bench_real_pages: ModuleType) -> None:
    profile, _, links, _ = bench_real_pages.read(fixtures, name)
    missing = [item["url"] for item in truth[name]["items"]
               if not any(bench_real_pages.same_listing(profile, link, item["url"]) for link in links)]
    assert links and not missing


def test_an_item_page_warning_about_sms_codes_is_no_captcha(shared_page: Callable[[str], bytes]) -> None:
    page = html_response("https://item.taobao.com/item.htm?id=562283240178",
                         shared_page("openGraphScraperPages/taobao.html"))
    assert "手机验证码" in page.text
    assert blocked_by(page, load_profile("taobao")) is None and blocked_by(page, load_profile("tmall")) is None


@pytest.mark.parametrize(("name", "state"), [("Price_Comparison_Application/walmart.html", "blocked"),
                                             ("priceComparison/taobao_search.html", "needs_rendering")])
def test_a_block_page_and_a_shell_are_no_listing(name: str, state: str, fixtures: Any,
                                                  bench_real_pages: ModuleType) -> None:
    _, listings, _, read_as = bench_real_pages.read(fixtures, name)
    assert (read_as, listings) == (state, [])


def test_the_bench_reports_every_profile_with_a_real_page(fixtures: Any, bench_real_pages: ModuleType) -> None:
    fields, states = bench_real_pages.score(fixtures)
    assert set(fields) == {"aliexpress", "amazon", "douyin", "ebay", "jd", "taobao", "tmall", "xianyu"}
    assert {state: score.accuracy for state, score in states.items()} == {"blocked": 1.0, "needs_rendering": 1.0}
