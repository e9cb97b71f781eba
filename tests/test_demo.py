"""`ipwatch demo` end to end: a real crawl of the demo marketplace gives exactly the ground truth's alerts,
and running it again creates no duplicate alert or e-mail. Runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import email
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from ipwatch.cli.demo import SAMPLE_WATCHLIST, alerted_marks, check_truth
from ipwatch.core.settings import Settings
from ipwatch.core.storage.engine import Database
from ipwatch.core.storage.models import AlertRow, CrawlRunRow, DeliveryRow, ListingRow
from ipwatch.demo_marketplace.catalogue import build_catalogue
from ipwatch.spiders.profile import load_profile
from ipwatch.spiders.queries import search_terms
from ipwatch.watchlist.loader import load_watchlist


def run_demo(settings: Settings) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, IPWATCH_DATA_DIR=str(settings.data_dir), COLUMNS="160")
    env.pop("IPWATCH_DATABASE_URL", None)
    if settings.database_url:
        env["IPWATCH_DATABASE_URL"] = settings.database_url
    result = subprocess.run([sys.executable, "-m", "ipwatch.cli", "demo"], env=env, text=True,
                            capture_output=True, timeout=600, cwd=settings.data_dir.parent)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


def searchable_listings() -> set[str]:
    """The products a crawl for the watchlist's names must find: every search hit in every section."""
    catalogue = build_catalogue(SAMPLE_WATCHLIST)
    terms = search_terms(load_watchlist(SAMPLE_WATCHLIST).marks)
    profile = load_profile("demo")
    found = set()
    for entry in profile.searches:
        section = {"/search": "static", "/mall/search": "mall", "/gbk/search": "gbk"}[entry.url.split("?")[0]]
        for term in terms:
            hits = catalogue.search(section, term)[: entry.max_pages * 10]
            found.update(p.id for p in hits if p.bad != "404")
    return found


def outbox(settings: Settings) -> list[Path]:
    return sorted(settings.outbox_dir.glob("*.eml"))


def test_demo_alerts_match_ground_truth_and_rerun_is_idempotent(settings: Settings) -> None:
    first = run_demo(settings)
    truth = build_catalogue(SAMPLE_WATCHLIST).ground_truth()
    database = Database(settings)
    try:
        check = check_truth(truth, alerted_marks(database, "demo"))
        assert check.infringing >= 50
        assert check.missed == [], check.missed
        assert check.genuine_alerted == [], check.genuine_alerted
        assert check.false_alerts == [], check.false_alerts
        assert f"{check.caught}/{check.infringing} infringing listings alerted" in first.stdout

        with database.session() as session:
            alerts = session.scalar(select(func.count(AlertRow.id)))
            listings = session.scalar(select(func.count(ListingRow.id)))
            run = session.scalars(select(CrawlRunRow)).one()
            stats = run.stats
        assert listings == len(searchable_listings())  # every search hit in all three sections found
        assert stats["outcome/not_found"] >= 1 and stats["outcome/no_price"] >= 1
        assert stats["outcome/bad_image"] >= 1
        assert stats["pages/encoding/gbk"] >= 10
        assert stats["playwright/request_count/resource_type/document"] >= 1

        mails = outbox(settings)
        owners = {p["infringes"][0] for p in truth if p["infringes"] and p.get("bad") != "404"}
        assert len(mails) == len(owners)  # one message per owner with alerts
        recipients = {email.message_from_bytes(m.read_bytes())["To"] for m in mails}
        assert len(recipients) == len(mails)

        if settings.database_url:  # PostgreSQL: the full run above; the rerun is checked on SQLite
            return
        second = run_demo(settings)
        with database.session() as session:
            assert session.scalar(select(func.count(AlertRow.id))) == alerts
            assert session.scalar(select(func.count(ListingRow.id))) == listings
            assert session.scalar(select(func.count(CrawlRunRow.id))) == 2
            pending = session.scalar(select(func.count(DeliveryRow.id)).where(DeliveryRow.status != "sent"))
            assert pending == 0
        assert outbox(settings) == mails
        assert "ground truth" in second.stdout
    finally:
        database.dispose()
