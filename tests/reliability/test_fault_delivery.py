"""Delivery faults: the worker SIGKILLed at random points, SMTP refusing with 5xx or not listening.

The documented guarantee (docs/alerts.md, "Delivery guarantees"): no delivery is lost; a message is sent twice
only when a worker was killed while handing it over — at most one message per kill.
"""

from __future__ import annotations

import random
import signal
import time

import pytest
from sqlalchemy import select

from ipwatch.alerts.delivery import deliver_pending
from ipwatch.core.storage.models import DeliveryRow
from tests.alerts.test_faults import _owners, _spawn, _statuses, _wait, _worker_env
from tests.databases import sqlite_only
from tests.servers.smtp import smtp_settings

KILLS = 2  # per run: the worker is killed twice, at two random moments, before one is left to finish


@pytest.mark.reliability("fault", "SIGKILL of the delivery worker at random points")
@pytest.mark.parametrize(("db_url", "seed"), [("sqlite", 1), ("sqlite", 2),
                                              pytest.param("postgresql", 3, marks=pytest.mark.postgres)],
                         indirect=["db_url"])
def test_a_worker_killed_at_random_points_loses_nothing_and_repeats_at_most_one_message_per_kill(
        database, settings, rows, smtp_server, seed: int) -> None:
    chance = random.Random(seed)
    addresses = _owners(database, settings, rows, chance.randint(8, 14))
    received = smtp_server.received
    received.delay = chance.uniform(0.05, 0.3)  # a slow server, so that kills land mid-conversation too
    smtp_server.start()
    env = _worker_env(settings, smtp_server, lease_s=1.5)
    held: set[int] = set()  # deliveries a killed worker was holding (claimed, not settled)
    for _ in range(KILLS):
        worker = _spawn(env, "--worker", "--poll", "0.1")
        try:
            goal = len(received.envelopes) + chance.randint(0, 3)  # a few messages in, then a random moment
            _wait(lambda goal=goal, worker=worker: len(received.envelopes) >= goal or worker.poll() is not None)
            time.sleep(chance.uniform(0, received.delay * 1.5))
            worker.send_signal(signal.SIGKILL)
            worker.wait(10)
        finally:
            worker.kill()
            worker.wait(10)
        with database.session() as session:
            held |= set(session.scalars(select(DeliveryRow.id).where(DeliveryRow.status == "sending")))
    last = _spawn(env, "--worker", "--poll", "0.1")
    try:
        _wait(lambda: _statuses(database) == {"sent": len(addresses)})
    finally:
        last.send_signal(signal.SIGTERM)
        output = last.communicate(timeout=30)[0]
    assert last.returncode == 0, output
    counts = received.per_recipient()
    assert set(counts) == set(addresses), "a delivery was lost"
    duplicates = sum(counts.values()) - len(addresses)
    assert duplicates <= len(held) <= KILLS, counts  # only a message in flight at a kill goes twice


@pytest.mark.reliability("fault", "SMTP refusing: 5xx for every recipient, then fixed")
def test_a_server_refusing_every_recipient_makes_them_dead_and_retry_sends_each_once(
        database, settings, rows, smtp_server, cli) -> None:
    addresses = _owners(database, settings, rows, 3)
    smtp_server.received.unknown = set(addresses)  # "550 no such mailbox" to every recipient
    smtp_server.start()
    configured = smtp_settings(settings, smtp_server)
    report = deliver_pending(database, configured)
    assert (report.sent, report.dead) == (0, 3)
    assert all("550" in str(failure) for failure in report.failures)
    assert _statuses(database) == {"dead": 3}
    listed = cli("alerts", "dead")
    assert all(address in listed.stdout for address in addresses)
    smtp_server.received.unknown = set()
    assert cli("alerts", "retry", "--all").stdout.startswith("3 deliveries queued again")
    assert deliver_pending(database, configured).sent == 3
    assert smtp_server.received.per_recipient() == {address: 1 for address in addresses}


@pytest.mark.reliability("fault", "SMTP refusing: connection refused, the worker keeps going")
@sqlite_only  # the worker's loop is the same on both; claims on PostgreSQL are killed above
def test_a_worker_facing_a_closed_port_keeps_every_delivery_pending_then_sends_them(
        database, settings, rows, smtp_server) -> None:
    addresses = _owners(database, settings, rows, 4)
    env = _worker_env(settings, smtp_server, lease_s=2)  # nothing listens on the port yet
    worker = _spawn(env, "--worker", "--poll", "0.1")
    try:
        def tried_and_waiting() -> bool:
            with database.session() as session:
                rows_now = session.scalars(select(DeliveryRow)).all()
            return bool(rows_now) and all(row.attempts >= 1 and row.status == "pending" for row in rows_now)
        _wait(tried_and_waiting)
        assert worker.poll() is None, "the worker must survive a refused connection"
        with database.session() as session:
            errors = {row.last_error for row in session.scalars(select(DeliveryRow))}
            for row in session.scalars(select(DeliveryRow)):  # bring the retries forward: no waiting for backoff
                row.next_attempt_at = row.created_at
        assert all(error and "refused" in error.lower() for error in errors), errors
        smtp_server.start()
        _wait(lambda: _statuses(database) == {"sent": len(addresses)})
    finally:
        worker.send_signal(signal.SIGTERM)
        output = worker.communicate(timeout=30)[0]
    assert worker.returncode == 0, output
    assert smtp_server.received.per_recipient() == {address: 1 for address in addresses}
