"""The tables keep their promises on both databases: uniqueness, Chinese JSON, aware UTC times."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import DateTime, select
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import Session

from ipwatch.core.storage.engine import Database
from ipwatch.core.storage.models import AlertRow, Base, ListingRow, MarkRow, MatchRow, SiteRow, UTCDateTime

BEIJING = timezone(timedelta(hours=8))


def _site(session: Session, name: str = "demo") -> SiteRow:
    site = SiteRow(name=name, base_url=f"http://127.0.0.1/{name}")
    session.add(site)
    session.flush()
    return site


def _listing(session: Session, site: SiteRow, key: str = "1001") -> ListingRow:
    listing = ListingRow(site_id=site.id, listing_key=key, url=f"http://127.0.0.1/item/{key}",
                         title="小肥羊火锅底料 235g", content_hash="0" * 64)
    session.add(listing)
    session.flush()
    return listing


def _mark(session: Session, mark_id: str = "xiaofeiyang") -> MarkRow:
    mark = MarkRow(id=mark_id, name="小肥羊", kind="trademark", owner="内蒙古小肥羊餐饮连锁有限公司",
                   record={"id": mark_id, "name": "小肥羊"})
    session.add(mark)
    session.flush()
    return mark


def _match(session: Session, listing: ListingRow, mark: MarkRow) -> MatchRow:
    match = MatchRow(listing_id=listing.id, mark_id=mark.id, score=0.9, reasons=["homophone 小肥洋≈小肥羊"])
    session.add(match)
    session.flush()
    return match


def _two_listings_same_site_and_key(session: Session) -> None:
    site = _site(session)
    _listing(session, site, "1001")
    _listing(session, site, "1001")


def _two_matches_same_listing_and_mark(session: Session) -> None:
    listing, mark = _listing(session, _site(session)), _mark(session)
    _match(session, listing, mark)
    _match(session, listing, mark)


def _two_alerts_same_dedup_key(session: Session) -> None:
    listing, mark = _listing(session, _site(session)), _mark(session)
    match = _match(session, listing, mark)
    for _ in range(2):
        session.add(AlertRow(dedup_key="demo:1001:xiaofeiyang", listing_id=listing.id, mark_id=mark.id,
                             match_id=match.id, severity="high", score=0.9, reasons=[], content_hash="0" * 64))
        session.flush()


def _same_listing_key_on_two_sites(session: Session) -> None:
    _listing(session, _site(session, "jd"), "1001")
    _listing(session, _site(session, "taobao"), "1001")


@pytest.mark.parametrize(("rows", "refused"), [
    (_two_listings_same_site_and_key, True),
    (_two_matches_same_listing_and_mark, True),
    (_two_alerts_same_dedup_key, True),
    (_same_listing_key_on_two_sites, False),
], ids=["listing site+key", "match listing x mark", "alert dedup_key", "same key on two sites is fine"])
def test_unique_constraints_refuse_duplicates(database: Database, rows: Callable[[Session], None],
                                             refused: bool) -> None:
    if refused:
        with pytest.raises(IntegrityError), database.session() as session:
            rows(session)
    else:
        with database.session() as session:
            rows(session)


def test_json_columns_round_trip_chinese_text(database: Database) -> None:
    record = {"name": "固阳黄芪", "aliases": ["固阳芪", "Guyang Astragalus"], "region": "内蒙古自治区包头市固阳县",
              "reference_price": {"amount": 120.0, "unit": "500g"}, "symbols": "「老字号」™®"}
    reasons = ["homophone 康帅傅≈康师傅 (kang shuai fu ~ kang shi fu)", "glyph 娃哈哈≈娃恰恰"]
    with database.session() as session:
        mark = _mark(session, "guyang-huangqi")
        mark.record = record
        _match(session, _listing(session, _site(session)), mark).reasons = reasons
    with database.session() as session:
        assert session.get(MarkRow, "guyang-huangqi").record == record
        assert session.scalar(select(MatchRow.reasons)) == reasons


def test_timestamps_read_back_timezone_aware_in_utc(database: Database) -> None:
    beijing_noon = datetime(2026, 3, 15, 12, 0, 0, 123456, tzinfo=BEIJING)
    with database.session() as session:
        site = _site(session)
        site.created_at = beijing_noon
    with database.session() as session:
        created = session.scalar(select(SiteRow.created_at))
    assert created.tzinfo is not None and created.utcoffset() == timedelta(0)
    assert created == beijing_noon
    assert created.hour == 4 and created.microsecond == 123456


def test_defaults_are_aware_and_comparisons_work_across_time_zones(database: Database) -> None:
    with database.session() as session:
        _site(session)
    with database.session() as session:
        created = session.scalar(select(SiteRow.created_at))
        in_beijing = created.astimezone(BEIJING)
        assert abs(datetime.now(UTC) - created) < timedelta(minutes=5)
        assert session.scalar(select(SiteRow.name).where(SiteRow.created_at == in_beijing)) == "demo"
        before = in_beijing - timedelta(microseconds=1)
        assert session.scalar(select(SiteRow.name).where(SiteRow.created_at > before)) == "demo"


def test_a_naive_datetime_is_refused_rather_than_guessed(database: Database) -> None:
    with pytest.raises(StatementError, match="naive datetime"), database.session() as session:
        site = _site(session)
        site.created_at = datetime(2026, 3, 15, 12, 0)
        session.flush()


def test_every_datetime_column_stores_utc_and_reads_back_aware() -> None:
    datetime_columns = [column for table in Base.metadata.tables.values() for column in table.columns
                        if isinstance(column.type, DateTime | UTCDateTime)]
    assert len(datetime_columns) >= 10
    assert [str(c) for c in datetime_columns if not isinstance(c.type, UTCDateTime)] == []
