"""The case workflow of E-commerce Law arts. 42-43: which moves are open, and the 15-day clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ipwatch.alerts.workflow import MOVES, SLA, STATES, TransitionRefused, allowed_moves, check_move, clock

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(("state", "to_state", "allowed"), [
    ("new", "reviewing", True),
    ("new", "confirmed", True),
    ("new", "false_positive", True),
    ("new", "notice_sent", False),  # a notice needs a confirmed infringement
    ("reviewing", "resolved", False),
    ("confirmed", "notice_sent", True),
    ("notice_sent", "measures_taken", True),
    ("measures_taken", "counter_notice", True),
    ("counter_notice", "complaint_filed", True),
    ("counter_notice", "restored", True),
    ("counter_notice", "resolved", False),  # art. 43: complaint/lawsuit or restored first
    ("complaint_filed", "resolved", True),
    ("restored", "relisted", True),
    ("resolved", "relisted", True),
    ("relisted", "notice_sent", True),
    ("false_positive", "reviewing", True),
    ("false_positive", "confirmed", False),
])
def test_moves_follow_the_workflow(state, to_state, allowed):
    if allowed:
        check_move(state, to_state, counter_notice_at=NOW - timedelta(days=1), now=NOW)
    else:
        with pytest.raises(TransitionRefused, match=f"not to '{to_state}'"):
            check_move(state, to_state, counter_notice_at=NOW - timedelta(days=1), now=NOW)


@pytest.mark.parametrize(("days_since_counter_notice", "complaint_open"), [
    (0, True), (14.9, True), (15.01, False), (40, False),
])
def test_after_fifteen_days_only_restoring_the_listing_is_allowed(days_since_counter_notice, complaint_open):
    arrived = NOW - timedelta(days=days_since_counter_notice)
    moves = allowed_moves("counter_notice", arrived, NOW)
    assert ("complaint_filed" in moves) is complaint_open
    assert "restored" in moves
    deadline = clock("counter_notice", arrived, arrived)
    assert deadline.legal and deadline.due == arrived + timedelta(days=15)
    assert deadline.overdue(NOW) is not complaint_open
    if not complaint_open:
        with pytest.raises(TransitionRefused, match="art. 43.*restored"):
            check_move("counter_notice", "complaint_filed", counter_notice_at=arrived, now=NOW)


def test_service_level_clocks_run_in_the_states_that_wait_on_the_office():
    for state in STATES:
        running = clock(state, NOW, None)
        assert (running is not None) == (state in SLA)
        if running:
            assert running.due == NOW + SLA[state] and not running.legal


def test_every_state_can_be_left_and_every_move_leads_to_a_state():
    assert set(MOVES) == set(STATES)
    assert all(MOVES[state] and set(MOVES[state]) <= set(STATES) for state in STATES)
    with pytest.raises(TransitionRefused, match="not a workflow state"):
        check_move("new", "deleted", counter_notice_at=None, now=NOW)
