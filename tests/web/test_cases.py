"""Cases on SQLite and PostgreSQL: moves write the audit trail, merges keep history, false positives teach."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from ipwatch.alerts.allowlist import PatternRefused, add_pattern, allowed_by, open_alerts_covered, patterns
from ipwatch.alerts.queue import enqueue
from ipwatch.alerts.workflow import move
from ipwatch.core.storage.models import (
    AlertEventRow,
    AlertRow,
    CaseAlertRow,
    CaseCommentRow,
    CaseRow,
    ListingRow,
    MarkRow,
)
from ipwatch.matchers.records import Match, Reason
from ipwatch.web import cases
from ipwatch.web.users import get_user


def _officer(session):
    from ipwatch.core.storage.models import UserRow

    return get_user(session, session.scalar(select(UserRow.id).where(UserRow.username == "officer")))


def _alert(session, alert_id: int) -> AlertRow:
    return session.get(AlertRow, alert_id)


def test_a_move_changes_every_alert_of_the_case_and_records_who_from_and_to(db_scene):
    with db_scene.database.session() as session:
        officer = _officer(session)
        dashed, twin = _alert(session, db_scene.ids["dashed"]), _alert(session, db_scene.ids["seller_twin"])
        case = cases.merge(session, [dashed, twin], officer)
        move(session, case, "confirmed", officer.username, note="same shop, same knock-off")
    with db_scene.database.session() as session:
        states = session.scalars(select(AlertRow.state).where(AlertRow.id.in_([dashed.id, twin.id]))).all()
        assert states == ["confirmed", "confirmed"]
        events = session.execute(select(AlertEventRow.alert_id, AlertEventRow.actor, AlertEventRow.from_state,
                                        AlertEventRow.to_state).where(AlertEventRow.action == "state")
                                 .order_by(AlertEventRow.alert_id)).all()
        assert events == [(dashed.id, "officer", "new", "confirmed"), (twin.id, "officer", "new", "confirmed")]
        assert session.scalar(select(CaseCommentRow.body)) == "same shop, same knock-off"


def test_merging_cases_keeps_their_comments_and_removes_the_emptied_case(db_scene):
    with db_scene.database.session() as session:
        officer = _officer(session)
        first = cases.ensure_case(session, _alert(session, db_scene.ids["dashed"]), "officer")
        second = cases.ensure_case(session, _alert(session, db_scene.ids["seller_twin"]), "officer")
        cases.comment(session, second, "seen again on 11-20", officer)
        target = cases.merge(session, [_alert(session, db_scene.ids["seller_twin"])], officer, into=first)
        assert target.id == first.id
    with db_scene.database.session() as session:
        assert session.scalar(select(func.count(CaseRow.id))) == 1
        assert session.scalar(select(CaseCommentRow.case_id)) == first.id
        members = set(session.scalars(select(CaseAlertRow.alert_id)))
        assert members == {db_scene.ids["dashed"], db_scene.ids["seller_twin"]}
        merged = session.scalar(select(AlertEventRow.detail).where(AlertEventRow.action == "merged"))
        assert merged == {"case_id": first.id, "from_case": second.id}


def test_alerts_of_different_rights_holders_never_share_a_case(db_scene):
    with db_scene.database.session() as session:
        with pytest.raises(cases.TransitionRefused, match="different rights holders"):
            cases.merge(session, [_alert(session, db_scene.ids["dashed"]), _alert(session, db_scene.ids["herb"])],
                        _officer(session))


def test_a_false_positive_is_not_alerted_again_when_the_listing_changes(db_scene):
    with db_scene.database.session() as session:
        officer = _officer(session)
        cases.move_alerts(session, [_alert(session, db_scene.ids["genuine"])], "false_positive", officer)
    with db_scene.database.session() as session:
        alert = _alert(session, db_scene.ids["genuine"])
        listing = session.get(ListingRow, alert.listing_id)
        listing.content_hash = "changed-title-and-images"
        mark = session.get(MarkRow, alert.mark_id)
        match = Match(site="demo", listing_key=listing.listing_key, mark_id=mark.id, score=0.97,
                      reasons=(Reason(technique="exact", text="exact 小肥羊"),))
        assert enqueue(session, listing, match, mark) == "suppressed"
    with db_scene.database.session() as session:
        assert session.scalar(select(func.count(AlertRow.id)).where(AlertRow.listing_id == listing.id)) == 1
        assert _alert(session, db_scene.ids["genuine"]).state == "false_positive"


def test_an_allow_listed_seller_covers_that_sellers_listings_for_that_mark_only(db_scene):
    with db_scene.database.session() as session:
        pattern = add_pattern(session, "xiaofeiyang", "seller", " 小肥羊合作经销店 ", "officer")
        assert add_pattern(session, "xiaofeiyang", "seller", "小肥羊合作经销店", "officer") == pattern
        covered = open_alerts_covered(session, pattern)
        assert [a.id for a in covered] == [db_scene.ids["genuine"]]
        table = patterns(session)
        genuine = session.get(ListingRow, covered[0].listing_id)
        assert allowed_by(genuine, "xiaofeiyang", table) == pattern
        assert allowed_by(genuine, "guyang-huangqi", table) is None
        cases.move_alerts(session, covered, "false_positive", _officer(session), note=f"allow-listed: {pattern}")
    with db_scene.database.session() as session:
        assert _alert(session, db_scene.ids["genuine"]).state == "false_positive"


@pytest.mark.parametrize(("field", "text", "problem"), [
    ("title", "小肥羊", "the mark itself"),
    ("title", "羊", "at least 2"),
    ("price", "9.9", "not one of"),
    ("seller", "", "1 to 200"),
])
def test_allow_list_patterns_that_would_silence_too_much_are_refused(scene, field, text, problem):
    with scene.database.session() as session, pytest.raises(PatternRefused, match=problem):
        add_pattern(session, "xiaofeiyang", field, text, "officer")


def test_a_second_alert_on_the_same_listing_joins_the_open_case_of_its_owner(db_scene):
    with db_scene.database.session() as session:
        officer = _officer(session)
        dashed = _alert(session, db_scene.ids["dashed"])
        first = cases.ensure_case(session, dashed, "officer")
        logo = MarkRow(id="xiaofeiyang-logo", name="小肥羊图形", kind="trademark", owner=session.get(
            MarkRow, "xiaofeiyang").owner, record={"id": "xiaofeiyang-logo"})
        session.add(logo)
        listing = session.get(ListingRow, dashed.listing_id)
        match = Match(site="demo", listing_key=listing.listing_key, mark_id=logo.id, score=0.9,
                      reasons=(Reason(technique="phash", text="picture like 小肥羊图形"),))
        assert enqueue(session, listing, match, logo) == "created"
        second = session.scalar(select(AlertRow).where(AlertRow.mark_id == "xiaofeiyang-logo"))
        assert cases.ensure_case(session, second, "officer").id == first.id
        move(session, first, "confirmed", officer.username)
        assert second.state == "confirmed"
        grouped = session.scalar(select(AlertEventRow.detail).where(AlertEventRow.action == "grouped"))
        assert grouped == {"case_id": first.id, "why": "same listing"}
