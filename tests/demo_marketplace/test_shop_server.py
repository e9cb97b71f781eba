"""Over HTTP on 127.0.0.1 the shop keeps the URL and HTML contract the spiders rely on."""

from __future__ import annotations

import io
import json
import re
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from PIL import Image

from ipwatch.demo_marketplace.catalogue import load_marks

SAMPLE = Path(__file__).resolve().parents[2] / "watchlist" / "samples" / "baotou.yaml"
MARKS = {mark.id: mark for mark in load_marks(SAMPLE)}
SEARCH = {"static": "/search", "gbk": "/gbk/search"}
JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def first(truth, **wanted):
    return next(e for e in truth if all(e[k] == v for k, v in wanted.items()))


def jsonld(html):
    blocks = JSONLD.findall(html)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def found_ids(market, http, parse_links, section, query):
    """Every listing id a spider finds by searching `query` in `section`, following all pages."""
    ids: list[str] = []
    if section == "mall":
        number = 1
        while True:
            data = http(f"{market.url}/api/mall/search?q={quote(query)}&page={number}").json()
            ids += [hit["url"].rsplit("/", 1)[1] for hit in data["results"]]
            if not data["next"]:
                return ids
            number += 1
    url = f"{market.url}{SEARCH[section]}?q={quote(query)}"
    while url:
        page = parse_links(http(url).text())
        ids += [href.rsplit("/", 1)[1] for href in page.results]
        url = market.url + page.next if page.next else None
    return ids


def test_search_paginates_ten_hits_per_page_with_a_next_link(market, http, parse_links):
    expected = [p.url_path for p in market.catalogue.search("static", "食品")]
    assert len(expected) > 20
    seen, url, sizes = [], f"{market.url}/search?q={quote('食品')}", []
    while url:
        page = parse_links(http(url).text())
        seen += page.results
        sizes.append(len(page.results))
        url = market.url + page.next if page.next else None
    assert seen == expected
    assert sizes[:-1] == [10] * (len(sizes) - 1) and 1 <= sizes[-1] <= 10
    assert http(f"{market.url}/search?q={quote('食品')}&page=2").text().count('rel="next"') == 1


def test_static_pages_are_utf8_by_header_and_meta(market, http, truth):
    reply = http(market.url + "/search?q=" + quote("小肥羊"))
    assert reply.content_type == "text/html; charset=utf-8"
    assert '<meta charset="utf-8">' in reply.text()
    listing = http(market.url + first(truth, section="static", case="genuine", bad=None)["url_path"])
    assert listing.content_type == "text/html; charset=utf-8" and '<meta charset="utf-8">' in listing.text()


def test_gbk_section_is_gbk_encoded_and_takes_utf8_queries(market, http, parse_links, truth):
    entry = first(truth, section="gbk", case="counterfeit")
    mark = MARKS[entry["infringes"][0]]
    search = http(f"{market.url}/gbk/search?q={quote(mark.name)}")
    assert search.content_type == "text/html; charset=gbk"
    assert entry["url_path"] in parse_links(search.body.decode("gbk")).results
    listing = http(market.url + entry["url_path"])
    assert listing.content_type == "text/html; charset=gbk"
    html = listing.body.decode("gbk")
    assert '<meta charset="gbk">' in html and entry["title"] in html
    with pytest.raises(UnicodeDecodeError):
        listing.body.decode("utf-8")


def test_listing_declares_a_schema_org_product_with_price(market, http, truth):
    entry = first(truth, section="static", case="genuine", bad=None)
    html = http(market.url + entry["url_path"]).text()
    data = jsonld(html)
    assert data["@type"] == "Product" and data["name"] == entry["title"] and data["sku"] == entry["id"]
    assert data["offers"]["price"] == entry["price"] and data["offers"]["priceCurrency"] == "CNY"
    assert data["offers"]["seller"] == {"@type": "Organization", "name": entry["seller"]}
    assert data["brand"]["name"] in {mark.name for mark in MARKS.values()}
    assert f'<span class="price">¥{entry["price"]}</span>' in html
    assert f'<span class="seller-location">{entry["seller_location"]}</span>' in html
    assert 2 <= len(data["image"]) <= 4
    for url in data["image"]:
        assert url.startswith(market.url + "/img/")
        reply = http(url)
        assert reply.status == 200 and reply.content_type in ("image/png", "image/jpeg")
        Image.open(io.BytesIO(reply.body)).load()
    assert data["image"][0].endswith(".png"), "a genuine listing shows the mark's reference image first"


def test_only_genuine_listings_declare_a_brand(market, http, truth):
    entry = first(truth, section="static", case="knockoff", bad=None)
    assert "brand" not in jsonld(http(market.url + entry["url_path"]).text())


def test_listing_without_price_shows_none_anywhere(market, http, truth):
    entry = first(truth, bad="no_price")
    html = http(market.url + entry["url_path"]).text()
    offers = jsonld(html)["offers"]
    assert "price" not in offers and "priceCurrency" not in offers
    assert 'class="price"' not in html and entry["price"] is None


