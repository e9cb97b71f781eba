"""JavaScript pages: the steps Chromium takes before a page is read reach the end of an infinite list
and press "load more" until it is gone, and an empty result list is no error."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from playwright.async_api import async_playwright

from ipwatch.spiders.browser import launch_options
from ipwatch.spiders.browsing import page_methods
from ipwatch.spiders.profile import SearchEntry
from tests.servers.shop import Shop

TOTAL = 45  # results the page can show, ten at a time
PAGE = """<!DOCTYPE html><html><body><ul id="results"></ul><button id="more">更多</button><script>
let shown = 0;
function add(n) {{
  const list = document.getElementById("results");
  for (let i = 0; i < n && shown < {total}; i++, shown++) {{
    const item = document.createElement("li");
    item.innerHTML = '<a class="result" href="/item/' + shown + '">商品 ' + shown + '</a>';
    item.style.height = "120px";
    list.appendChild(item);
  }}
  if (shown >= {total}) {{ document.getElementById("more").remove(); }}
}}
setTimeout(() => add({first}), 150);
{behaviour}
</script></body></html>"""
SCROLLING = """window.addEventListener("scroll", () => {
  if (window.innerHeight + window.scrollY >= document.body.scrollHeight - 5) { setTimeout(() => add(10), 100); }
});"""
BUTTON = 'document.getElementById("more").addEventListener("click", () => setTimeout(() => add(10), 100));'


class ListShop(Shop):
    def do_GET(self) -> None:  # noqa: N802
        behaviour, first = {"/scroll": (SCROLLING, 10), "/more": (BUTTON, 10), "/empty": ("", 0)}[self.path]
        self.send(200, PAGE.format(total=TOTAL if first else 0, first=first, behaviour=behaviour).encode())


CASES = [
    ("/scroll", SearchEntry(url="/s?q={q}", needs_javascript=True, scroll=10, wait_for="a.result"), TOTAL),
    ("/scroll", SearchEntry(url="/s?q={q}", needs_javascript=True, scroll=2, wait_for="a.result"), 30),
    ("/more", SearchEntry(url="/s?q={q}", needs_javascript=True, load_more="#more", wait_for="a.result"), TOTAL),
    ("/more", SearchEntry(url="/s?q={q}", needs_javascript=True, wait_for="a.result"), 10),
    ("/empty", SearchEntry(url="/s?q={q}", needs_javascript=True, scroll=3, load_more="#more",
                           wait_for="a.result", wait_ms=1000), 0),
]


async def results_after(base: str) -> list[int]:
    """Results on each case's page once its browser steps ran: one browser, a page per case."""
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(**launch_options())
        counts = []
        for path, entry, _ in CASES:
            page = await browser.new_page(viewport={"width": 800, "height": 600})
            await page.goto(base + path)
            for method in page_methods(entry):
                await getattr(page, method.method)(*method.args, **method.kwargs)
            counts.append(await page.locator("a.result").count())
            await page.close()
        await browser.close()
        return counts


@pytest.mark.browser
def test_infinite_lists_and_load_more_are_followed_to_the_end(serve: Callable[[type], str]) -> None:
    assert asyncio.run(results_after(serve(ListShop))) == [expected for _, _, expected in CASES]
