"""Per-profile field accuracy of the shipped site profiles on the real saved marketplace pages.

    python bench/real_pages.py [--fixtures DIR] [--show-errors]

Every file of `../shared/fixtures/real_pages/` that the issue of real pages named (Douyin and Xianyu API
responses, AliExpress search and item, JD item and search, Taobao search and item, Tmall item, Amazon.es and
eBay search, a bot-block page and a JavaScript shell) is read the way a crawl reads it, through its site's
shipped profile, and compared with ground_truth_derived.json:

- title, seller: the same text (NFKC, case-folded, whitespace collapsed);
- price: the same amount; a range's lowest price; a price the page does not carry must come out as none;
- currency: the same ISO code; image: the first image, the same picture (path, whatever CDN host or size);
- url: the address of the same listing (the profile's listing key and the site's domain).
A search that follows result links (JD, Amazon, eBay) is scored on the links it finds (url). A block page
must come out `blocked` and a shell `needs_rendering`. Fields the ground truth leaves empty are not scored.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from extraction import FIXTURES, Score, decimal, page_from_json, same_text
from price_parser import Price

from ipwatch.spiders.encoding import html_response
from ipwatch.spiders.extract import extract_listing, listing_from, results_on_page, select
from ipwatch.spiders.profile import SiteProfile, load_profile
from ipwatch.spiders.reading import NotAListing, read_page
from ipwatch.spiders.records import Listing

FIELDS = ("title", "price", "currency", "seller", "image", "url")
# file → (profile, what the page is, the address it was served from, how it is served)
# what: listing (an item page or detail response), results (listings on a search page or API response),
# links (a search page whose result links are followed), state (a page that is no listing).
# served: html (as saved), json (an API response body), or the script assignment the JSON was taken from.
CASES: dict[str, tuple[str, str, str, str]] = {
    "douyin-api/promotion_detail.json": ("douyin", "listing",
                                         "https://haohuo.jinritemai.com/views/product/item2?id=61088777146700", "json"),
    "douyin-api/mall_item_cards.json": ("douyin", "results", "https://www.douyin.com/aweme/v1/mall/", "json"),
    "douyin-api/mall_seckill_feed.json": ("douyin", "results", "https://www.douyin.com/aweme/v1/mall/", "json"),
    "douyin-api/goods_rank.json": ("douyin", "results", "https://www.douyin.com/aweme/v1/rank/", "json"),
    "douyin-api/aweme_with_promotions.json": ("douyin", "results", "https://www.douyin.com/aweme/v1/feed/", "json"),
    "douyin-api/video_promotions.promotions.json": ("douyin", "results", "https://www.douyin.com/aweme/v1/", "json"),
    **{f"xianyupp/data{page}.json": ("xianyu", "results", "https://www.goofish.com/search?q=x", "json")
       for page in range(1, 5)},
    "AliExpressAPI/README.search_tzt.json": ("aliexpress", "results",
                                             "https://www.aliexpress.com/wholesale?SearchText=tzt", "window.runParams"),
    "openGraphScraperPages/aliexpress.html": ("aliexpress", "listing",
                                              "https://he.aliexpress.com/item/32993251330.html", "html"),
    "node-worm/jd.html": ("jd", "listing", "https://item.jd.com/1020565583.html", "html"),
    "python_spider/jd.html": ("jd", "links", "https://search.jd.com/Search?keyword=x&enc=utf-8", "html"),
    "python_spider/search.htm": ("taobao", "results", "https://s.taobao.com/search?q=x", "html"),
    "ScrapyPyppeteerDeprecated/taobao.html": ("taobao", "results", "https://s.taobao.com/search?q=ipad", "html"),
    "openGraphScraperPages/taobao.html": ("taobao", "listing", "https://item.taobao.com/item.htm?id=562283240178",
                                          "html"),
    "openGraphScraperPages/tmall.html": ("tmall", "listing", "https://detail.tmall.com/item.htm?id=605258110430",
                                         "html"),
    "analisis_de_sentimientos/amazon_search.html.gz": ("amazon", "links", "https://www.amazon.es/s?k=God+of+War",
                                                       "html"),
    "Price_Comparison_Application/ebay.html.gz": ("ebay", "links", "https://www.ebay.com/sch/i.html?_nkw=shirts",
                                                  "html"),
    "Price_Comparison_Application/walmart.html": ("", "state", "https://www.walmart.com/search?q=x", "html"),
    "priceComparison/taobao_search.html": ("taobao", "state", "https://s.taobao.com/search?q=x", "html"),
}
STATES = {"blocked": "blocked", "js_shell_no_listings": "needs_rendering"}


def raw(root: Path, name: str) -> bytes:
    data = (root / name).read_bytes()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def served(root: Path, name: str, how: str) -> tuple[bytes, str | None]:
    """The file's bytes as the marketplace served them, and their Content-Type."""
    if how == "html":
        return raw(root, name), None
    if how == "json":
        return raw(root, name), "application/json; charset=utf-8"
    return page_from_json(how, json.loads(raw(root, name))), "text/html; charset=utf-8"


def wanted_price(item: dict[str, Any]) -> Any:
    """The price a listing should carry: a range's lowest, Spanish '17,04 €' as 17.04; None when the page has none."""
    if item.get("price_min") is not None:
        return item["price_min"]
    price = item.get("price")
    if price is None or isinstance(price, int | float):
        return price
    first = str(price).replace(" to ", " - ").split(" - ")[0]
    first = first.rsplit("-", 1)[0] if first.count("-") == 1 and not first.startswith("-") else first
    return Price.fromstring(first, decimal_separator="," if "€" in first and "," in first else None).amount


