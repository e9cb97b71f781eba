"""The cleanup job's promises (ipwatch/retention.py), on SQLite and PostgreSQL: old raw captures no alert
needs go; an alert's evidence and every file the hash chain names stay, and `ipwatch evidence verify`
still passes; old superseded deliveries go, but never the one that keeps an alert from being sent twice."""

from __future__ import annotations

import os
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Request
from sqlalchemy import delete, select, update
from typer.testing import CliRunner

from ipwatch.alerts.queue import enqueue
from ipwatch.cli import app
from ipwatch.core.clock import utcnow
from ipwatch.core.settings import Settings
from ipwatch.core.storage.engine import Database
from ipwatch.core.storage.models import AlertRow, DeliveryRow, EvidenceRow, ListingRow, MarkRow
from ipwatch.evidence import chain
from ipwatch.evidence.capture import capture_pending
from ipwatch.evidence.retention import clean
from ipwatch.matchers.records import Match, Reason
from ipwatch.spiders.raw import keep_raw
from ipwatch.spiders.records import Listing
from ipwatch.spiders.store import ensure_site, start_run, store_listing
from ipwatch.watchlist.records import Mark, Watchlist
from ipwatch.watchlist.store import upsert_marks

OLD, RECENT = 40, 2  # days since a listing was last seen; cleanup keeps raw captures for 30
RAW_DAYS, DELIVERED_DAYS = 30, 90
OWNER_EMAIL = "ip@xiaofeiyang.example.org"
# name: (days since seen, gets an alert before evidence is captured, gets one after)
LISTINGS = {
    "plain-old": (OLD, False, False),        # nothing needs it: its raw capture goes
    "plain-recent": (RECENT, False, False),  # seen lately: kept
    "alerted-old": (OLD, True, False),       # its raw page is the alert's chained evidence: kept
    "waiting-old": (OLD, False, True),       # its alert's evidence is not captured yet: kept for it
    "orphaned-old": (OLD, True, False),      # the alert is deleted later; the chain still names the page
}


def _store(database: Database, settings: Settings, name: str, days: int) -> int:
    seen = utcnow() - timedelta(days=days)
    url = f"http://127.0.0.1:9/item/{name}"
    page = f"<html><head><title>小肥羊火锅底料 {name}</title></head><body><h1>小肥羊火锅底料 {name}</h1></body></html>"
    response = HtmlResponse(url, body=page.encode(), headers={"Content-Type": "text/html; charset=utf-8"},
                            request=Request(url))
    raw = keep_raw(settings.evidence_dir, "demo", name, response, fetched_at=seen, fetched_by="scrapy",
                   context={"site": "demo"})
    with database.session() as session:
        site = ensure_site(session, "demo", "http://127.0.0.1:9")
        listing = Listing(site="demo", listing_key=name, url=url, title=f"小肥羊火锅底料 {name}", price=9.9,
                          currency="CNY", raw=raw, fetched_at=seen)
        return store_listing(session, site, start_run(session, site), listing, settings.images_dir).listing_id


def _alert(database: Database, listing_id: int, score: float = 0.95) -> str:
    with database.session() as session:
        row = session.get(ListingRow, listing_id)
        match = Match(site="demo", listing_key=row.listing_key, mark_id="xiaofeiyang", score=score,
                      reasons=(Reason("exact", "exact 小肥羊"),))
        return enqueue(session, row, match, session.get(MarkRow, "xiaofeiyang"))


def _age_files(folder: Path, days: int) -> None:
    then = time.time() - days * 86400
    for file in folder.rglob("*"):
        if file.is_file():
            os.utime(file, (then, then))


def _warc_rows(database: Database) -> dict[str, list[tuple[int | None, str]]]:
    with database.session() as session:
        rows = session.execute(select(ListingRow.listing_key, EvidenceRow.alert_id, EvidenceRow.path)
                               .join(ListingRow, ListingRow.id == EvidenceRow.listing_id)
                               .where(EvidenceRow.kind == "warc")).all()
    found: dict[str, list[tuple[int | None, str]]] = {}
    for key, alert_id, path in rows:
        found.setdefault(key, []).append((alert_id, path))
    return found


