"""The case workflow under the PRC E-commerce Law, arts. 42-43: states, allowed moves, clocks.

    new → reviewing → confirmed | false_positive → notice_sent → measures_taken
        → counter_notice (15-day clock) → complaint_filed | restored → resolved, or relisted

Art. 42: a rights holder's notice with preliminary evidence makes the platform take necessary
measures (remove, block, disconnect). Art. 43: the seller may answer with a counter-notice
(声明); once it reaches the rights holder, the platform ends the measures unless within 15 days
it is told that a complaint (to the authorities) or a lawsuit has been filed. The clock is
enforced here: after the 15 days a case can no longer move to `complaint_filed`, only to `restored`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal, get_args

from .clock import LOCAL_TZ

COUNTER_NOTICE_DAYS = 15
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
# One-key moves in the triage queue.
SHORTCUTS = {"r": "reviewing", "c": "confirmed", "f": "false_positive"}


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


def parse_day(text: str) -> datetime | None:
    """A `YYYY-MM-DD` day from a form as noon, office time (e.g. when a counter-notice arrived); None if blank."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return datetime.combine(date.fromisoformat(text), time(12), tzinfo=LOCAL_TZ)
    except ValueError:
        raise TransitionRefused(f"'{text[:20]}' is not a date: give it as YYYY-MM-DD") from None


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


def allowed_moves(state: str, counter_notice_at: datetime | None, now: datetime) -> tuple[str, ...]:
    """The states a case in `state` may move to now (the 15-day clock removes `complaint_filed`)."""
    moves = MOVES.get(state, ("reviewing",))
    if state == "counter_notice" and counter_notice_at is not None \
            and now > counter_notice_deadline(counter_notice_at):
        moves = tuple(move for move in moves if move != "complaint_filed")
    return moves


def check_move(state: str, to_state: str, *, counter_notice_at: datetime | None, now: datetime,
               new_counter_notice_at: datetime | None = None) -> None:
    """Raise `TransitionRefused` unless a case in `state` may move to `to_state` now."""
    if to_state not in STATES:
        raise TransitionRefused(f"'{to_state}' is not a workflow state: use one of {', '.join(STATES)}")
    allowed = allowed_moves(state, counter_notice_at, now)
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
