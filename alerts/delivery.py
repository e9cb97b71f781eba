"""Draining the outbox: claim a recipient's due deliveries, send them as one message, settle them.

Failures retry with exponential backoff (a minute, doubling, at most an hour); after
MAX_ATTEMPTS, or at once for a permanent failure, a delivery is ``dead`` until a person runs
`ipwatch alerts retry`. Deliveries of alerts a person rejected meanwhile are ``cancelled``.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.clock import utcnow
from ..core.settings import Settings
from ..core.storage.engine import Database
from ..core.storage.models import DeliveryRow, MarkRow
from .channels import Channel, channel_for, identity
from .claims import MAX_ATTEMPTS, Claim, claim_next, held, worker_name
from .failures import ChannelGone, DeliveryFailed
from .feedback import alert_links, signing_key
from .queue import get_alerts
from .records import Alert, DeliveryResult, Notice
from .workflow import SUPPRESSED_STATES

log = logging.getLogger(__name__)

BACKOFF_BASE = timedelta(seconds=60)
BACKOFF_CAP = timedelta(hours=1)
__all__ = ["MAX_ATTEMPTS", "DeliveryReport", "backoff", "deliver_pending"]


@dataclass(slots=True)
class DeliveryReport:
    """What one `deliver_pending` pass did."""

    sent: int = 0  # deliveries marked sent
    failed: int = 0  # deliveries that failed this pass (retried later, or dead)
    dead: int = 0  # of those, deliveries that used their last attempt (or failed for good)
    cancelled: int = 0  # deliveries whose alert was rejected, or whose channel is gone
    messages: int = 0  # messages handed over (emails, chat messages)
    written: list[Path] = field(default_factory=list)  # outbox files
    recipients: list[str] = field(default_factory=list)  # who got a message, in order
    channels: Counter[str] = field(default_factory=Counter)  # messages per channel
    failures: list[DeliveryFailed] = field(default_factory=list)

    def __str__(self) -> str:
        return self.summary()

    def summary(self) -> str:
        """One line for logs and the CLI, then one line per failure."""
        by_channel = ", ".join(f"{n} {name}" for name, n in sorted(self.channels.items()))
        line = (f"deliveries: {self.sent} alert(s) sent in {self.messages} message(s)"
                f"{f' ({by_channel})' if by_channel else ''} to {len(set(self.recipients))} recipient(s); "
                f"{self.failed} failed ({self.dead} dead)")
        if self.cancelled:
            line += f"; {self.cancelled} cancelled (alert no longer wanted, or channel removed)"
        return line + "".join(f"\n  {failure}" for failure in self.failures)


def backoff(attempts: int) -> timedelta:
    """The wait before retry number `attempts` + 1: 60 s doubling, at most an hour."""
    return min(BACKOFF_BASE * 2 ** max(attempts - 1, 0), BACKOFF_CAP)


def configured_channels(session: Session, settings: Settings) -> dict[str, str]:
    """Identity → URL of every channel configured now: the office's and every mark's."""
    urls = [url.get_secret_value() for url in settings.office_channels]
    for record in session.scalars(select(MarkRow.record)):
        urls.extend((record or {}).get("channels") or ())
    return {identity(url): url for url in urls}


def deliver_pending(db: Database, settings: Settings, *, now: datetime | None = None,
                    worker: str | None = None, stop: threading.Event | None = None) -> DeliveryReport:
    """Send every due delivery, one message per recipient (and mode), until none is due or `stop` is set.

    `now` fixes the clock for the pass (tests step through backoff with it); by default each
    claim reads the time afresh.
    """
    run = _Pass(settings, signing_key(settings), worker or worker_name())
    while stop is None or not stop.is_set():
        at = now or utcnow()
        with db.session() as session:
            claimed = claim_next(session, worker=run.worker, now=at, lease=run.lease)
            if claimed is None:
                break
            claim, rows = claimed
            run.report.dead += claim.dead
            prepared = run.prepare(session, claim, rows, at)
        if prepared is not None:
            channel, notice = prepared
            result = channel.deliver(notice)
            with db.session() as session:
                run.settle(session, claim, result, at)
    report = run.report
    if report.messages or report.failed or report.cancelled or report.dead:
        log.info("%s", report.summary())
    return report


def _unwanted(alert: Alert | None, url: str | None, recipient: str) -> str | None:
    """Why a claimed delivery is no longer to be sent, or None."""
    if alert is None:
        return "the alert no longer exists"
    if alert.state in SUPPRESSED_STATES:
        return f"alert marked {alert.state}"
    if url is None:
        return str(ChannelGone(recipient, "no longer configured"))
    return None


@dataclass(slots=True)
class _Pass:
    """One delivery pass: its settings, signing key, worker name and report."""

    settings: Settings
    key: str
    worker: str
    report: DeliveryReport = field(default_factory=DeliveryReport)

    @property
    def lease(self) -> timedelta:
        return timedelta(seconds=self.settings.delivery_lease_s)

    def prepare(self, session: Session, claim: Claim, rows: list[DeliveryRow],
                at: datetime) -> tuple[Channel, Notice] | None:
        """Inside the claim: cancel what is no longer wanted; build the channel and notice for the rest."""
        settings = self.settings
        alerts = {a.id: a for a in get_alerts(session, claim.alert_ids, images_dir=settings.images_dir)}
        url = (f"mailto:{claim.recipient}" if claim.channel == "email"
               else configured_channels(session, settings).get(claim.recipient))
        live = []
        for row in rows:
            why = _unwanted(alerts.get(row.alert_id), url, claim.recipient)
            if why is None:
                live.append(row)
                continue
            row.status, row.claimed_by, row.last_error = "cancelled", None, why
            self.report.cancelled += 1
            log.info("%s to %s for alert %d cancelled: %s", claim.channel, claim.recipient, row.alert_id, why)
        if not live or url is None:
            return None
        try:
            channel = channel_for(url, settings)
        except DeliveryFailed as failure:
            self._fail(live, failure, at)
            return None
        ids = sorted({row.alert_id for row in live})
        earlier = set(session.scalars(select(DeliveryRow.alert_id).where(
            DeliveryRow.alert_id.in_(ids), DeliveryRow.channel == claim.channel,
            DeliveryRow.recipient == claim.recipient, DeliveryRow.status == "sent")))
        # Feedback links speak for the owner: the office's channels get the triage link only.
        office = {u.get_secret_value() for u in settings.office_channels}
        key = self.key if claim.channel == "email" or url not in office else None
        links = {i: alert_links(settings, key, i, claim.recipient) for i in ids}
        return channel, Notice(tuple(alerts[i] for i in ids), links, digest=claim.mode == "digest",
                               renotified=frozenset(earlier))

    def settle(self, session: Session, claim: Claim, result: DeliveryResult, at: datetime) -> None:
        """Record the outcome on the rows the worker still holds."""
        rows = held(session, claim)
        if len(rows) < len(claim.ids):
            log.warning("%s to %s: %d delivery(ies) were reclaimed after the lease ended; a duplicate is possible",
                        claim.channel, claim.recipient, len(claim.ids) - len(rows))
        if not result.ok:
            self._fail(rows, result.failure or DeliveryFailed(claim.recipient, result.detail), at)
            return
        sent_at, report = utcnow(), self.report
        for row in rows:
            row.status, row.sent_at, row.claimed_by = "sent", sent_at, None
            row.message_id, row.last_error = result.message_id, None
        report.sent += len(rows)
        report.messages += 1
        report.channels[claim.channel] += 1
        report.recipients.append(claim.recipient)
        if result.written:
            report.written.append(Path(result.written))
        log.info("%s to %s: %d alert(s)%s, %s", claim.channel, claim.recipient, len(rows),
                 " (digest)" if claim.mode == "digest" else "", result.detail)

    def _fail(self, rows: list[DeliveryRow], failure: DeliveryFailed, at: datetime) -> None:
        """Back off, or give up: dead after the last attempt, or at once for a permanent failure."""
        for row in rows:
            row.last_error, row.claimed_by = str(failure), None
            if failure.permanent or row.attempts >= MAX_ATTEMPTS:
                row.status = "dead"
                self.report.dead += 1
            else:
                row.status, row.next_attempt_at = "pending", at + backoff(row.attempts)
        self.report.failed += len(rows)
        self.report.failures.append(failure)
        if rows:
            dead = rows[0].status == "dead"
            log.log(logging.ERROR if dead else logging.WARNING, "%s failed (attempt %d%s): %s", failure.recipient,
                    rows[0].attempts, ", giving up" if dead else f", retry at {rows[0].next_attempt_at:%H:%M:%S} UTC",
                    failure)
