"""In a real Chromium against the app on 127.0.0.1, over the data a real demo crawl produced.

Screenshots of the main pages are saved to test-artifacts/screenshots/ for people to look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ipwatch.alerts.queue import enqueue
from ipwatch.core.storage.engine import Database
from ipwatch.core.storage.models import AlertRow, ListingRow, MarkRow, SiteRow
from ipwatch.matchers.records import Match, Reason
from ipwatch.spiders.browser import browser_available, launch_options

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PASSWORD = "correct-horse-battery"
HOSTILE = '小肥羊<script>window.__xss=1</script>"><img src=x onerror="window.__xss=2"> 火锅底料'

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not browser_available(), reason="no Chromium to drive: install Debian's chromium"),
]


LOADED_WIDTH = """img => img.complete ? img.naturalWidth : new Promise(done => {
    img.addEventListener("load", () => done(img.naturalWidth));
    img.addEventListener("error", () => done(0));
})"""


def loaded_width(image) -> int:  # noqa: ANN001
    """The picture's width once it has loaded (0 if it failed): images load lazily, after the page."""
    image.scroll_into_view_if_needed()
    return image.evaluate(LOADED_WIDTH)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(**launch_options())
        yield chromium
        chromium.close()


@pytest.fixture
def page_as(browser, demo_site):  # noqa: ANN001, ANN201
    """`page_as("officer")`: a fresh browser context signed in as that user; console errors collected."""
    contexts = []

    def sign_in(username: str):  # noqa: ANN202
        context = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True,
                                      locale="en-GB", timezone_id="Asia/Shanghai")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.console_errors = []
        page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
        page.on("dialog", lambda d: pytest.fail(f"a dialog opened: {d.message}"))
        page.goto(f"{demo_site.url}/login")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{demo_site.url}/alerts")
        return page

    yield sign_in
    for context in contexts:
        context.close()


def _count(demo_site, **where) -> int:  # noqa: ANN001
    database = Database(demo_site.settings)
    try:
        with database.session() as session:
            query = select(func.count(AlertRow.id)).join(MarkRow, AlertRow.mark_id == MarkRow.id)
            for column, value in where.items():
                query = query.where(getattr(MarkRow, column) == value)
            return session.scalar(query)
    finally:
        database.dispose()


def _first_alert(demo_site, mark_id: str) -> int:  # noqa: ANN001
    database = Database(demo_site.settings)
    try:
        with database.session() as session:
            return session.scalar(select(func.min(AlertRow.id)).where(AlertRow.mark_id == mark_id))
    finally:
        database.dispose()


def test_each_role_signs_in_and_sees_what_it_may(browser, demo_site, page_as):
    login = browser.new_page()
    login.goto(f"{demo_site.url}/login")
    login.screenshot(path=SHOTS / "login.png")
    login.close()

    officer = page_as("officer")
    assert officer.text_content("[data-testid=total]") == str(_count(demo_site))
    assert officer.locator("header nav a", has_text="Users").count() == 0
    officer.screenshot(path=SHOTS / "queue-officer.png", full_page=True)

    sheep = page_as("sheep")
    own = _count(demo_site, owner="内蒙古小肥羊餐饮连锁有限公司")
    assert 0 < own < _count(demo_site)
    assert sheep.text_content("[data-testid=total]") == str(own)
    assert set(sheep.locator("td.mark").all_inner_texts()) == {"小肥羊\ntrademark"}
    sheep.screenshot(path=SHOTS / "queue-brand-owner.png", full_page=True)
    assert sheep.console_errors == []
    other = sheep.goto(f"{demo_site.url}/alerts/{_first_alert(demo_site, 'guyang-huangqi')}")
    assert other.status == 404 and "固阳" not in sheep.content()

    admin = page_as("admin")
    admin.click("header nav >> text=Watchlist")
    assert admin.locator("table.queue tbody tr").count() == 3
    admin.screenshot(path=SHOTS / "admin-watchlist.png", full_page=True)
    admin.click("text=guyang-huangqi")
    assert loaded_width(admin.locator(".images img").first) > 0
    admin.screenshot(path=SHOTS / "admin-mark.png", full_page=True)
    admin.click("header nav >> text=Users")
    assert admin.locator("table.queue tbody tr").count() == 4
    admin.screenshot(path=SHOTS / "admin-users.png", full_page=True)
    for page in (officer, admin):
        assert page.console_errors == []


