"""In a real Chromium: an officer finds the demo crawl's run, its counts and its chart, and reads a failed
run's log as text; a brand owner has no way in. (Fixtures shared with test_browser.py.)"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from ipwatch.core.clock import utcnow
from ipwatch.core.storage.engine import Database
from ipwatch.core.storage.models import AlertRow, CrawlRunRow, ListingRow, SiteRow
from ipwatch.spiders.browser import browser_available
from tests.web.test_browser import SHOTS, browser, page_as  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not browser_available(), reason="no Chromium to drive: install Debian's chromium"),
]
HOSTILE_LOG = '<script>window.__xss=7</script><img src=x onerror="window.__xss=8">'


def _failed_run_with_log(demo_site) -> int:  # noqa: ANN001
    """A failed run of the demo site whose log (in data_dir/logs) holds markup."""
    logs = demo_site.settings.data_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    log = logs / "crawl-demo-browser.log"
    log.write_text(f"starting\n{HOSTILE_LOG}\nRuntimeError: the demo marketplace went away\n", encoding="utf-8")
    database = Database(demo_site.settings)
    try:
        with database.session() as session:
            site = session.scalar(select(SiteRow).where(SiteRow.name == "demo"))
            row = CrawlRunRow(site_id=site.id, status="failed", started_at=utcnow() - timedelta(minutes=3),
                              finished_at=utcnow(), stats={"ipwatch/exit_code": 1, "ipwatch/log": str(log),
                                                           "ipwatch/error": "RuntimeError: the demo marketplace went away"})
            session.add(row)
            session.flush()
            return row.id
    finally:
        database.dispose()


def _demo_run(demo_site) -> tuple[int, int]:  # noqa: ANN001
    database = Database(demo_site.settings)
    try:
        with database.session() as session:
            run_id = session.scalar(select(func.min(CrawlRunRow.id)))
            raised = session.scalar(select(func.count(AlertRow.id)).join(ListingRow, ListingRow.id == AlertRow.listing_id)
                                    .where(ListingRow.last_run_id == run_id))
            return run_id, raised
    finally:
        database.dispose()


def test_an_officer_reads_the_crawl_runs_and_a_failed_runs_log(demo_site, page_as):  # noqa: F811
    demo_run, alerts = _demo_run(demo_site)
    failed = _failed_run_with_log(demo_site)
    page = page_as("officer")
    page.click("header nav >> text=Crawls")
    row = page.locator(f"[data-testid=run-{demo_run}] td")
    cells = row.all_inner_texts()
    assert cells[1:3] == ["demo", "finished"]
    tried, read, _blocked, _failed, listings, raised = (int(cell) for cell in cells[6:12])
    assert tried >= read > 0 and listings > 0
    assert raised == alerts > 0  # every alert on a listing this run found was raised by it
    chart = page.locator("[data-testid=site-demo] svg")
    assert chart.is_visible() and chart.locator("rect").count() >= 1
    assert page.text_content("[data-testid=site-demo-failed]").strip() == "1 failed"
    page.screenshot(path=SHOTS / "crawl-runs.png", full_page=True)

    page.click(f"[data-testid=run-{failed}] >> text=log")
    assert "the demo marketplace went away" in page.text_content("[data-testid=log]")
    assert HOSTILE_LOG in page.text_content("[data-testid=log]")  # shown as the text it is
    assert page.evaluate("window.__xss") is None
    page.screenshot(path=SHOTS / "crawl-log.png", full_page=True)
    assert page.console_errors == []

    sheep = page_as("sheep")
    assert sheep.locator("header nav a", has_text="Crawls").count() == 0
    assert sheep.goto(f"{demo_site.url}/crawls").status == 403
    assert sheep.goto(f"{demo_site.url}/crawls/{failed}/log").status == 403
