"""GI and old-brand decisions reach the alerts with their reasons and their own severity:
a GI sold from outside its region is high; evocation and false heritage at least medium."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from ipwatch.core.settings import Settings
from ipwatch.core.storage.engine import Database
from ipwatch.core.storage.models import AlertRow, ListingRow
from ipwatch.pipeline import match_listings
from ipwatch.spiders.records import Listing
from ipwatch.spiders.store import ensure_site, start_run, store_listing
from ipwatch.watchlist.loader import load_watchlist
from ipwatch.watchlist.records import Watchlist
from ipwatch.watchlist.store import upsert_marks

SAMPLE = Path(__file__).resolve().parents[2] / "watchlist" / "samples" / "baotou.yaml"
WANTED = {"guyang-huangqi", "xilinguole-yangrou", "quanjude", "tongrentang"}
AUTUMN = datetime(2024, 10, 15, 4, tzinfo=UTC)

# listing key, title, seller, seller location → (mark, severities allowed, a reason it carries) or None
LISTINGS = [
    ("origin", "正宗固阳黄芪 产地直发", "定西黄芪种植合作社", "甘肃省定西市",
     ("guyang-huangqi", {"high"}, "seller outside the GI region 内蒙古自治区包头市固阳县: 甘肃省定西市 (+0.05)")),
    ("evoked", "锡林郭勒风味羊排 冷冻 1kg", "临沂清真肉业", "",
     ("xilinguole-yangrou", {"medium", "high"}, "evocation of 锡林郭勒羊肉: 风味 (flavour) in 锡林郭勒风味")),
    ("heritage", "中华老字号 同仁堂六味地黄丸 360丸", "康源大药房", "河南省郑州市",
     ("tongrentang", {"medium", "high"}, "heritage claim 中华老字号 for 同仁堂 by 康源大药房")),
    ("grower", "固阳黄芪切片 500g", "固阳县农家黄芪小店", "内蒙古自治区包头市固阳县金山镇", None),
    ("cookbook", "全聚德烤鸭做法 家常菜谱 图解版", "文轩图书专营店", "四川省成都市", None),
]


def test_provenance_decisions_become_alerts_with_reasons_and_severity(database: Database,
                                                                      settings: Settings) -> None:
    marks = tuple(mark for mark in load_watchlist(SAMPLE).marks if mark.id in WANTED)
    with database.session() as session:
        upsert_marks(session, Watchlist(marks=marks))
        site = ensure_site(session, "test", "http://127.0.0.1")
        run = start_run(session, site)
        for key, title, seller, location, _ in LISTINGS:
            listing = Listing(site="test", listing_key=key, url=f"http://127.0.0.1/item/{key}", title=title,
                              seller=seller, seller_location=location, fetched_at=AUTUMN)
            store_listing(session, site, run, listing, settings.images_dir)
    match_listings(database, threshold=settings.match_threshold)
    with database.session() as session:
        alerts = {key: (mark_id, severity, [reason["text"] for reason in reasons])
                  for key, mark_id, severity, reasons in session.execute(
                      select(ListingRow.listing_key, AlertRow.mark_id, AlertRow.severity, AlertRow.reasons)
                      .join(AlertRow, AlertRow.listing_id == ListingRow.id))}
    expected = {key: wanted for key, *_, wanted in LISTINGS if wanted is not None}
    assert set(alerts) == set(expected)
    for key, (mark_id, severities, reason) in expected.items():
        got_mark, severity, reasons = alerts[key]
        assert got_mark == mark_id
        assert severity in severities, (key, severity)
        assert any(text.startswith(reason) for text in reasons), (key, reasons)
