"""The alert and case workflow under the E-commerce Law, arts. 42-43: states, who may move them, what a move records.

    new → reviewing → confirmed | false_positive → notice_sent → measures_taken
        → counter_notice (15-day clock) → complaint_filed | restored → resolved, or relisted

Art. 42: a rights holder's notice with preliminary evidence makes the platform take necessary
measures (remove, block, disconnect). Art. 43: the seller may answer with a counter-notice
(声明); once it reaches the rights holder, the platform ends the measures unless within 15 days
it is told that a complaint (to the authorities) or a lawsuit has been filed. The clock is
enforced here: after the 15 days a case can no longer move to `complaint_filed`, only to `restored`.

Who moves: people on the triage pages and API follow MOVES (and the 15-day clock); a rights
holder's one-click answer in an alert e-mail (alerts/feedback.py) may only confirm or reject, and
only while the alert is still being decided (FEEDBACK_STATES). A case moves with every alert in it
(an alert in no case moves alone), and each move is written to every moved alert's audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal, get_args

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.clock import utcnow
from ..core.storage.models import AlertEventRow, AlertRow, CaseAlertRow, CaseCommentRow, CaseRow

COUNTER_NOTICE_DAYS = 15
MAX_COMMENT = 5000  # characters of a note or comment kept
StateName = Literal["new", "reviewing", "confirmed", "false_positive", "notice_sent", "measures_taken",
                    "counter_notice", "complaint_filed", "restored", "resolved", "relisted"]

STATES: dict[str, str] = {
    "new": "New",
    "reviewing": "Reviewing",
    "confirmed": "Confirmed infringement",
    "false_positive": "False positive",
    "notice_sent": "Notice sent",
    "measures_taken": "Measures taken",
    "counter_notice": "Counter-notice received",
    "complaint_filed": "Complaint or lawsuit filed",
    "restored": "Restored",
    "resolved": "Resolved",
    "relisted": "Relisted",
}

MOVES: dict[str, tuple[str, ...]] = {
    "new": ("reviewing", "confirmed", "false_positive"),
    "reviewing": ("confirmed", "false_positive"),
    "confirmed": ("notice_sent", "reviewing", "false_positive"),
    "false_positive": ("reviewing",),
    "notice_sent": ("measures_taken", "confirmed", "resolved"),
    "measures_taken": ("counter_notice", "resolved", "relisted"),
    "counter_notice": ("complaint_filed", "restored"),
    "complaint_filed": ("resolved",),
    "restored": ("resolved", "relisted"),
    "resolved": ("relisted", "reviewing"),
    "relisted": ("notice_sent", "confirmed", "reviewing"),
}

assert tuple(STATES) == get_args(StateName) and set(MOVES) == set(STATES)

# How long a case may sit in a state before it is overdue; states without an entry have no timer.
SLA: dict[str, timedelta] = {
    "new": timedelta(days=2),
    "reviewing": timedelta(days=2),
    "confirmed": timedelta(days=3),
    "notice_sent": timedelta(days=7),
    "relisted": timedelta(days=2),
}

# States in which a case needs no more work; the dashboard measures detection → one of these.
CLOSED = frozenset({"false_positive", "resolved"})
# A person decided these are not infringements: they are never notified again.
SUPPRESSED_STATES = frozenset({"false_positive", "rejected"})
# A person confirmed the infringement; every later step of the takedown workflow implies it.
CONFIRMED_STATES = frozenset({"confirmed", "notice_sent", "measures_taken", "counter_notice", "complaint_filed",
                              "restored", "resolved", "relisted"})
# The platform took the listing down (E-commerce Law art. 42 measures) at some point.
TAKEN_DOWN_STATES = frozenset({"measures_taken", "counter_notice", "complaint_filed", "resolved", "relisted"})
# States an owner's one-click answer may still change; later ones belong to the triage page.
FEEDBACK_STATES = frozenset({"new", "reviewing", "confirmed", "false_positive"})
# What each one-click answer in an e-mail moves an alert to.
ANSWERS: dict[str, str] = {"confirm": "confirmed", "reject": "false_positive"}

# Who makes a move: a person on the triage pages or API, or an e-mail recipient's one-click answer;
# the audit trail names the move by it.
Via = Literal["triage", "email"]
ACTIONS: dict[str, str] = {"triage": "state", "email": "feedback"}


class TransitionRefused(ValueError):
    """A move the workflow does not allow now; the message says what is allowed instead."""


@dataclass(frozen=True, slots=True)
class Clock:
    """A running deadline: when it falls due and whether that has passed."""

    label: str
    due: datetime
    legal: bool  # the statutory 15-day period, not an internal service level

    def remaining(self, now: datetime) -> timedelta:
        return self.due - now

    def overdue(self, now: datetime) -> bool:
        return now > self.due


def label(state: str) -> str:
    """A state's name as people read it; unknown states show as stored."""
    return STATES.get(state, state)


def counter_notice_deadline(counter_notice_at: datetime) -> datetime:
    """The end of the 15 days the rights holder has to file a complaint or lawsuit (art. 43)."""
    return counter_notice_at + timedelta(days=COUNTER_NOTICE_DAYS)


