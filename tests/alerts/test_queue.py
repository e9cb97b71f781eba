"""The queue promises one alert per listing × mark, one email per material change, none after a no."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ipwatch.alerts.queue import EnqueueOutcome, counts, enqueue, list_alerts
from ipwatch.core.settings import Settings
from ipwatch.core.storage.engine import Database
from ipwatch.core.storage.models import AlertEventRow, AlertRow, DeliveryRow, ListingRow, MarkRow, MatchRow


def _count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model))


def _actions(session: Session) -> list[str]:
    return list(session.scalars(select(AlertEventRow.action).order_by(AlertEventRow.id)))


def _seed(database: Database, settings: Settings, rows, *, notify: str = "immediate",
          email: str | None = "ip@xiaofeiyang.example.org") -> tuple[int, str]:
    with database.session() as session:
        r = rows(session, settings.images_dir)
        site = r.site("demo")
        mark = r.mark("xiaofeiyang", "小肥羊", email=email, notify=notify)
        listing = r.listing(site, "1001", "小肥洋 火锅底料 235g")
        return listing.id, mark.id


def _enqueue(database: Database, settings: Settings, rows, listing_id: int, mark_id: str,
             score: float = 0.92, reasons: tuple[str, ...] | None = None) -> EnqueueOutcome:
    with database.session() as session:
        listing, mark = session.get(ListingRow, listing_id), session.get(MarkRow, mark_id)
        r = rows(session, settings.images_dir)
        match = r.match(listing, mark, score) if reasons is None else r.match(listing, mark, score, reasons)
        return enqueue(session, listing, match, mark)


def test_a_new_match_creates_one_alert_one_event_and_one_pending_email(database, settings, rows):
    listing_id, mark_id = _seed(database, settings, rows)
    assert _enqueue(database, settings, rows, listing_id, mark_id) == "created"
    with database.session() as session:
        alert = session.scalars(select(AlertRow)).one()
        assert alert.dedup_key == "demo:1001:xiaofeiyang"
        assert (alert.state, alert.severity, alert.content_hash) == ("new", "medium", "hash-1")
        assert alert.reasons[0]["text"] == "homophone 小肥洋≈小肥羊 (xiao fei yang)"
        assert _actions(session) == ["created"]
        delivery = session.scalars(select(DeliveryRow)).one()
        assert (delivery.channel, delivery.recipient, delivery.status, delivery.attempts) == (
            "email", "ip@xiaofeiyang.example.org", "pending", 0)


def test_enqueueing_the_same_match_twice_in_one_transaction_makes_one_alert(database, settings, rows):
    listing_id, mark_id = _seed(database, settings, rows)
    with database.session() as session:
        listing, mark = session.get(ListingRow, listing_id), session.get(MarkRow, mark_id)
        match = rows(session, settings.images_dir).match(listing, mark)
        outcomes = [enqueue(session, listing, match, mark), enqueue(session, listing, match, mark)]
    assert outcomes == ["created", "unchanged"]
    with database.session() as session:
        assert [_count(session, m) for m in (MatchRow, AlertRow, DeliveryRow)] == [1, 1, 1]


def test_two_matchers_racing_on_one_match_make_one_alert(database, settings, rows):
    listing_id, mark_id = _seed(database, settings, rows)
    first_inside, results = threading.Event(), {}

    def matcher(name: str, hold: bool) -> None:
        try:
            with database.session() as session:
                listing, mark = session.get(ListingRow, listing_id), session.get(MarkRow, mark_id)
                match = rows(session, settings.images_dir).match(listing, mark)
                results[name] = enqueue(session, listing, match, mark)
                if hold:  # keep the transaction open while the other matcher tries
                    first_inside.set()
                    time.sleep(0.5)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            results[name] = exc

    first = threading.Thread(target=matcher, args=("first", True))
    first.start()
    assert first_inside.wait(10)
    second = threading.Thread(target=matcher, args=("second", False))
    second.start()
    first.join(30)
    second.join(30)
    assert results == {"first": "created", "second": "unchanged"}
    with database.session() as session:
        assert [_count(session, m) for m in (MatchRow, AlertRow, DeliveryRow)] == [1, 1, 1]


def test_a_rerun_updates_score_and_reasons_without_a_new_email(database, settings, rows):
    listing_id, mark_id = _seed(database, settings, rows)
    _enqueue(database, settings, rows, listing_id, mark_id, score=0.86)
    outcome = _enqueue(database, settings, rows, listing_id, mark_id, score=0.97,
                       reasons=("homophone 小肥洋≈小肥羊", "高仿 in the title"))
    assert outcome == "updated"
    with database.session() as session:
        alert = session.scalars(select(AlertRow)).one()
        match = session.scalars(select(MatchRow)).one()
        assert (alert.score, alert.severity, match.score) == (0.97, "high", 0.97)
        assert [r["text"] for r in match.reasons] == ["homophone 小肥洋≈小肥羊", "高仿 in the title"]
        assert _actions(session) == ["created", "updated"]
        assert _count(session, DeliveryRow) == 1
        updated = session.scalars(select(AlertEventRow).where(AlertEventRow.action == "updated")).one()
        assert updated.detail["score"] == {"from": 0.86, "to": 0.97}
        assert updated.detail["severity"] == {"from": "medium", "to": "high"}


def test_a_rerun_with_nothing_new_is_unchanged_and_silent(database, settings, rows):
    listing_id, mark_id = _seed(database, settings, rows)
    _enqueue(database, settings, rows, listing_id, mark_id)
    assert _enqueue(database, settings, rows, listing_id, mark_id) == "unchanged"
    with database.session() as session:
        assert _actions(session) == ["created"]
        assert _count(session, DeliveryRow) == 1


def _change_listing(database: Database, listing_id: int, new_hash: str) -> None:
    with database.session() as session:
        session.execute(update(ListingRow).where(ListingRow.id == listing_id)
                        .values(content_hash=new_hash, title="小肥洋 火锅底料 新包装"))


def test_a_changed_listing_renotifies_once_with_a_new_pending_email(database, settings, rows):
    listing_id, mark_id = _seed(database, settings, rows)
    _enqueue(database, settings, rows, listing_id, mark_id)
    with database.session() as session:  # the first email went out
        session.execute(update(DeliveryRow).values(status="sent"))
    _change_listing(database, listing_id, "hash-2")
    assert _enqueue(database, settings, rows, listing_id, mark_id) == "renotify"
    assert _enqueue(database, settings, rows, listing_id, mark_id) == "unchanged"
    with database.session() as session:
        statuses = list(session.scalars(select(DeliveryRow.status).order_by(DeliveryRow.id)))
        assert statuses == ["sent", "pending"]
        assert session.scalars(select(AlertRow.content_hash)).one() == "hash-2"
        assert _actions(session) == ["created", "renotify"]


def test_a_change_while_the_first_email_still_waits_adds_no_second_email(database, settings, rows):
    listing_id, mark_id = _seed(database, settings, rows)
    _enqueue(database, settings, rows, listing_id, mark_id)
    _change_listing(database, listing_id, "hash-2")
    assert _enqueue(database, settings, rows, listing_id, mark_id) == "renotify"
    with database.session() as session:
        assert _count(session, DeliveryRow) == 1


@pytest.mark.parametrize("state", ["false_positive", "rejected"])
def test_an_alert_a_person_dismissed_is_never_renotified(database, settings, rows, state):
    listing_id, mark_id = _seed(database, settings, rows)
    _enqueue(database, settings, rows, listing_id, mark_id)
    with database.session() as session:
        session.execute(update(AlertRow).values(state=state))
        session.execute(update(DeliveryRow).values(status="sent"))
    _change_listing(database, listing_id, "hash-2")
    outcome = _enqueue(database, settings, rows, listing_id, mark_id, score=0.99)
    assert outcome == "suppressed"
    with database.session() as session:
        assert _count(session, DeliveryRow) == 1
        assert session.scalars(select(AlertRow.state)).one() == state
        assert _actions(session) == ["created"]


def test_notify_off_raises_the_alert_but_queues_no_email(database, settings, rows):
    listing_id, mark_id = _seed(database, settings, rows, notify="off")
    assert _enqueue(database, settings, rows, listing_id, mark_id) == "created"
    with database.session() as session:
        assert (_count(session, AlertRow), _count(session, DeliveryRow)) == (1, 0)


def test_an_owner_without_email_gets_the_alert_but_no_delivery(database, settings, rows):
    listing_id, mark_id = _seed(database, settings, rows, email=None)
    assert _enqueue(database, settings, rows, listing_id, mark_id) == "created"
    with database.session() as session:
        assert (_count(session, AlertRow), _count(session, DeliveryRow)) == (1, 0)


def test_list_alerts_gives_records_with_an_absolute_thumbnail(database, settings, rows, listing_image):
    with database.session() as session:
        r = rows(session, settings.images_dir)
        site = r.site("demo")
        sheep, deer = r.mark("xiaofeiyang", "小肥羊"), r.mark("guyang", "固阳黄芪", kind="gi")
        with_image = r.listing(site, "1", "小肥洋火锅底料", image=listing_image)
        plain = r.listing(site, "2", "固阳黄芪 500g 包邮", price=None)
        enqueue(session, with_image, r.match(with_image, sheep, 0.8), sheep)
        enqueue(session, plain, r.match(plain, deer, 0.95), deer)
    with database.session() as session:
        every = list_alerts(session, images_dir=settings.images_dir)
        only_gi = list_alerts(session, mark_id="guyang", images_dir=settings.images_dir)
        assert list_alerts(session, state="confirmed") == []
        assert len(list_alerts(session, limit=1)) == 1
        totals = counts(session)
    by_mark = {alert.mark_id: alert for alert in every}
    assert Path(by_mark["xiaofeiyang"].thumbnail) == listing_image.resolve()
    assert Path(by_mark["xiaofeiyang"].thumbnail).is_absolute()
    assert by_mark["guyang"].thumbnail is None
    assert (by_mark["guyang"].severity, by_mark["guyang"].price, by_mark["guyang"].site) == (
        "high", None, "demo")
    assert [reason.text for reason in by_mark["xiaofeiyang"].reasons] == ["homophone 小肥洋≈小肥羊 (xiao fei yang)"]
    assert by_mark["xiaofeiyang"].created_at.tzinfo is not None
    assert [alert.mark_id for alert in only_gi] == ["guyang"]
    assert totals == {"total": 2, "by_mark": {"xiaofeiyang": 1, "guyang": 1},
                      "by_kind": {"trademark": 1, "gi": 1}, "by_severity": {"low": 1, "high": 1},
                      "by_state": {"new": 2}}
