"""Evidence: every alert gets the raw page (WARC), a full-page screenshot and its fields, each hashed
into an append-only chain; any later change to a file or to the chain is found by `verify`."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Request
from sqlalchemy import func, select
from typer.testing import CliRunner

from ipwatch.alerts.queue import enqueue
from ipwatch.cli import app
from ipwatch.core.clock import utcnow
from ipwatch.core.settings import Settings
from ipwatch.core.storage.engine import Database
from ipwatch.core.storage.models import EvidenceRow, ListingRow, MarkRow
from ipwatch.evidence import chain
from ipwatch.evidence.capture import capture_pending
from ipwatch.evidence.warc import read_response
from ipwatch.matchers.records import Match, Reason
from ipwatch.spiders.raw import keep_raw
from ipwatch.spiders.records import Listing
from ipwatch.spiders.store import ensure_site, start_run, store_listing
from ipwatch.watchlist.records import Mark, Watchlist
from ipwatch.watchlist.store import upsert_marks

URL = "http://127.0.0.1:9/gbk/item/p0001"
PAGE = ('<html><head><meta charset="gbk"><title>小肥羊火锅底料</title></head><body>'
        '<h1 class="title">小肥羊火锅底料 正宗内蒙古</h1><span class="price">￥9.9</span>'
        '<img class="product-image" src="/img/p0001/1.jpg"></body></html>')


def files(tmp_path: Path, count: int) -> tuple[Path, list[dict]]:
    folder = tmp_path / "evidence"
    entries = []
    for number in range(count):
        path = folder / "alerts" / f"{number}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"evidence {number}", encoding="utf-8")
        digest, size = chain.sha256_file(path)
        entries.append({"kind": "fields", "path": f"alerts/{number}.txt", "sha256": digest, "size": size})
    return folder, entries


def test_an_appended_chain_verifies(tmp_path: Path) -> None:
    folder, entries = files(tmp_path, 4)
    chain.append(folder, entries[:2])
    chain.append(folder, entries[2:])  # appends continue from the last entry
    result = chain.verify(folder)
    assert result.intact and (result.entries, result.files) == (4, 4)


def _lines(folder: Path) -> list[str]:
    return (folder / chain.CHAIN_FILE).read_text(encoding="utf-8").splitlines(keepends=True)


def _rewrite(folder: Path, lines: list[str]) -> None:
    (folder / chain.CHAIN_FILE).write_text("".join(lines), encoding="utf-8")


def _edit_line(folder: Path) -> None:
    lines = _lines(folder)
    entry = json.loads(lines[1])
    entry["size"] += 1
    lines[1] = json.dumps(entry) + "\n"
    _rewrite(folder, lines)


def _forge_line(folder: Path) -> None:
    lines = _lines(folder)
    entry = json.loads(lines[1])
    entry["path"] = "alerts/3.txt"
    entry["hash"] = chain.entry_hash(entry)  # a forger recomputes this line's hash, not the next line's
    lines[1] = chain.canonical(entry) + "\n"
    _rewrite(folder, lines)


@pytest.mark.parametrize(("tamper", "found"), [
    (lambda folder: (folder / "alerts/2.txt").write_text("evidence 2!", encoding="utf-8"), "line 3: alerts/2.txt was changed"),
    (lambda folder: (folder / "alerts/0.txt").unlink(), "line 1: alerts/0.txt is missing"),
    (_edit_line, "line 2: the entry was changed after it was written"),
    (_forge_line, "line 3: does not follow the entry before it"),
    (lambda folder: _rewrite(folder, [line for n, line in enumerate(_lines(folder)) if n != 1]),
     "line 2: entry number 3 where 2 belongs"),
    (lambda folder: _rewrite(folder, list(reversed(_lines(folder)))), "line 1: entry number 4 where 1 belongs"),
    (lambda folder: _rewrite(folder, _lines(folder) + ['{"seq": 5, "pa']), "line 5: incomplete"),
])
def test_any_later_change_is_found(tmp_path: Path, tamper: Callable[[Path], None], found: str) -> None:
    folder, entries = files(tmp_path, 4)
    chain.append(folder, entries)
    tamper(folder)
    result = chain.verify(folder)
    assert not result.intact and any(problem.startswith(found) for problem in result.problems), result.problems


def alerted_listing(database: Database, settings: Settings) -> int:
    """A stored listing whose page was kept as a WARC, with an alert on it; returns the listing id."""
    response = HtmlResponse(URL, body=PAGE.encode("gbk"), headers={"Content-Type": "text/html; charset=gbk"},
                            request=Request(URL))
    raw = keep_raw(settings.evidence_dir, "demo", "p0001", response, fetched_at=utcnow(), fetched_by="scrapy",
                   context={"site": "demo"})
    mark = Mark(id="xiaofeiyang", name="小肥羊", kind="trademark", owner="内蒙古小肥羊餐饮连锁有限公司",
                owner_email="ip@xiaofeiyang.example.org")
    with database.session() as session:
        upsert_marks(session, Watchlist(marks=(mark,)))
        site = ensure_site(session, "demo", "http://127.0.0.1:9")
        listing = Listing(site="demo", listing_key="p0001", url=URL, title="小肥羊火锅底料 正宗内蒙古", price=9.9,
                          currency="CNY", raw=raw)
        stored = store_listing(session, site, start_run(session, site), listing, settings.images_dir)
        row = session.get(ListingRow, stored.listing_id)
        match = Match(site="demo", listing_key="p0001", mark_id="xiaofeiyang", score=0.95,
                      reasons=(Reason("exact", "exact 小肥羊"),))
        enqueue(session, row, match, session.get(MarkRow, "xiaofeiyang"))
        return stored.listing_id


@pytest.mark.browser
def test_an_alert_gets_its_page_screenshot_and_fields_chained(database: Database, settings: Settings) -> None:
    listing_id = alerted_listing(database, settings)
    report = capture_pending(database, settings)
    assert (report.alerts, report.files, dict(report.outcomes)) == (1, 3, {})
    with database.session() as session:
        rows = session.scalars(select(EvidenceRow).where(EvidenceRow.alert_id.is_not(None))).all()
        assert sorted(row.kind for row in rows) == ["fields", "screenshot", "warc"]
        assert all(row.chain_hash and row.listing_id == listing_id for row in rows)
        paths = {row.kind: settings.evidence_dir / row.path for row in rows}
    assert paths["screenshot"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and paths["screenshot"].stat().st_size > 5000
    fields = json.loads(paths["fields"].read_text(encoding="utf-8"))
    assert (fields["title"], fields["price"], fields["alert"]["mark_id"]) == ("小肥羊火锅底料 正宗内蒙古", 9.9, "xiaofeiyang")
    archived = read_response(paths["warc"])
    assert archived is not None and archived.url == URL and archived.body == PAGE.encode("gbk")
    assert chain.verify(settings.evidence_dir).intact

    again = capture_pending(database, settings)  # idempotent: nothing is captured twice
    with database.session() as session:
        assert (again.files, session.scalar(select(func.count(EvidenceRow.id)))) == (0, 4)


def test_an_alert_whose_raw_page_was_altered_is_not_chained(database: Database, settings: Settings) -> None:
    alerted_listing(database, settings)
    with database.session() as session:
        raw = session.scalars(select(EvidenceRow).where(EvidenceRow.kind == "warc")).one()
    (settings.evidence_dir / raw.path).write_bytes(b"not what was fetched")
    report = capture_pending(database, settings)
    assert report.outcomes["raw_page_altered"] == 1
    entries = [json.loads(text) for _, text in chain.read(settings.evidence_dir)]
    assert [entry["kind"] for entry in entries] == ["fields"]


def test_ipwatch_evidence_verify_says_intact_or_broken(database: Database, settings: Settings) -> None:
    folder = settings.evidence_dir
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.txt").write_text("x", encoding="utf-8")
    digest, size = chain.sha256_file(folder / "a.txt")
    chain.append(folder, [{"kind": "fields", "path": "a.txt", "sha256": digest, "size": size}])
    env = {"IPWATCH_DATA_DIR": str(settings.data_dir), "IPWATCH_DATABASE_URL": settings.database_url or ""}
    env = {key: value for key, value in env.items() if value}
    runner = CliRunner()
    saved = {key: os.environ.pop(key) for key in list(os.environ) if key.startswith("IPWATCH_")}
    try:
        intact = runner.invoke(app, ["evidence", "verify"], env=env)
        (folder / "a.txt").write_text("y", encoding="utf-8")
        broken = runner.invoke(app, ["evidence", "verify"], env=env)
    finally:
        os.environ.update(saved)
    assert intact.exit_code == 0 and "1 entries, 1 files" in intact.output
    assert broken.exit_code == 1 and "a.txt was changed" in broken.output
