"""Site profiles: every shipped one is valid, and a mistake in a profile file is reported with its
file, line and field, as the watchlist's are."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ipwatch.cli import app
from ipwatch.spiders.hooks import discover
from ipwatch.spiders.profile import ProfileError, load_profile, profile_names, read_profile

MARKETPLACES = {"taobao", "tmall", "jd", "pinduoduo", "1688", "douyin", "xianyu", "aliexpress", "amazon", "ebay"}
GOOD = """name: shop
base_url: https://shop.example
searches:
  - url: /search?q={q}&page={page}
selectors:
  result_link: "a.product::attr(href)"
  title: "//h1/text()"
"""


def test_a_profile_ships_for_every_marketplace_the_office_watches() -> None:
    assert MARKETPLACES | {"demo"} <= set(profile_names())


@pytest.mark.parametrize("name", sorted(MARKETPLACES | {"demo"}))
def test_shipped_profiles_are_valid_polite_and_sourced(name: str) -> None:
    profile = load_profile(name)
    assert profile.source and profile.rate_per_min >= 1 and profile.allowed_domains
    assert all(entry.page_url(profile.base_url, "小肥羊", 1).startswith(("http://", "https://"))
               for entry in profile.searches)
    if name != "demo":
        assert profile.rate_per_min <= 60 and profile.blocked, "real sites are crawled slowly, blocks named"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "shop.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("text", "message"), [
    (GOOD.replace("url: /search?q={q}&page={page}", "url: /search"), ":4: searches[0].url: must contain {q}"),
    (GOOD.replace("  title:", "  titel:"), ":7: selectors.titel: unknown field"),
    (GOOD.replace("name: shop", "name: My Shop"), ":1: name: 'My Shop' does not have the expected form"),
    (GOOD + "rate_per_min: 0\n", ":8: rate_per_min: Input should be greater than or equal to 1"),
    (GOOD + "blocked:\n  - kind: capcha\n    status: [429]\n", ":9: blocked[0].kind: 'capcha' is not one of"),
    (GOOD + "blocked:\n  - kind: captcha\n", ":9: blocked[0]: give at least one of status, url, selector, text"),
    (GOOD + "listing_key: '(unclosed'\n", ":8: listing_key: is not a valid regular expression"),
    (GOOD.replace("  - url:", "  - query_encoding: klingon\n    url:"), ":4: searches[0].query_encoding: 'klingon'"),
    ("name: [unclosed\n", ":1: not valid YAML: a list opened with"),
])
def test_mistakes_are_reported_with_file_line_and_field(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ProfileError) as error:
        read_profile(write(tmp_path, text))
    assert f"shop.yaml{message}" in str(error.value)


def test_a_good_profile_reads_and_pages_by_url(tmp_path: Path) -> None:
    profile = read_profile(write(tmp_path, GOOD))
    entry = profile.searches[0]
    assert entry.paged_by_url and entry.page_url(profile.base_url, "固阳 黄芪", 2) == \
        "https://shop.example/search?q=%E5%9B%BA%E9%98%B3%20%E9%BB%84%E8%8A%AA&page=2"


def test_1688_searches_in_gbk_as_its_form_does() -> None:
    entry = load_profile("1688").searches[0]
    assert "keywords=%B9%CC%D1%F4" in entry.page_url("https://s.1688.com", "固阳", 1)


def test_ipwatch_sites_lists_and_checks(tmp_path: Path) -> None:
    runner = CliRunner()
    listing = runner.invoke(app, ["sites"])
    assert listing.exit_code == 0 and "tmall" in listing.output and "JavaScript" in listing.output
    bad = runner.invoke(app, ["sites", "check", str(write(tmp_path, GOOD.replace("  title:", "  titel:")))])
    assert bad.exit_code == 1 and "selectors.titel: unknown field" in bad.output


def test_hooks_are_registered_under_their_profile_names() -> None:
    assert set(discover()) <= set(profile_names())


# The shape of a JD item page's pageConfig (item.jd.com, 2019-2024): a JavaScript object, not JSON.
JD_PAGE = """<html><head><script>
var pageConfig = {
    compatible: true,
    product: {
        skuid: 100012043978,
        name: '\\u534e\\u4e3a HUAWEI Mate 30 5G \\'\\u9ed1\\u8272\\' 8GB+128GB',
        cat: [9987,653,655], brand: 8557, venderId:1000004259, shopId:'1000004259',
        imageList: ["jfs/t1/69213/4/1.jpg","jfs/t1/69213/4/2.jpg"],
        src: 'jfs/t1/69213/4/1.jpg'
    }
};
</script></head><body><ul id="parameter-brand"><li title="华为（HUAWEI）">品牌： 华为（HUAWEI）</li></ul>
<div class="sku-name"></div><span class="p-price"><span class="price">3899.00</span></span></body></html>"""


def test_the_jd_hook_reads_what_pageconfig_holds() -> None:
    from scrapy.http import HtmlResponse

    from ipwatch.spiders.extract import extract_listing

    page = HtmlResponse("https://item.jd.com/100012043978.html", body=JD_PAGE.encode(), encoding="utf-8")
    listing = extract_listing(page, load_profile("jd"))
    assert listing.listing_key == "100012043978" and listing.price == 3899.0 and listing.brand == "华为（HUAWEI）"
    assert listing.title == "华为 HUAWEI Mate 30 5G '黑色' 8GB+128GB"
    assert listing.image_urls[:2] == ("https://img14.360buyimg.com/n1/jfs/t1/69213/4/1.jpg",
                                      "https://img14.360buyimg.com/n1/jfs/t1/69213/4/2.jpg")
