"""Claiming deliveries: a worker takes one recipient's due deliveries for the length of a lease.

A claim is a short transaction. On PostgreSQL it selects the rows ``FOR UPDATE SKIP LOCKED``,
so concurrent workers pass over each other's rows instead of waiting or sharing them; on
SQLite, which has one writer at a time, the transaction takes the write lock before it reads
(``BEGIN IMMEDIATE``), so the next worker reads only after the claim is committed. Claimed
rows become ``sending``, with the worker's name in ``claimed_by`` and the lease's end in
``next_attempt_at``. The worker sends outside any transaction, then settles the rows it still
holds. A worker that dies leaves its rows ``sending``; when the lease ends they are due again,
so a message in flight when the worker died is sent at most once more.
"""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, select, text
from sqlalchemy.orm import Session

from ..core.storage.models import DeliveryRow

MAX_ATTEMPTS = 8  # then the delivery is "dead" and waits for a person
MESSAGE_ALERTS = 50  # alerts in one message at most; more go in the next one
LEASE_EXPIRED = "the worker sending it stopped before it finished (lease expired)"


@dataclass(frozen=True, slots=True)
class Claim:
    """One recipient's deliveries, held by one worker until `until`."""

    worker: str
    channel: str
    recipient: str
    mode: str
    ids: tuple[int, ...]
    alert_ids: tuple[int, ...]
    until: datetime
    dead: int = 0  # rows found with no attempts left (their workers kept dying): marked dead, not sent


def worker_name() -> str:
    """`host:pid:random`, unique per worker run, as `claimed_by` shows it."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def due(now: datetime) -> ColumnElement[bool]:
    """Deliveries to send now: pending and due, or sending with an ended lease."""
    return and_(DeliveryRow.status.in_(("pending", "sending")), DeliveryRow.next_attempt_at <= now)


def _lock(session: Session) -> None:
    """On SQLite, take the write lock first: the rows read next cannot be claimed by anyone else."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("BEGIN IMMEDIATE"))


def claim_next(session: Session, *, worker: str, now: datetime, lease: timedelta,
               batch: int = MESSAGE_ALERTS) -> tuple[Claim, list[DeliveryRow]] | None:
    """Claim the due deliveries of the recipient waiting longest (one message's worth), and return the
    claim with its rows; None if nothing is due."""
    _lock(session)
    head = session.execute(
        select(DeliveryRow.channel, DeliveryRow.recipient, DeliveryRow.mode).where(due(now))
        .order_by(DeliveryRow.next_attempt_at, DeliveryRow.id).limit(1).with_for_update(skip_locked=True)
    ).first()
    if head is None:
        return None
    rows = session.scalars(
        select(DeliveryRow).where(due(now), DeliveryRow.channel == head.channel,
                                  DeliveryRow.recipient == head.recipient, DeliveryRow.mode == head.mode)
        .order_by(DeliveryRow.id).limit(batch).with_for_update(skip_locked=True)
    ).all()
    until, held, dead = now + lease, [], 0
    for row in rows:
        if row.status == "sending":
            row.last_error = f"{LEASE_EXPIRED}: {row.claimed_by}"
        if row.attempts >= MAX_ATTEMPTS:
            row.status, row.claimed_by, dead = "dead", None, dead + 1
            continue
        row.status, row.attempts, row.claimed_by, row.next_attempt_at = "sending", row.attempts + 1, worker, until
        held.append(row)
    claim = Claim(worker, head.channel, head.recipient, head.mode, tuple(row.id for row in held),
                  tuple(sorted({row.alert_id for row in held})), until, dead)
    return claim, held


def held(session: Session, claim: Claim) -> list[DeliveryRow]:
    """The claim's rows this worker still holds (a lease that ended may have passed them on), locked."""
    if not claim.ids:
        return []
    _lock(session)
    return list(session.scalars(
        select(DeliveryRow).where(DeliveryRow.id.in_(claim.ids), DeliveryRow.claimed_by == claim.worker,
                                  DeliveryRow.status == "sending").order_by(DeliveryRow.id).with_for_update()))
