"""What Chromium does on a JavaScript page before Scrapy reads it: wait for the results, scroll an
infinite list to its end, press "load more" until it is gone. Page methods are rebuilt from the
profile for every request, so nothing unpicklable is kept in a request's meta."""

from __future__ import annotations

from scrapy_playwright.page import PageMethod

from .profile import SearchEntry

# Each script returns instead of throwing, so that an empty result list is "no results", not an error.
WAIT_FOR = """async ([selector, limit]) => {
  for (let waited = 0; waited < limit; waited += 100) {
    if (document.querySelector(selector)) { return true; }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}"""
SCROLL = """async (times) => {
  let height = document.body.scrollHeight;
  for (let round = 0; round < times; round++) {
    window.scrollTo(0, document.body.scrollHeight);
    for (let waited = 0; waited < 2000 && document.body.scrollHeight === height; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (document.body.scrollHeight === height) { return round; }
    height = document.body.scrollHeight;
  }
  return times;
}"""
LOAD_MORE = """async ([selector, times]) => {
  for (let round = 0; round < times; round++) {
    const button = document.querySelector(selector);
    if (!button || button.disabled || button.offsetParent === null) { return round; }
    const before = document.body.innerHTML.length;
    button.click();
    for (let waited = 0; waited < 3000 && document.body.innerHTML.length === before; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return times;
}"""
MAX_LOAD_MORE = 20


def page_methods(entry: SearchEntry | None) -> list[PageMethod]:
    """The browser steps for a search form (or, with None, for a listing page)."""
    methods = [PageMethod("wait_for_load_state", "networkidle")]
    if entry is None:
        return methods
    if entry.wait_for:
        methods.append(PageMethod("evaluate", WAIT_FOR, [entry.wait_for, entry.wait_ms]))
    if entry.scroll:
        methods.append(PageMethod("evaluate", SCROLL, entry.scroll))
    if entry.load_more:
        methods.append(PageMethod("evaluate", LOAD_MORE, [entry.load_more, MAX_LOAD_MORE]))
    if entry.scroll or entry.load_more:
        methods.append(PageMethod("wait_for_load_state", "networkidle"))
    return methods
