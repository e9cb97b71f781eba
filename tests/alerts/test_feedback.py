"""Feedback: an owner's one-click answer in the email is signed, recorded once, moves the alert (and
its case), silences a rejected listing × mark for good, and counts towards the mark's precision."""

from __future__ import annotations

import re
from datetime import timedelta
from email import policy
from email.parser import BytesParser

import pytest
from sqlalchemy import select, update

from ipwatch.alerts.delivery import deliver_pending
from ipwatch.alerts.feedback import (
    BadFeedbackLink,
    ExpiredFeedbackLink,
    apply_feedback,
    make_token,
    read_token,
    signing_key,
)
from ipwatch.alerts.precision import precision_by_mark
from ipwatch.alerts.queue import enqueue
from ipwatch.core.settings import Settings
from ipwatch.core.storage.models import AlertEventRow, AlertRow, CaseAlertRow, CaseRow, DeliveryRow, ListingRow, MarkRow

KEY = "k" * 48


def test_a_token_carries_the_alert_the_answer_and_who_gave_it():
    token = make_token(KEY, 42, "reject", "ip@brand.example.org")
    assert re.fullmatch(r"[A-Za-z0-9_.\-]+", token)  # safe in a URL path as it is
    found = read_token(KEY, token)
    assert (found.alert_id, found.decision, found.recipient) == (42, "reject", "ip@brand.example.org")


@pytest.mark.parametrize(("tamper", "error"), [
    (lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"), BadFeedbackLink),
    (lambda t: t[: len(t) // 2], BadFeedbackLink),
    (lambda t: make_token("another key of enough length!!!!", 42, "confirm", "x@y.org"), BadFeedbackLink),
    (lambda t: "not-a-token", BadFeedbackLink),
])
def test_an_altered_or_foreign_link_is_refused_with_a_remedy(tamper, error):
    with pytest.raises(error, match="triage page"):
        read_token(KEY, tamper(make_token(KEY, 42, "confirm", "x@y.org")))


def test_an_old_link_has_expired():
    with pytest.raises(ExpiredFeedbackLink, match="older than"):
        read_token(KEY, make_token(KEY, 42, "confirm", "x@y.org"), max_age=timedelta(seconds=-1))


def test_the_signing_key_is_made_once_and_shared_with_the_web_app(tmp_path):
    settings = Settings(data_dir=tmp_path / "data")
    key = signing_key(settings)
    assert len(key) >= 32 and signing_key(settings) == key
    assert (settings.data_dir / "secret_key").read_text().strip() == key
    assert (settings.data_dir / "secret_key").stat().st_mode & 0o777 == 0o600
    from ipwatch.core.secret import secret_key  # the web app verifies the links with the same key

    assert secret_key(settings) == key


def _alerts(database, settings, rows, *, listings: int = 1) -> list[int]:
    with database.session() as session:
        r = rows(session, settings.images_dir)
        site, mark = r.site("demo"), r.mark("xiaofeiyang", "小肥羊", email="ip@sheep.example.org")
        for key in range(listings):
            listing = r.listing(site, str(key), f"小肥洋火锅底料 {key}")
            enqueue(session, listing, r.match(listing, mark), mark)
        return list(session.scalars(select(AlertRow.id).order_by(AlertRow.id)))


def _link(message_bytes: bytes, label: str) -> str:
    text = BytesParser(policy=policy.default).parsebytes(message_bytes).get_body(("plain",)).get_content()
    return re.search(rf"{label}:\s+(\S+)", text).group(1)


def test_the_reject_link_in_the_email_silences_that_listing_and_mark_for_good(database, settings, rows):
    [alert_id] = _alerts(database, settings, rows)
    [email] = deliver_pending(database, settings).written
    link = _link(email.read_bytes(), "不是侵权 / Not infringing")
    assert link.startswith("http://127.0.0.1:8000/feedback/")
    token = read_token(signing_key(settings), link.rsplit("/", 1)[1])
    assert (token.alert_id, token.decision, token.recipient) == (alert_id, "reject", "ip@sheep.example.org")
    with database.session() as session:
        result = apply_feedback(session, token.alert_id, token.decision, f"email:{token.recipient}")
        again = apply_feedback(session, token.alert_id, token.decision, f"email:{token.recipient}")
    assert (result.outcome, result.state, again.outcome) == ("applied", "false_positive", "unchanged")
    with database.session() as session:
        session.execute(update(ListingRow).values(content_hash="hash-2", title="小肥洋 新包装"))
        r = rows(session, settings.images_dir)
        listing, mark = session.scalars(select(ListingRow)).one(), session.get(MarkRow, "xiaofeiyang")
        assert enqueue(session, listing, r.match(listing, mark, 0.99), mark) == "suppressed"
        [event] = session.scalars(select(AlertEventRow).where(AlertEventRow.action == "feedback")).all()
        assert (event.actor, event.from_state, event.to_state) == ("email:ip@sheep.example.org", "new", "false_positive")
    assert deliver_pending(database, settings).messages == 0


def test_rejecting_cancels_what_still_waits_to_be_sent(database, settings, rows):
    [alert_id] = _alerts(database, settings, rows)
    with database.session() as session:
        apply_feedback(session, alert_id, "reject", "email:ip@sheep.example.org")
    with database.session() as session:
        delivery = session.scalars(select(DeliveryRow)).one()
    assert delivery.status == "cancelled" and "false_positive" in delivery.last_error


def test_an_answer_moves_the_whole_case_and_comes_too_late_once_a_notice_is_sent(database, settings, rows):
    first, second, third = _alerts(database, settings, rows, listings=3)
    with database.session() as session:
        case = CaseRow(owner="小肥羊有限公司", state="reviewing")
        session.add(case)
        session.flush()
        session.add_all([CaseAlertRow(alert_id=first, case_id=case.id), CaseAlertRow(alert_id=second, case_id=case.id)])
        session.execute(update(AlertRow).where(AlertRow.id.in_([first, second])).values(state="reviewing"))
        session.execute(update(AlertRow).where(AlertRow.id == third).values(state="notice_sent"))
    with database.session() as session:
        moved = apply_feedback(session, first, "confirm", "email:ip@sheep.example.org")
        late = apply_feedback(session, third, "reject", "email:ip@sheep.example.org")
        unknown = apply_feedback(session, 999_999, "reject", "email:ip@sheep.example.org")
    assert (moved.outcome, late.outcome, unknown.outcome) == ("applied", "too_late", "unknown_alert")
    assert "triage page" in late.message
    with database.session() as session:
        states = dict(session.execute(select(AlertRow.id, AlertRow.state)).all())
        assert session.scalars(select(CaseRow.state)).one() == "confirmed"
    assert states == {first: "confirmed", second: "confirmed", third: "notice_sent"}


def test_precision_per_mark_counts_confirmed_against_rejected(database, settings, rows):
    ids = _alerts(database, settings, rows, listings=5)
    with database.session() as session:
        for alert_id, decision in zip(ids, ("confirm", "confirm", "confirm", "reject"), strict=False):
            apply_feedback(session, alert_id, decision, "officer")
        session.execute(update(AlertRow).where(AlertRow.id == ids[0]).values(state="measures_taken"))
    with database.session() as session:
        [sheep] = precision_by_mark(session)
    assert (sheep.mark_id, sheep.confirmed, sheep.rejected, sheep.undecided, sheep.precision) == (
        "xiaofeiyang", 3, 1, 1, 0.75)
