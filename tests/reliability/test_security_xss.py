"""Scraped text never runs: hostile titles, sellers, reasons and URLs in real Chromium and in the e-mails.

Every payload, if it ever ran, sets `window.__pwned` (or opens a dialog, which fails the test). The
triage pages are served by uvicorn on 127.0.0.1 and opened in Chromium; the alert e-mails are the
real messages `ipwatch deliver` writes, their HTML part opened in Chromium with JavaScript on (more
than any mail client allows). tests/web/test_browser.py and tests/alerts/test_mail.py keep the
original single-payload cases; this file runs the whole table through both.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from email import policy
from email.parser import BytesParser
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sqlalchemy import select

from ipwatch.alerts.delivery import deliver_pending
from ipwatch.alerts.queue import enqueue
from ipwatch.core.settings import Settings
from ipwatch.core.storage.engine import Database
from ipwatch.core.storage.migrate import upgrade
from ipwatch.core.storage.models import AlertRow, ListingRow, MarkRow, SiteRow
from ipwatch.matchers.records import Match, Reason
from ipwatch.spiders.browser import browser_available, launch_options
from ipwatch.web.app import create_app
from ipwatch.web.users import add_user
from tests.servers import free_port
from tests.web.conftest import PASSWORD

pytestmark = [
    pytest.mark.reliability("security", "XSS: scraped text in the triage UI (Chromium) and in e-mails"),
    pytest.mark.browser,
    pytest.mark.skipif(not browser_available(), reason="no Chromium to drive: install Debian's chromium"),
]

PAYLOADS = {
    "script": "<script>window.__pwned='script'</script>",
    "img-onerror": '"><img src=x onerror="window.__pwned=\'img\'">',
    "svg-onload": "<svg onload=\"window.__pwned='svg'\"><circle r=1></circle></svg>",
    "svg-script": "<svg><script>window.__pwned='svg-script'</script></svg>",
    "iframe-srcdoc": "<iframe srcdoc=\"<script>parent.__pwned='iframe'</script>\"></iframe>",
    "attribute-break": "' onmouseover='window.__pwned=1' x='\" autofocus onfocus=\"window.__pwned='focus'",
    "textarea-break": "</textarea></title><script>window.__pwned='break'</script>",
    "template": "{{ 7*7 }}{% print(49) %}${7*7}",
    "dialog": "<script>alert('pwned')</script><body onload=alert(1)>",
}
URLS = ["javascript:window.__pwned='url'", "JaVaScRiPt:window.__pwned='url2'", " javascript:window.__pwned=3",
        "data:text/html,<script>window.__pwned='data'</script>", "vbscript:msgbox(1)"]
OWNER = "内蒙古小肥羊餐饮连锁有限公司"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, list[int]]]:
    """A database whose every alert carries payloads in its title, seller and reasons (through the real queue)."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("xss") / "data", triage_base_url="http://127.0.0.1:8000")
    settings.ensure_dirs()
    upgrade(settings)
    database = Database(settings)
    ids = []
    with database.session() as session:
        site = SiteRow(name="demo", base_url="http://127.0.0.1:9")
        session.add(site)
        session.flush()
        mark = MarkRow(id="xiaofeiyang", name="小肥羊", kind="trademark", owner=OWNER, owner_email="ip@owner.example",
                       record={"id": "xiaofeiyang", "name": "小肥羊", "kind": "trademark", "owner": OWNER,
                               "owner_email": "ip@owner.example", "notify": "immediate"})
        session.add(mark)
        session.flush()
        for index, payload in enumerate(PAYLOADS.values()):
            url = URLS[index % len(URLS)]
            listing = ListingRow(site_id=site.id, listing_key=f"x{index}", url=url, title=f"小肥洋 {payload} 火锅底料",
                                 price=9.9, currency="CNY", seller=f"店{payload}", seller_location=payload,
                                 content_hash=f"h{index}", problems=[payload])
            session.add(listing)
            session.flush()
            match = Match(site="demo", listing_key=f"x{index}", mark_id=mark.id, score=0.95,
                          reasons=(Reason("homophone", f"homophone 小肥洋≈小肥羊 {payload}"),))
            assert enqueue(session, listing, match, mark) == "created"
            ids.append(session.scalar(select(AlertRow.id).where(AlertRow.listing_id == listing.id)))
        add_user(session, "officer", PASSWORD, "officer", None)
    database.dispose()
    yield settings, ids


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**launch_options())
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def served(hostile: tuple[Settings, list[int]]) -> Iterator[str]:
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(hostile[0]), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


