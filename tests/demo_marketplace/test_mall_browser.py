"""In a real headless Chromium the mall's JavaScript renders the result links the HTML lacks."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed at /usr/bin/chromium"),
]


def test_mall_results_appear_once_javascript_runs(market, http):
    from playwright.sync_api import sync_playwright

    query = max((name for name in ("小肥羊", "同仁堂", "锡林郭勒羊肉", "娃哈哈")),
                key=lambda name: len(market.catalogue.search("mall", name)))
    expected = [p.url_path for p in market.catalogue.search("mall", query)]
    assert len(expected) > 1
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page()
            page.goto(f"{market.url}/mall/search?q={quote(query)}", timeout=10_000)
            page.wait_for_selector("#results a.result", timeout=10_000)
            hrefs = page.eval_on_selector_all("#results a.result", "links => links.map(a => a.getAttribute('href'))")
            titles = page.eval_on_selector_all("#results a.result", "links => links.map(a => a.textContent)")
            next_links = page.eval_on_selector_all("a[rel=next]", "links => links.map(a => a.getAttribute('href'))")
        finally:
            browser.close()
    assert hrefs == expected[:10]
    assert titles == [p.title for p in market.catalogue.search("mall", query)[:10]]
    assert next_links == ([f"/mall/search?q={quote(query)}&page=2"] if len(expected) > 10 else [])
    assert 'class="result"' not in http(f"{market.url}/mall/search?q={quote(query)}").text()
