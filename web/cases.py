"""Cases: alerts about one listing, seller or image, handled together through the workflow.

A case belongs to one rights holder (a notice speaks for one), so alerts of different owners
never share a case. The workflow state lives on the case; every alert in it carries the same
state. Moves are the workflow's (alerts/workflow.py); grouping, merging and assigning are here,
and each is written to every member alert's audit trail as a move is.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from ..alerts.workflow import CLOSED, MAX_COMMENT, STATES, TransitionRefused, case_of, members, move, record
from ..core.clock import utcnow
from ..core.storage.models import (
    AlertRow,
    CaseAlertRow,
    CaseCommentRow,
    CaseRow,
    ListingImageRow,
    ListingRow,
    MarkRow,
    NoticeRow,
    UserRow,
)
from .access import scoped
from .users import User


def _owner_of(session: Session, alert: AlertRow) -> str:
    return session.execute(select(MarkRow.owner).where(MarkRow.id == alert.mark_id)).scalar_one()


def ensure_case(session: Session, alert: AlertRow, actor: str) -> CaseRow:
    """The alert's case; a new alert joins the open case of its owner about the same listing, or gets its own."""
    existing = case_of(session, alert.id)
    if existing is not None:
        return existing
    owner, now = _owner_of(session, alert), utcnow()
    same_listing = session.scalar(
        select(CaseRow).join(CaseAlertRow, CaseAlertRow.case_id == CaseRow.id)
        .join(AlertRow, AlertRow.id == CaseAlertRow.alert_id)
        .where(AlertRow.listing_id == alert.listing_id, CaseRow.owner == owner, CaseRow.state.not_in(CLOSED))
        .order_by(CaseRow.id).limit(1))
    if same_listing is not None and same_listing.state == alert.state:
        session.add(CaseAlertRow(alert_id=alert.id, case_id=same_listing.id))
        record(session, alert, actor, "grouped", at=now, case_id=same_listing.id, why="same listing")
        return same_listing
    case = CaseRow(owner=owner, state=alert.state if alert.state in STATES else "new", state_since=now,
                   created_at=now, updated_at=now)
    session.add(case)
    session.flush()
    session.add(CaseAlertRow(alert_id=alert.id, case_id=case.id))
    session.flush()
    return case


def move_alerts(session: Session, alerts: Sequence[AlertRow], to_state: str, actor: User,
                *, note: str | None = None) -> list[CaseRow]:
    """Move the cases of these alerts to `to_state`; all or none (the first refusal raises)."""
    cases: dict[int, CaseRow] = {}
    for alert in alerts:
        case = ensure_case(session, alert, actor.username)
        cases.setdefault(case.id, case)
    for case in cases.values():
        if case.state == to_state:
            continue
        try:
            move(session, case, to_state, actor.username, note=note)
        except TransitionRefused as exc:
            raise TransitionRefused(f"case {case.id}: {exc}") from None
    return list(cases.values())


def merge(session: Session, alerts: Sequence[AlertRow], actor: User, *, into: CaseRow | None = None) -> CaseRow:
    """Put these alerts (and the cases they are in) into one case: `into`, or the oldest of theirs."""
    if not alerts and into is None:
        raise TransitionRefused("choose at least two alerts to merge")
    owners = {_owner_of(session, alert) for alert in alerts} | ({into.owner} if into else set())
    if len(owners) > 1:
        raise TransitionRefused("these alerts belong to different rights holders, and a notice speaks for"
                                " one: merge each owner's alerts separately")
    cases = [ensure_case(session, alert, actor.username) for alert in alerts]
    target = into or min(cases, key=lambda c: c.id)
    now = utcnow()
    for case in {c.id: c for c in cases}.values():
        if case.id == target.id:
            continue
        for alert in members(session, case):
            link = session.get_one(CaseAlertRow, alert.id)
            link.case_id = target.id
            record(session, alert, actor.username, "merged", from_state=alert.state, to_state=target.state,
                   at=now, case_id=target.id, from_case=case.id)
            alert.state, alert.updated_at = target.state, now
        for table in (CaseCommentRow, NoticeRow):  # the history of the absorbed case moves along
            session.execute(update(table).where(table.case_id == case.id).values(case_id=target.id))
        session.flush()
        session.delete(case)
    target.updated_at = now
    session.flush()
    return target


def assign(session: Session, case: CaseRow, assignee: str | None, actor: User) -> None:
    """Give `case` to an officer or administrator (None: to nobody)."""
    row = None
    if assignee:
        row = session.scalar(select(UserRow).where(UserRow.username == assignee, UserRow.active.is_(True)))
        if row is None or (row.role == "owner" and row.owner != case.owner):
            raise TransitionRefused(f"'{assignee}' cannot take this case: choose an officer, an administrator"
                                    " or someone of the rights holder")
    now = utcnow()
    case.assignee_id, case.updated_at = (row.id if row else None), now
    for alert in members(session, case):
        record(session, alert, actor.username, "assigned", at=now, case_id=case.id,
               assignee=row.username if row else None)


def comment(session: Session, case: CaseRow, body: str, actor: User) -> CaseCommentRow:
    """Add a comment to `case`."""
    body = body.strip()
    if not body:
        raise TransitionRefused("the comment is empty")
    row = CaseCommentRow(case_id=case.id, author=actor.username, body=body[:MAX_COMMENT], at=utcnow())
    session.add(row)
    case.updated_at = row.at
    session.flush()
    return row


def comments(session: Session, case_id: int) -> list[CaseCommentRow]:
    """The comments on a case, oldest first."""
    return list(session.scalars(select(CaseCommentRow).where(CaseCommentRow.case_id == case_id)
                                .order_by(CaseCommentRow.at, CaseCommentRow.id)))


def related(session: Session, alert: AlertRow, user: User, limit: int = 50) -> list[tuple[AlertRow, str]]:
    """Other alerts `user` may see about the same listing, seller or image, with why they relate."""
    listing = alert.listing
    image_ids = select(ListingImageRow.image_id).where(ListingImageRow.listing_id == listing.id)
    shares_image = select(ListingImageRow.listing_id).where(ListingImageRow.image_id.in_(image_ids))
    conditions = [AlertRow.listing_id == listing.id, ListingRow.id.in_(shares_image)]
    if listing.seller:
        conditions.append((ListingRow.seller == listing.seller) & (ListingRow.site_id == listing.site_id))
    query = scoped(select(AlertRow, ListingRow).join(ListingRow, AlertRow.listing_id == ListingRow.id)
                   .join(MarkRow, AlertRow.mark_id == MarkRow.id)
                   .where(or_(*conditions), AlertRow.id != alert.id), user).order_by(AlertRow.id).limit(limit)
    result = []
    for other, other_listing in session.execute(query):
        if other.listing_id == alert.listing_id:
            why = "same listing"
        elif listing.seller and other_listing.seller == listing.seller and other_listing.site_id == listing.site_id:
            why = "same seller"
        else:
            why = "same image"
        result.append((other, why))
    return result


def open_cases_count(session: Session, user: User) -> int:
    """How many cases `user` may see are still open."""
    query = select(func.count(CaseRow.id)).where(CaseRow.state.not_in(CLOSED))
    return session.scalar(query if user.sees_all else query.where(CaseRow.owner == user.owner)) or 0