MAIL_ELEMENTS = {"html", "head", "meta", "title", "style", "body", "div", "p", "span", "a", "b", "strong", "em",
                 "h1", "h2", "h3", "table", "thead", "tbody", "tr", "th", "td", "ul", "ol", "li", "img", "br", "hr",
                 "small", "code"}


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()
        self.handlers: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.names.add(tag)
        self.handlers += [f"<{tag} {name}>" for name, _ in attrs if name.startswith("on") or name == "srcdoc"]


def elements(html: str) -> set[str]:
    """The element names the HTML really holds (escaped text is text, not elements)."""
    parser = _Tags()
    parser.feed(html)
    return parser.names


def handlers(html: str) -> list[str]:
    parser = _Tags()
    parser.feed(html)
    return parser.handlers


def watched_page(chromium: object) -> object:
    context = chromium.new_context()
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.on("dialog", lambda dialog: pytest.fail(f"a dialog opened: {dialog.message}"))
    return page


def assert_nothing_ran(page: object, where: str) -> None:
    page.wait_for_timeout(300)  # onerror/onload handlers fire after load
    assert page.evaluate("window.__pwned") is None, where
    for frame in page.frames:
        assert frame.evaluate("window.__pwned") is None, f"{where}: in frame {frame.url}"
    links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    assert not [h for h in links if h.strip().lower().startswith(("javascript:", "data:", "vbscript:"))], where
    assert page.locator("img[src=x], svg[onload], iframe[srcdoc], [onmouseover], [onfocus]").count() == 0, where


def test_the_triage_pages_show_every_payload_as_text(chromium: object, served: str,
                                                     hostile: tuple[Settings, list[int]]) -> None:
    page = watched_page(chromium)
    page.goto(f"{served}/login")
    page.fill("input[name=username]", "officer")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{served}/alerts")
    urls = ["/alerts", "/alerts?q=script", "/dashboard", "/cases?show=all"] + [f"/alerts/{i}" for i in hostile[1]]
    for url in urls:
        page.goto(served + url)
        assert_nothing_ran(page, url)
        page.mouse.move(200, 300)
        page.keyboard.press("Tab")
    page.goto(f"{served}/alerts/{hostile[1][0]}")
    text = page.inner_text("main")
    assert PAYLOADS["script"] in text and "{{ 7*7 }}" not in text  # alert 0 holds the script payload
    page.goto(f"{served}/alerts/{hostile[1][list(PAYLOADS).index('template')]}")
    assert "{{ 7*7 }}{% print(49) %}${7*7}" in page.inner_text("main")  # shown as written, never evaluated
    page.context.close()


def test_the_alert_emails_show_every_payload_as_text(chromium: object, hostile: tuple[Settings, list[int]]) -> None:
    settings = hostile[0]
    database = Database(settings)
    try:
        report = deliver_pending(database, settings)
    finally:
        database.dispose()
    assert report.messages >= 1 and report.written
    for path in report.written:
        message = BytesParser(policy=policy.default).parsebytes(Path(path).read_bytes())
        html = message.get_body(("html",)).get_content()
        assert elements(html) <= MAIL_ELEMENTS, elements(html) - MAIL_ELEMENTS
        assert not handlers(html), handlers(html)
        page = watched_page(chromium)
        page.set_content(html)  # JavaScript on: stricter than a mail client
        assert_nothing_ran(page, f"e-mail {path.name}")
        body = page.inner_text("body")
        assert PAYLOADS["script"] in body and PAYLOADS["template"] in body
        page.context.close()