def test_an_officer_triages_an_alert_end_to_end_and_generates_the_notice(demo_site, page_as):
    page = page_as("officer")
    page.select_option("select[name=mark]", "guyang-huangqi")
    page.fill("input[name=q]", "固阳")  # a title naming the mark (others match by image or by a knockoff)
    page.click("#filters button[type=submit]")
    page.wait_for_url("**mark=guyang-huangqi**")
    page.keyboard.press("j")
    assert page.locator("tr.cursor").count() == 1
    page.keyboard.press("o")
    page.wait_for_url("**/alerts/*")
    alert_url = page.url
    assert page.locator("mark.d-changed, mark.d-same").count() > 0  # the mark's characters in the title
    assert loaded_width(page.locator(".listing-side .images img").first) > 0
    assert loaded_width(page.locator(".mark-side .images img").first) > 0
    evidence = page.locator("table.evidence tbody tr").all_inner_texts()
    assert {"warc", "screenshot", "fields"} <= {row.split()[0] for row in evidence}  # captured by the demo crawl
    assert all("verified" in row for row in evidence)
    assert any("every link before it holds" in row for row in evidence)
    assert loaded_width(page.locator("figure.screenshot img")) > 0
    page.screenshot(path=SHOTS / "alert.png", full_page=True)

    page.click("[data-testid=move-reviewing]")
    page.click("[data-testid=move-confirmed]")
    assert "Confirmed infringement" in page.text_content("h1")
    page.click("[data-testid=generate-notice]")
    assert page.locator("[data-testid=notice]").count() == 1
    with page.expect_download() as download:
        page.click("[data-testid=notice-pdf]")
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    page.click("[data-testid=move-notice_sent]")
    page.click("a.button:has-text('Case #')")
    assert "Notice sent" in page.text_content("h1")
    page.screenshot(path=SHOTS / "case.png", full_page=True)
    page.goto(alert_url)
    trail = page.locator("table.audit tbody tr").all_inner_texts()
    assert sum("officer" in row for row in trail) >= 3 and "Confirmed infringement" in " ".join(trail)
    assert page.console_errors == []


def test_keyboard_shortcuts_select_and_move_alerts_in_bulk(demo_site, page_as):
    page = page_as("officer")
    page.goto(f"{demo_site.url}/alerts?mark=wahaha&state=new")
    before = int(page.text_content("[data-testid=total]"))
    assert before >= 2
    for key in ("j", "x", "j", "x", "f"):
        page.keyboard.press(key)
    page.wait_for_load_state()
    assert "2 alert(s) in" in page.text_content(".flash.ok")
    assert int(page.text_content("[data-testid=total]")) == before - 2
    page.keyboard.press("?")
    assert page.locator("dialog#help").is_visible()


def test_the_dashboard_draws_its_charts(demo_site, page_as):
    page = page_as("officer")
    page.click("header nav >> text=Dashboard")
    chart = page.locator("[data-testid=chart-over-time] svg")
    assert chart.is_visible() and chart.bounding_box()["width"] > 600
    assert page.locator("[data-testid=chart-over-time] svg rect").count() >= 3
    assert page.locator("[data-testid=chart-sellers] svg rect").count() >= 3
    assert page.text_content("[data-testid=tile-total]") == str(_count(demo_site))
    page.screenshot(path=SHOTS / "dashboard.png", full_page=True)
    assert page.console_errors == []


def test_a_hostile_listing_title_renders_as_text_in_the_browser(demo_site, page_as):
    database = Database(demo_site.settings)
    try:
        with database.session() as session:
            site = session.scalar(select(SiteRow).where(SiteRow.name == "demo"))
            mark = session.get(MarkRow, "xiaofeiyang")
            listing = ListingRow(site_id=site.id, listing_key="hostile-1", url="javascript:window.__xss=3",
                                 title=HOSTILE, price=9.9, currency="CNY", seller='"><svg onload=window.__xss=4>',
                                 content_hash="hostile", problems=[])
            session.add(listing)
            session.flush()
            enqueue(session, listing, Match(site="demo", listing_key="hostile-1", mark_id=mark.id, score=0.95,
                                            reasons=(Reason("exact", "<b>exact</b> 小肥羊"),)), mark)
            alert_id = session.scalar(select(AlertRow.id).where(AlertRow.listing_id == listing.id))
    finally:
        database.dispose()
    page = page_as("officer")
    for url in (f"{demo_site.url}/alerts?q=window.__xss", f"{demo_site.url}/alerts/{alert_id}"):
        page.goto(url)
        assert page.evaluate("window.__xss") is None
        assert page.locator("img[src=x], svg[onload]").count() == 0
        assert "<script>window.__xss=1</script>" in page.inner_text("main")
    assert '"><img src=x onerror="window.__xss=2">' in page.inner_text("[data-testid=listing-title]")
    page.locator("dd.url").click()  # the javascript: URL is text, not a link
    assert page.evaluate("window.__xss") is None and page.locator("dd.url a").count() == 0
    page.screenshot(path=SHOTS / "hostile-listing.png", full_page=True)