def clock(state: str, state_since: datetime, counter_notice_at: datetime | None) -> Clock | None:
    """The deadline running in `state`, if any: the legal 15 days, or the service level."""
    if state == "counter_notice" and counter_notice_at is not None:
        return Clock("complaint or lawsuit", counter_notice_deadline(counter_notice_at), legal=True)
    if state in SLA:
        return Clock("SLA", state_since + SLA[state], legal=False)
    return None


def allowed_moves(state: str, counter_notice_at: datetime | None, now: datetime,
                  *, via: Via = "triage") -> tuple[str, ...]:
    """The states `via` may move a case in `state` to now (the 15-day clock removes `complaint_filed`)."""
    if via == "email":
        return tuple(to for to in ANSWERS.values() if to != state) if state in FEEDBACK_STATES else ()
    moves = MOVES.get(state, ("reviewing",))
    if state == "counter_notice" and counter_notice_at is not None \
            and now > counter_notice_deadline(counter_notice_at):
        moves = tuple(move for move in moves if move != "complaint_filed")
    return moves


def check_move(state: str, to_state: str, *, counter_notice_at: datetime | None, now: datetime,
               new_counter_notice_at: datetime | None = None, via: Via = "triage") -> None:
    """Raise `TransitionRefused` unless `via` may move a case in `state` to `to_state` now."""
    if to_state not in STATES:
        raise TransitionRefused(f"'{to_state}' is not a workflow state: use one of {', '.join(STATES)}")
    allowed = allowed_moves(state, counter_notice_at, now, via=via)
    if via == "email" and to_state not in allowed:
        raise TransitionRefused(f"the alert is already at '{state}': an answer by e-mail can no longer change"
                                " it, use the triage page")
    if to_state == "complaint_filed" and state == "counter_notice" and to_state not in allowed:
        ended = counter_notice_deadline(counter_notice_at)  # type: ignore[arg-type]
        raise TransitionRefused(
            f"the {COUNTER_NOTICE_DAYS}-day period after the counter-notice ended on {ended:%Y-%m-%d %H:%M} UTC"
            " (E-commerce Law art. 43): the platform must end its measures — record 'restored'")
    if to_state not in allowed:
        names = ", ".join(allowed)
        raise TransitionRefused(f"a case in '{state}' can move to {names}, not to '{to_state}'")
    if to_state == "counter_notice" and new_counter_notice_at is not None and new_counter_notice_at > now:
        raise TransitionRefused("the counter-notice cannot have reached the rights holder in the future:"
                                " give the date it arrived")


def record(session: Session, alert: AlertRow, actor: str, action: str, *, at: datetime,
           from_state: str | None = None, to_state: str | None = None, **detail: Any) -> None:
    """Write one entry of `alert`'s audit trail: who did what, when, from which state to which."""
    session.add(AlertEventRow(alert_id=alert.id, actor=actor[:120], action=action, at=at,
                              from_state=from_state, to_state=to_state, detail=detail))


def case_of(session: Session, alert_id: int) -> CaseRow | None:
    """The case holding this alert, if any."""
    case_id = session.scalar(select(CaseAlertRow.case_id).where(CaseAlertRow.alert_id == alert_id))
    return session.get(CaseRow, case_id) if case_id is not None else None


def members(session: Session, case: CaseRow) -> list[AlertRow]:
    """The alerts in `case`, by id."""
    return list(session.scalars(select(AlertRow).join(CaseAlertRow, CaseAlertRow.alert_id == AlertRow.id)
                                .where(CaseAlertRow.case_id == case.id).order_by(AlertRow.id)))


def move(session: Session, subject: CaseRow | AlertRow, to_state: str, actor: str, *, via: Via = "triage",
         note: str | None = None, counter_notice_at: datetime | None = None, **detail: Any) -> list[AlertRow]:
    """Move a case and every alert in it (or an alert in no case) to `to_state`, or raise `TransitionRefused`
    saying why not. Each moved alert's audit trail records the move, with `detail` and the note, which
    also becomes a comment on the case. Returns the alerts moved."""
    now = utcnow()
    case, alerts = (subject, members(session, subject)) if isinstance(subject, CaseRow) else (None, [subject])
    check_move(subject.state, to_state, counter_notice_at=case.counter_notice_at if case else None, now=now,
               new_counter_notice_at=counter_notice_at, via=via)
    arrived = (counter_notice_at or now) if to_state == "counter_notice" else None
    if case is not None:
        _move_case(case, to_state, now, arrived)
        detail = {"case_id": case.id, **detail}
    if note:
        detail["note"] = note[:MAX_COMMENT]
    if arrived is not None:
        detail["counter_notice_at"] = arrived.isoformat()
    for alert in alerts:
        record(session, alert, actor, ACTIONS[via], from_state=alert.state, to_state=to_state, at=now, **detail)
        alert.state, alert.updated_at = to_state, now
    if note and case is not None:
        session.add(CaseCommentRow(case_id=case.id, author=actor, body=note[:MAX_COMMENT], at=now))
    return alerts


def _move_case(case: CaseRow, to_state: str, now: datetime, counter_notice_at: datetime | None) -> None:
    from_state = case.state
    case.state, case.state_since, case.updated_at = to_state, now, now
    if counter_notice_at is not None:
        case.counter_notice_at = counter_notice_at
    if to_state in CLOSED:
        case.resolved_at = now
    elif from_state in CLOSED:
        case.resolved_at = None