_SIZED = re.compile(r"(\.(?:jpe?g|png|webp|heic))_\d+x\d+[^/]*$", re.IGNORECASE)  # alicdn's x.jpg_430x430q90.jpg


def same_image(got: str | None, want: str | None) -> bool:
    """The same picture: the same path, whichever CDN host and thumbnail size serve it."""
    def path(url: str) -> str:
        return _SIZED.sub(r"\1", urlsplit(urljoin("https:", url)).path)
    return bool(got and want) and path(got or "") == path(want or "")


def same_listing(profile: SiteProfile, got: str | None, want: str) -> bool:
    """Whether two addresses lead to the same listing: the same key on the same site (an advert's click-through
    address names the listing's own, percent-encoded)."""
    if not got:
        return False
    got = unquote(got)
    hosts = [(urlsplit(url).hostname or "").split(".")[-2:] for url in (got, want)]
    return hosts[0] == hosts[1] and profile.key_from_url(got) == profile.key_from_url(want) is not None


def judge(profile: SiteProfile, name: str, listing: Listing | None, item: dict[str, Any]) -> bool | None:
    """Whether the listing's field agrees with the ground truth item (None: not scored)."""
    got = listing
    if name == "price":
        if "price" not in item:
            return None
        want = wanted_price(item)
        value = got.price if got else None
        return value is None if want is None else value is not None and decimal(round(value, 2)) == decimal(want)
    if name == "image":
        want = item.get("image") or (item.get("images") or [None])[0] or item.get("main_image")
        return None if not want else same_image(got.image_urls[0] if got and got.image_urls else None, want)
    if name == "url":
        return None if not item.get("url") else same_listing(profile, got.url if got else None, item["url"])
    if item.get(name) in (None, ""):
        return None
    return same_text(getattr(got, name, None)) == same_text(item[name])


def read(root: Path, name: str) -> tuple[SiteProfile | None, list[Listing], list[str], str]:
    """The listings (or result links, or page state) a crawl reads from one file through its profile."""
    profile_name, what, url, how = CASES[name]
    profile = load_profile(profile_name) if profile_name else None
    body, content_type = served(root, name, how)
    if how == "html" and what in ("listing", "state"):  # a saved page, read as `ipwatch extract` reads it
        try:
            listing, _ = read_page(str(root / name), url=url, limit=len(body) + 1, profile=profile)
        except NotAListing as state:
            return profile, [], [], state.state
        return profile, [listing], [], "listing"
    response = html_response(url, body, content_type)
    assert profile is not None
    if what == "links":
        return profile, [], [urljoin(url, href) for href in select(response, profile.selectors.result_link)], ""
    if what == "listing":
        return profile, [extract_listing(response, profile)], [], "listing"
    listings = [listing_from(found, url, profile, from_results=True) for found in results_on_page(response, profile)]
    return profile, [listing for listing in listings if listing.title], [], "listing"


def score(root: Path) -> tuple[dict[str, dict[str, Score]], dict[str, Score]]:
    """Per profile and field, and per page state, agreement with ground_truth_derived.json."""
    truth = json.loads((root / "ground_truth_derived.json").read_text(encoding="utf-8"))["files"]
    fields: dict[str, dict[str, Score]] = {}
    states: dict[str, Score] = {}
    for name, (profile_name, what, _, _) in CASES.items():
        expected = truth[name]
        profile, listings, links, state = read(root, name)
        if what == "state":
            want = STATES[expected["page_state"]]
            states.setdefault(want, Score()).add(state == want, f"{name}: got {state}, want {want}")
            continue
        assert profile is not None
        by_key = {listing.listing_key: listing for listing in listings}
        for position, item in enumerate(expected["items"]):
            scores = fields.setdefault(profile_name, {})
            if what == "links":
                ok = any(same_listing(profile, link, item["url"]) for link in links)
                scores.setdefault("url", Score()).add(ok, f"{name} #{position} url: {item['url']} not among links")
                continue
            listing = by_key.get(str(item.get("item_id"))) or (listings[0] if what == "listing" and listings else None)
            for field in FIELDS:
                ok = judge(profile, field, listing, item)
                if ok is not None:
                    got = getattr(listing, "image_urls" if field == "image" else field, None) if listing else None
                    scores.setdefault(field, Score()).add(
                        ok, f"{name} #{position} {field}: got {got!r}, want {item.get(field, item.get('images'))!r}")
    return fields, states


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fixtures", type=Path, default=FIXTURES)
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args(argv)
    if not (args.fixtures / "ground_truth_derived.json").is_file():
        print(f"no fixtures at {args.fixtures}: pass --fixtures", file=sys.stderr)
        return 2
    fields, states = score(args.fixtures)
    print("profile     " + "".join(f"{name:>17}" for name in FIELDS))
    for profile_name, scores in sorted(fields.items()):
        print(f"{profile_name:12}" + "".join(f"{str(scores[name]) if name in scores else '—':>17}" for name in FIELDS))
    for state, counted in states.items():
        print(f"page state {state}: {counted}")
    if args.show_errors:
        for scores in (*fields.values(), states):
            for counted in scores.values():
                for error in counted.errors:
                    print("  miss:", error)
    return 0


if __name__ == "__main__":
    sys.exit(main())
