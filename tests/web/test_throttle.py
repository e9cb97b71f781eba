"""The login throttle: a few attempts per account and address, per account and per address, then a pause
that ends; counted in the database (SQLite and PostgreSQL), which every web worker process shares."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from ipwatch.core.storage.engine import Database
from ipwatch.core.storage.models import LoginAttemptRow
from ipwatch.web.throttle import LoginThrottle


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_an_account_is_paused_at_one_address_only_and_freed_when_the_window_passes(database):
    clock = Clock()
    throttle = LoginThrottle(database, per_pair=3, window_s=600, clock=clock)
    assert [throttle.claim("Officer ", "10.0.0.1", account=True) for _ in range(4)] == [0, 0, 0, 600]
    assert throttle.claim("officer", "10.0.0.9", account=True) == 0  # its owner, elsewhere, goes on
    clock.now += 599
    assert throttle.claim("officer", "10.0.0.1", account=True) == 1
    clock.now += 2
    assert throttle.claim("officer", "10.0.0.1", account=True) == 0


def test_one_account_guessed_from_many_addresses_is_paused_everywhere(database):
    throttle = LoginThrottle(database, per_pair=2, per_account=4, clock=Clock())
    assert [throttle.claim("officer", f"10.0.0.{i}", account=True) for i in range(4)] == [0] * 4
    assert throttle.claim("officer", "10.0.0.99", account=True) > 0


def test_one_address_trying_many_accounts_is_paused_but_made_up_names_spend_nothing(database):
    throttle = LoginThrottle(database, per_address=5, clock=Clock())
    assert [throttle.claim(f"nobody{i}", "10.0.0.7", account=False) for i in range(20)] == [0] * 20
    assert [throttle.claim(f"user{i}", "10.0.0.7", account=True) for i in range(6)] == [0] * 5 + [900]
    assert throttle.claim("someone-else", "10.0.0.8", account=True) == 0


def test_a_refused_attempt_counts_nothing_and_a_sign_in_clears_the_accounts_counts(database):
    throttle = LoginThrottle(database, per_pair=2, per_address=3, clock=Clock())
    assert [throttle.claim("sheep", "10.0.0.1", account=True) for _ in range(5)] == [0, 0, 900, 900, 900]
    with database.session() as session:
        counts = dict(session.execute(select(LoginAttemptRow.key, LoginAttemptRow.n)).all())
    assert counts == {"pair:sheep|10.0.0.1": 2, "user:sheep": 2, "addr:10.0.0.1": 2}
    throttle.succeeded("sheep", "10.0.0.1")
    with database.session() as session:
        counts = dict(session.execute(select(LoginAttemptRow.key, LoginAttemptRow.n)).all())
    assert counts == {"addr:10.0.0.1": 1}  # the sign-in's own attempt given back
    assert throttle.claim("sheep", "10.0.0.1", account=True) == 0


def test_a_spray_of_made_up_names_leaves_no_rows_once_its_window_ends(database):
    clock = Clock()
    throttle = LoginThrottle(database, window_s=60, clock=clock)
    for i in range(200):
        throttle.claim(f"name{i}", "10.0.0.1", account=False)
    clock.now += 61
    throttle.claim("officer", "10.0.0.2", account=True)
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(LoginAttemptRow)) == 3  # the last attempt's keys


def test_worker_processes_share_the_counts(settings, database):
    """Two throttles on two engines, as `ipwatch serve --workers 2` runs them: attempts on either count."""
    clock = Clock()
    first = LoginThrottle(database, per_pair=3, window_s=600, clock=clock)
    other = Database(settings)
    second = LoginThrottle(other, per_pair=3, window_s=600, clock=clock)
    try:
        assert first.claim("Officer", "10.0.0.1", account=True) == 0
        assert second.claim("officer ", "10.0.0.1", account=True) == 0
        assert first.claim("officer", "10.0.0.1", account=True) == 0
        assert second.claim("officer", "10.0.0.1", account=True) == 600
    finally:
        other.dispose()


def test_a_guesser_spread_over_two_workers_is_paused_after_five_tries(settings, database):
    from fastapi.testclient import TestClient

    from ipwatch.web.app import create_app
    from ipwatch.web.users import add_user

    with database.session() as session:
        add_user(session, "officer", "correct-horse-battery", "officer")
    workers = [TestClient(create_app(settings), base_url="http://127.0.0.1") for _ in range(2)]
    statuses = []
    for attempt in range(6):
        worker = workers[attempt % 2]
        token = re.search(r'name="csrf_token" value="([^"]+)"', worker.get("/login").text).group(1)
        statuses.append(worker.post("/login", data={"username": "officer", "password": f"wrong-{attempt}",
                                                    "csrf_token": token}).status_code)
    assert statuses == [401] * 5 + [429]
