"""The login throttle: a few wrong passwords per account and per address, then a pause that ends."""

from __future__ import annotations

import re

from ipwatch.web.throttle import MAX_KEYS, LoginThrottle


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_an_account_is_paused_after_its_failures_and_freed_when_the_window_passes():
    clock = Clock()
    throttle = LoginThrottle(per_account=3, per_address=100, window_s=600, clock=clock)
    for _ in range(3):
        assert throttle.retry_after("Officer", "10.0.0.1") == 0
        throttle.failed("officer ", "10.0.0.1")
    assert throttle.retry_after("officer", "10.0.0.9") == 600  # any address: the account is paused
    clock.now += 599
    assert throttle.retry_after("officer", "10.0.0.1") == 1
    clock.now += 2
    assert throttle.retry_after("officer", "10.0.0.1") == 0


def test_one_address_guessing_many_accounts_is_paused():
    throttle = LoginThrottle(per_account=100, per_address=5, clock=Clock())
    for i in range(5):
        throttle.failed(f"user{i}", "10.0.0.7")
    assert throttle.retry_after("someone-else", "10.0.0.7") > 0
    assert throttle.retry_after("someone-else", "10.0.0.8") == 0


def test_a_successful_sign_in_clears_the_accounts_failures():
    throttle = LoginThrottle(per_account=2, clock=Clock())
    throttle.failed("sheep", "10.0.0.1")
    throttle.succeeded("sheep")
    throttle.failed("sheep", "10.0.0.1")
    assert throttle.retry_after("sheep", "10.0.0.2") == 0


def test_a_spray_of_made_up_names_does_not_grow_memory_forever():
    clock = Clock()
    throttle = LoginThrottle(per_account=5, per_address=10**9, window_s=60, clock=clock)
    largest = 0
    for i in range(30_000):
        throttle.failed(f"name{i}", "10.0.0.1")
        largest = max(largest, len(throttle._failures))
        clock.now += 0.01
    assert largest <= MAX_KEYS + 2


def test_worker_processes_share_the_counts(settings, database):
    """Two apps on one database, as `ipwatch serve --workers 2` runs them: failures on either count."""
    from ipwatch.core.storage.engine import Database
    from ipwatch.web.throttle import SharedLoginThrottle

    clock = Clock()
    first = SharedLoginThrottle(database, per_account=3, per_address=100, window_s=600, clock=clock)
    other = Database(settings)
    second = SharedLoginThrottle(other, per_account=3, per_address=100, window_s=600, clock=clock)
    try:
        first.failed("Officer", "10.0.0.1")
        second.failed("officer ", "10.0.0.2")
        assert first.retry_after("officer", "10.0.0.3") == 0
        first.failed("officer", "10.0.0.1")
        assert second.retry_after("officer", "10.0.0.9") == 600
        clock.now += 599
        assert first.retry_after("officer", "10.0.0.1") == 1
        clock.now += 2
        assert second.retry_after("officer", "10.0.0.1") == 0
        second.failed("sheep", "10.0.0.1")
        second.failed("sheep", "10.0.0.1")
        first.succeeded("sheep")
        second.failed("sheep", "10.0.0.1")
        assert first.retry_after("sheep", "10.0.0.2") == 0
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