def test_broken_image_really_fails_to_decode(market, http, truth):
    entry = first(truth, bad="broken_image")
    html = http(market.url + entry["url_path"]).text()
    sources = re.findall(r'<img class="product-image" src="([^"]+)"', html)
    assert Image.open(io.BytesIO(http(market.url + sources[0]).body)).load() is not None
    broken = http(market.url + sources[1])
    assert broken.status == 200 and broken.content_type == "image/jpeg"
    with pytest.raises(OSError):
        Image.open(io.BytesIO(broken.body)).load()


def test_a_listing_gone_404_still_shows_up_in_search(market, http, parse_links, truth):
    entry = first(truth, bad="404")
    assert http(market.url + entry["url_path"]).status == 404
    assert entry["id"] in found_ids(market, http, parse_links, entry["section"], MARKS[entry["infringes"][0]].name)


def test_mall_html_has_no_results_until_javascript_asks_the_api(market, http, truth):
    entry = first(truth, section="mall", case="counterfeit")
    name = MARKS[entry["infringes"][0]].name
    shell = http(f"{market.url}/mall/search?q={quote(name)}")
    assert shell.content_type == "text/html; charset=utf-8"
    assert '<ul id="results"></ul>' in shell.text() and 'class="result"' not in shell.text()
    api = http(f"{market.url}/api/mall/search?q={quote(name)}&page=1")
    assert api.content_type == "application/json; charset=utf-8"
    assert entry["url_path"] in [hit["url"] for hit in api.json()["results"]]
    assert http(market.url + entry["url_path"]).status == 200


@pytest.mark.parametrize("section", ["static", "mall", "gbk"])
def test_every_infringing_product_is_reachable_by_searching_its_mark(market, http, parse_links, truth, section):
    found = {mark_id: {i for name in MARKS[mark_id].names for i in found_ids(market, http, parse_links, section, name)}
             for mark_id in MARKS}
    infringing = [e for e in truth if e["section"] == section and e["infringes"]]
    assert infringing
    for entry in infringing:
        assert all(entry["id"] in found[mark_id] for mark_id in entry["infringes"]), entry


def test_listings_live_only_in_their_own_section(market, http, truth):
    gbk = first(truth, section="gbk")
    static = first(truth, section="static", bad=None)
    assert http(f"{market.url}/item/{gbk['id']}").status == 404
    assert http(f"{market.url}/gbk/item/{static['id']}").status == 404


def test_robots_txt_disallows_admin_and_cart_only(market, http):
    reply = http(market.url + "/robots.txt")
    assert reply.status == 200
    assert reply.text().splitlines() == ["User-agent: *", "Disallow: /admin/", "Disallow: /cart/"]
    assert http(market.url + "/admin/").status == 403


@pytest.mark.parametrize("path", ["/nothing", "/item/p9999", "/img/p0001/9.jpg", "/img/p0001/1.gif", "/gbk/item/"])
def test_unknown_paths_get_a_small_html_404(market, http, path):
    reply = http(market.url + path)
    assert reply.status == 404 and reply.content_type.startswith("text/html") and "404" in reply.text()


def test_a_wrong_image_extension_is_404(market, http, truth):
    entry = first(truth, section="static", case="genuine", bad=None)
    png = f"{market.url}/img/{entry['id']}/1.png"
    assert http(png).content_type == "image/png"
    assert http(png.replace(".png", ".jpg")).status == 404


def test_a_bad_page_number_is_400(market, http):
    assert http(market.url + "/search?q=Nike&page=zero").status == 400


def test_beyond_the_last_page_is_an_empty_list(market, http, parse_links):
    page = parse_links(http(market.url + "/search?q=Nike&page=99").text())
    assert page.results == [] and page.next is None


def test_titles_with_html_characters_are_escaped(market, http, truth):
    phone = next(e for e in truth if "<防摔>" in e["title"])
    body = http(market.url + phone["url_path"]).text().split("</head>", 1)[1]
    assert "&lt;防摔&gt;" in body and "<防摔>" not in body and "&amp; 磨砂" in body
    hostile = next(e for e in truth if "</script>" in e["title"])
    html = http(market.url + hostile["url_path"]).text()
    assert "<script>alert(1)" not in html and len(re.findall("<script", html, re.I)) == 1
    assert "<\\/script>" in JSONLD.search(html).group(1)
    assert jsonld(html)["name"] == hostile["title"]


def test_ground_truth_json_is_the_catalogues_truth(market, truth):
    assert truth == market.catalogue.ground_truth()


def test_home_page_links_the_three_sections(market, http):
    html = http(market.url + "/").text()
    assert all(f'href="{path}"' in html for path in ("/search", "/mall/search", "/gbk/search"))
    assert '<input id="q" name="q"' in html


def test_module_entry_point_prints_its_url_and_stops_on_sigterm(http):
    process = subprocess.Popen([sys.executable, "-m", "ipwatch.demo_marketplace", "--watchlist", str(SAMPLE), "--port", "0"],
                               stdout=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+\n", line)
        assert http(line.strip() + "/robots.txt").status == 200
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    assert process.stdout.read() == ""