def _verify_cli(settings: Settings) -> tuple[int, str]:
    env = {key: value for key, value in {"IPWATCH_DATA_DIR": str(settings.data_dir),
                                         "IPWATCH_DATABASE_URL": settings.database_url or ""}.items() if value}
    saved = {key: os.environ.pop(key) for key in list(os.environ) if key.startswith("IPWATCH_")}
    try:
        result = CliRunner().invoke(app, ["evidence", "verify"], env=env)
    finally:
        os.environ.update(saved)
    return result.exit_code, result.output


def _mark(database: Database) -> None:
    mark = Mark(id="xiaofeiyang", name="小肥羊", kind="trademark", owner="内蒙古小肥羊餐饮连锁有限公司",
                owner_email=OWNER_EMAIL)
    with database.session() as session:
        upsert_marks(session, Watchlist(marks=(mark,)))


@pytest.mark.browser
def test_cleanup_keeps_every_alerts_evidence_and_every_chained_file(database: Database, settings: Settings) -> None:
    _mark(database)
    ids = {name: _store(database, settings, name, days) for name, (days, _, _) in LISTINGS.items()}
    for name, (_, before, _) in LISTINGS.items():
        if before:
            assert _alert(database, ids[name]) == "created"
    captured = capture_pending(database, settings)
    assert captured.alerts == 2 and not captured.outcomes.get("no_raw_page"), captured
    assert _alert(database, ids["waiting-old"]) == "created"  # raised after the capture: evidence pending
    with database.session() as session:  # the alert is deleted; its evidence rows stay, without it
        gone = session.scalar(select(AlertRow.id).where(AlertRow.listing_id == ids["orphaned-old"]))
        session.execute(delete(AlertRow).where(AlertRow.id == gone))
    before = _warc_rows(database)
    orphans = settings.evidence_dir / "raw" / "demo" / "left-by-a-killed-crawl"
    orphans.mkdir(parents=True)
    (orphans / "old.warc.gz").write_bytes(b"a page no row names")
    _age_files(settings.evidence_dir, OLD)  # every file is old: only the rules keep any
    (orphans / "new.warc.gz").write_bytes(b"written a moment ago by a crawl still running")
    logs = settings.data_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    for name in ("crawl-demo-old.log", "crawl-demo-new.log", "notes.txt"):
        (logs / name).write_text("log", encoding="utf-8")
    _age_files(logs, OLD)
    os.utime(logs / "crawl-demo-new.log")

    report = clean(database, settings, raw_days=RAW_DAYS, delivered_days=DELIVERED_DAYS)

    after = _warc_rows(database)
    assert (report.raw_captures, report.orphan_files, report.logs) == (1, 1, 1), report.summary()
    assert "plain-old" not in after and not (settings.evidence_dir / before["plain-old"][0][1]).exists()
    for name in ("plain-recent", "alerted-old", "waiting-old", "orphaned-old"):
        assert after[name] == before[name], name
        assert all((settings.evidence_dir / path).is_file() for _, path in after[name]), name
    assert [alert for alert, _ in after["orphaned-old"]].count(None) == 2  # its own page and the alert's, unlinked
    assert not (orphans / "old.warc.gz").exists() and (orphans / "new.warc.gz").exists()
    assert sorted(p.name for p in logs.iterdir()) == ["crawl-demo-new.log", "notes.txt"]

    chained = [chain.json.loads(text)["path"] for _, text in chain.read(settings.evidence_dir)]
    assert chained and all((settings.evidence_dir / path).is_file() for path in chained)
    assert chain.verify(settings.evidence_dir).intact
    code, output = _verify_cli(settings)
    assert code == 0 and "evidence chain intact" in output, output

    late = capture_pending(database, settings)  # the alert that waited still gets its raw page chained
    assert late.alerts == 1 and not late.outcomes.get("no_raw_page"), late
    assert clean(database, settings, raw_days=RAW_DAYS, delivered_days=DELIVERED_DAYS).raw_captures == 0
    assert _verify_cli(settings)[0] == 0


