"""Faults: nothing is lost when SMTP is down, refuses, or the worker dies mid-delivery; a duplicate
is possible only for the one message in flight when a worker was killed; two workers never share one."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ipwatch.alerts.claims import LEASE_EXPIRED, claim_next
from ipwatch.alerts.delivery import MAX_ATTEMPTS, backoff, deliver_pending
from ipwatch.alerts.queue import enqueue
from ipwatch.core.clock import utcnow
from ipwatch.core.storage.models import DeliveryRow
from tests.databases import sqlite_only
from tests.servers.smtp import smtp_settings

ROOT = Path(__file__).resolve().parents[2]


def _owners(database, settings, rows, n: int) -> list[str]:
    """`n` alerts, each for a mark of its own owner: `n` messages to send."""
    addresses = [f"ip{i:03d}@owner{i:03d}.example.org" for i in range(n)]
    with database.session() as session:
        r = rows(session, settings.images_dir)
        site = r.site("demo")
        for i, address in enumerate(addresses):
            mark = r.mark(f"mark-{i:03d}", f"商标{i:03d}", email=address, owner=f"权利人{i:03d}")
            listing = r.listing(site, str(i), f"商标{i:03d} 仿品")
            enqueue(session, listing, r.match(listing, mark), mark)
    return addresses


def _statuses(database) -> dict[str, int]:
    with database.session() as session:
        return dict(session.execute(select(DeliveryRow.status, func.count()).group_by(DeliveryRow.status)).all())


def test_smtp_down_for_the_first_attempts_then_every_alert_goes_exactly_once(database, settings, rows, smtp_server):
    addresses = _owners(database, settings, rows, 3)
    configured = smtp_settings(settings, smtp_server)
    now, passes = utcnow(), []
    passes.append(deliver_pending(database, configured, now=now))  # nothing listens yet: refused
    smtp_server.received.refuse = 4  # then it answers, but "451 try again later" to four DATA commands
    smtp_server.start()
    while _statuses(database) != {"sent": 3} and len(passes) < 10:
        with database.session() as session:
            waits = {d.next_attempt_at - now for d in session.scalars(select(DeliveryRow))
                     if d.status == "pending"}
        now += max(waits)  # step the clock to when the last retry falls due
        passes.append(deliver_pending(database, configured, now=now))
    assert _statuses(database) == {"sent": 3}
    assert smtp_server.received.per_recipient() == {address: 1 for address in addresses}
    assert [p.failed for p in passes] == [3, 3, 1, 0]
    with database.session() as session:
        attempts = sorted(d.attempts for d in session.scalars(select(DeliveryRow)))
    assert attempts == [3, 3, 4]


def test_the_backoff_between_attempts_doubles(database, settings, rows, smtp_server):
    _owners(database, settings, rows, 1)
    configured, now = smtp_settings(settings, smtp_server), utcnow()
    for attempt in (1, 2, 3):
        deliver_pending(database, configured, now=now)
        with database.session() as session:
            delivery = session.scalars(select(DeliveryRow)).one()
        assert (delivery.attempts, delivery.next_attempt_at - now) == (attempt, backoff(attempt))
        now = delivery.next_attempt_at


def test_an_address_the_server_refuses_for_good_is_dead_at_once_until_retried(
        database, settings, rows, smtp_server, cli, monkeypatch):
    refused, fine = _owners(database, settings, rows, 2)
    smtp_server.received.unknown = {refused}
    smtp_server.start()
    configured = smtp_settings(settings, smtp_server)
    report = deliver_pending(database, configured)
    assert (report.sent, report.dead) == (1, 1)
    assert "550" in str(report.failures[0]) and "owner_email" in str(report.failures[0])
    dead = cli("alerts", "dead", "--json")
    [row] = json.loads(dead.stdout)
    assert (row["recipient"], row["attempts"]) == (refused, 1)
    assert refused in cli("alerts", "dead").stdout
    smtp_server.received.unknown = set()  # the owner fixed the mailbox
    assert cli("alerts", "retry", "--all").stdout.startswith("1 delivery queued again")
    assert cli("alerts", "retry", "999").exit_code == 1
    again = deliver_pending(database, configured)
    assert again.sent == 1 and smtp_server.received.per_recipient() == {refused: 1, fine: 1}


def test_a_delivery_out_of_attempts_is_dead(database, settings, rows, smtp_server):
    _owners(database, settings, rows, 1)
    configured, now = smtp_settings(settings, smtp_server), utcnow()
    for _ in range(MAX_ATTEMPTS):
        deliver_pending(database, configured, now=now)
        now += backoff(MAX_ATTEMPTS)
    assert _statuses(database) == {"dead": 1}


def test_a_claim_whose_worker_vanished_is_sent_after_its_lease(database, settings, rows, smtp_server):
    [address] = _owners(database, settings, rows, 1)
    smtp_server.start()
    configured, lease = smtp_settings(settings, smtp_server), timedelta(seconds=settings.delivery_lease_s)
    now = utcnow()
    with database.session() as session:  # a worker claims, then dies before sending
        claim, rows_held = claim_next(session, worker="host:1:gone", now=now, lease=lease)
        assert [row.status for row in rows_held] == ["sending"] and claim.recipient == address
    assert deliver_pending(database, configured, now=now).sent == 0  # leased: nobody else touches it
    with database.session() as session:  # a second worker takes it over when the lease ends, and dies too
        _, rows_held = claim_next(session, worker="host:2:gone", now=now + lease, lease=lease)
        assert rows_held[0].last_error == f"{LEASE_EXPIRED}: host:1:gone"
    report = deliver_pending(database, configured, now=now + 2 * lease)
    assert report.sent == 1 and smtp_server.received.per_recipient() == {address: 1}
    with database.session() as session:
        delivery = session.scalars(select(DeliveryRow)).one()
    assert (delivery.status, delivery.attempts, delivery.claimed_by) == ("sent", 3, None)


def _worker_env(settings, smtp_server, lease_s: float) -> dict[str, str]:
    env = {**os.environ, "IPWATCH_DATA_DIR": str(settings.data_dir), "IPWATCH_SMTP_HOST": "127.0.0.1",
           "IPWATCH_SMTP_PORT": str(smtp_server.port), "IPWATCH_DELIVERY_LEASE_S": str(lease_s),
           "PYTHONPATH": str(ROOT)}
    if settings.database_url:
        env["IPWATCH_DATABASE_URL"] = settings.database_url
    return env


def _spawn(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "ipwatch.cli", "deliver", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _wait(condition, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@sqlite_only  # the kill lands outside any transaction, the same on both; claims are tested on both above
def test_a_worker_killed_mid_delivery_loses_nothing_and_repeats_at_most_the_message_in_flight(
        database, settings, rows, smtp_server):
    addresses = _owners(database, settings, rows, 6)
    received = smtp_server.received
    received.delay = 0.4  # a slow server: the kill lands while a message is being handed over
    smtp_server.start()
    env = _worker_env(settings, smtp_server, lease_s=2)
    worker = _spawn(env, "--worker", "--poll", "0.2")
    try:
        _wait(lambda: len(received.envelopes) >= 2 and received.started > len(received.envelopes))
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    finally:
        worker.kill()
    in_flight = _statuses(database).get("sending", 0)
    assert in_flight >= 1  # killed holding a claim
    restarted = _spawn(env, "--worker", "--poll", "0.2")
    try:
        _wait(lambda: _statuses(database) == {"sent": 6})
    finally:
        restarted.send_signal(signal.SIGTERM)
        output = restarted.communicate(timeout=30)[0]
    assert restarted.returncode == 0, output
    counts = received.per_recipient()
    assert set(counts) == set(addresses)  # nothing lost
    assert sum(counts.values()) - len(addresses) <= in_flight <= 1  # at most the one message in flight again


def test_two_passes_at_once_in_one_process_never_send_the_same_delivery(database, settings, rows, smtp_server):
    addresses = _owners(database, settings, rows, 8)
    smtp_server.received.gate = 2  # every DATA waits until both passes are inside one
    smtp_server.start()
    configured, reports = smtp_settings(settings, smtp_server), []
    passes = [threading.Thread(target=lambda: reports.append(deliver_pending(database, configured)))
              for _ in range(2)]
    for thread in passes:
        thread.start()
    for thread in passes:
        thread.join(60)
    assert smtp_server.received.per_recipient() == {address: 1 for address in addresses}
    assert sorted(report.sent for report in reports)[0] >= 1 and sum(report.sent for report in reports) == 8


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_two_worker_processes_on_postgresql_never_send_the_same_delivery(database, settings, rows, smtp_server):
    addresses = _owners(database, settings, rows, 12)
    smtp_server.received.gate = 2
    smtp_server.start()
    env = _worker_env(settings, smtp_server, lease_s=300)
    workers = [_spawn(env) for _ in range(2)]
    outputs = [worker.communicate(timeout=120)[0] for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0], outputs
    assert smtp_server.received.per_recipient() == {address: 1 for address in addresses}
    assert _statuses(database) == {"sent": 12}
    sent = [int(re.search(r"deliveries: (\d+) alert", out).group(1)) for out in outputs]
    assert sum(sent) == 12 and min(sent) >= 1, outputs  # both took part
