"""Who may see what: administrators and officers see every alert, brand owners their own marks'."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from ..core.storage.models import AlertRow, CaseRow, MarkRow
from .users import User

S = TypeVar("S", bound="Select[*tuple[Any, ...]]")


class NotVisible(LookupError):
    """No such thing, or not this user's to see: both answer 404, so ids reveal nothing."""


def scoped(query: S, user: User) -> S:
    """`query` (which must join MarkRow) limited to the marks `user` may see."""
    return query if user.sees_all else query.where(MarkRow.owner == user.owner)


def visible_alert(session: Session, user: User, alert_id: int) -> AlertRow:
    """The alert with this id if `user` may see it; else `NotVisible`."""
    query = scoped(select(AlertRow).join(MarkRow, AlertRow.mark_id == MarkRow.id)
                   .where(AlertRow.id == alert_id), user)
    row = session.scalar(query)
    if row is None:
        raise NotVisible(f"alert {alert_id}")
    return row


def visible_alerts(session: Session, user: User, alert_ids: list[int]) -> list[AlertRow]:
    """The alerts among `alert_ids` that `user` may see, in id order; refuses if any is not."""
    unique = sorted(set(alert_ids))
    query = scoped(select(AlertRow).join(MarkRow, AlertRow.mark_id == MarkRow.id)
                   .where(AlertRow.id.in_(unique)), user).order_by(AlertRow.id)
    rows = list(session.scalars(query))
    if len(rows) != len(unique):
        missing = sorted(set(unique) - {row.id for row in rows})
        raise NotVisible(f"alert(s) {', '.join(map(str, missing))}")
    return rows


def visible_case(session: Session, user: User, case_id: int) -> CaseRow:
    """The case with this id if `user` may see it; else `NotVisible`."""
    row = session.get(CaseRow, case_id)
    if row is None or not (user.sees_all or row.owner == user.owner):
        raise NotVisible(f"case {case_id}")
    return row


def visible_mark(session: Session, user: User, mark_id: str) -> MarkRow:
    """The mark with this id if `user` may see it; else `NotVisible`."""
    row = session.get(MarkRow, mark_id)
    if row is None or not (user.sees_all or row.owner == user.owner):
        raise NotVisible(f"mark {mark_id}")
    return row


def may_manage(user: User) -> bool:
    """Only administrators manage watchlists, sites and accounts."""
    return user.is_admin