def _delivery(session, alert_id: int, status: str, days: int, recipient: str = OWNER_EMAIL) -> int:  # noqa: ANN001
    at = utcnow() - timedelta(days=days)
    row = DeliveryRow(alert_id=alert_id, channel="email", recipient=recipient, status=status, attempts=1,
                      created_at=at, next_attempt_at=at, sent_at=at if status == "sent" else None)
    session.add(row)
    session.flush()
    return row.id


def test_old_deliveries_go_but_an_alert_is_never_sent_to_someone_twice(database: Database,
                                                                       settings: Settings) -> None:
    _mark(database)
    alert_ids = []
    for name in ("a", "b", "c", "d"):
        listing = _store(database, settings, name, RECENT)
        assert _alert(database, listing) == "created"
        with database.session() as session:
            alert_ids.append(session.scalar(select(AlertRow.id).where(AlertRow.listing_id == listing)))
    with database.session() as session:
        session.execute(delete(DeliveryRow))  # the rows below are the whole delivery history
        a, b, c, d = alert_ids  # d has no delivery at all
        kept: dict[str, int] = {}
        gone: dict[str, int] = {}
        gone["a superseded, sent 200 d ago"] = _delivery(session, a, "sent", 200)
        gone["a cancelled 150 d ago"] = _delivery(session, a, "cancelled", 150)
        kept["a latest, sent 100 d ago"] = _delivery(session, a, "sent", 100)
        kept["a to the office, sent 120 d ago"] = _delivery(session, a, "sent", 120, "office@example.org")
        kept["a to the office, dead 110 d ago: someone must look"] = _delivery(session, a, "dead", 110,
                                                                              "office@example.org")
        kept["b only one, sent 300 d ago"] = _delivery(session, b, "sent", 300)
        kept["c superseded but recent"] = _delivery(session, c, "sent", 30)
        kept["c sent last, 20 d ago"] = _delivery(session, c, "sent", 20)
        kept["c pending since long"] = _delivery(session, c, "pending", 200)

    report = clean(database, settings, raw_days=RAW_DAYS, delivered_days=DELIVERED_DAYS)

    with database.session() as session:
        left = set(session.scalars(select(DeliveryRow.id)))
    assert report.deliveries == len(gone)
    assert {name for name, row in kept.items() if row not in left} == set()
    assert {name for name, row in gone.items() if row in left} == set()
    # a changed score refreshes alert b, whose only delivery was sent 300 days ago: nobody is sent it again
    with database.session() as session:
        listing = session.scalar(select(AlertRow.listing_id).where(AlertRow.id == b))
    assert _alert(database, listing, score=0.97) == "updated"
    # while alert d, never sent to anyone, is: the routing does name the owner
    with database.session() as session:
        listing = session.scalar(select(AlertRow.listing_id).where(AlertRow.id == d))
    assert _alert(database, listing, score=0.97) == "updated"
    with database.session() as session:
        pending = session.execute(select(DeliveryRow.alert_id, DeliveryRow.recipient)
                                  .where(DeliveryRow.alert_id.in_((b, d)), DeliveryRow.status == "pending")).all()
    assert [tuple(row) for row in pending] == [(d, OWNER_EMAIL)]


def test_an_unreadable_chain_line_keeps_every_evidence_file(database: Database, settings: Settings) -> None:
    listing = _store(database, settings, "plain-old", OLD)
    settings.evidence_dir.mkdir(parents=True, exist_ok=True)
    with (settings.evidence_dir / chain.CHAIN_FILE).open("a", encoding="utf-8") as handle:
        handle.write('{"seq": 1, "path": "raw/demo/')  # cut short: it might have named any file
    with database.session() as session:
        path = session.scalar(select(EvidenceRow.path).where(EvidenceRow.listing_id == listing))
        session.execute(update(ListingRow).values(last_seen=datetime(2020, 1, 1, tzinfo=utcnow().tzinfo)))
    _age_files(settings.evidence_dir, OLD)

    report = clean(database, settings, raw_days=RAW_DAYS, delivered_days=DELIVERED_DAYS)

    assert (report.raw_captures, report.orphan_files, report.chain_unreadable) == (0, 0, 1)
    assert "ipwatch evidence verify" in report.summary()
    assert (settings.evidence_dir / path).is_file()
