"""Email delivery of pending alerts: one message per owner per pass, by SMTP or into the outbox."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import Session

from alerts.failures import DeliveryFailed
from alerts.message import build_message
from alerts.outbox import write_eml
from alerts.queue import SUPPRESSED_STATES, get_alerts
from alerts.smtp import send_smtp
from ipwatch.settings import Settings
from ipwatch.storage.engine import Database
from ipwatch.storage.models import DeliveryRow
from spiders.records import utcnow

log = logging.getLogger(__name__)

BACKOFF_BASE = timedelta(seconds=60)
BACKOFF_CAP = timedelta(hours=1)
MAX_ATTEMPTS = 8  # then the delivery is "dead" and waits for a person


@dataclass(slots=True)
class DeliveryReport:
    """What one `deliver_pending` pass did."""

    sent: int = 0  # deliveries marked sent
    failed: int = 0  # deliveries that failed this pass (retried later, or dead)
    dead: int = 0  # of those, deliveries that used their last attempt
    cancelled: int = 0  # deliveries of alerts marked false_positive/rejected before sending
    messages: int = 0  # emails handed to the SMTP server or written to the outbox
    written: list[Path] = field(default_factory=list)  # outbox files
    recipients: list[str] = field(default_factory=list)  # owners who got a message
    failures: list[DeliveryFailed] = field(default_factory=list)

    def __str__(self) -> str:
        return self.summary()

    def summary(self) -> str:
        """One line for logs and the CLI."""
        line = (f"email: {self.sent} alert(s) sent in {self.messages} message(s) to "
                f"{len(self.recipients)} owner(s); {self.failed} failed ({self.dead} dead)")
        if self.cancelled:
            line += f"; {self.cancelled} cancelled (alert no longer wanted)"
        return line + "".join(f"\n  {failure}" for failure in self.failures)


def backoff(attempts: int) -> timedelta:
    """The wait before retry number `attempts` + 1: 60 s doubling, at most an hour."""
    return min(BACKOFF_BASE * 2 ** max(attempts - 1, 0), BACKOFF_CAP)


def _due(now: datetime) -> ColumnElement[bool]:
    return and_(DeliveryRow.channel == "email", DeliveryRow.status == "pending",
                DeliveryRow.next_attempt_at <= now)


def deliver_pending(db: Database, settings: Settings) -> DeliveryReport:
    """Send every due email delivery, one message per recipient, each in its own transaction."""
    report = DeliveryReport()
    with db.session() as session:
        recipients = session.scalars(
            select(DeliveryRow.recipient).where(_due(utcnow())).distinct().order_by(DeliveryRow.recipient)
        ).all()
    for recipient in recipients:
        with db.session() as session:
            _deliver_to(session, recipient, settings, report)
    if recipients:
        log.info("%s", report.summary())
    return report


def _deliver_to(session: Session, recipient: str, settings: Settings, report: DeliveryReport) -> None:
    """Claim `recipient`'s due deliveries, send them as one message and record the outcome."""
    rows = session.scalars(
        select(DeliveryRow).where(_due(utcnow()), DeliveryRow.recipient == recipient)
        .order_by(DeliveryRow.id).with_for_update(skip_locked=True)
    ).all()
    alerts = {a.id: a for a in get_alerts(session, sorted({r.alert_id for r in rows}),
                                          images_dir=settings.images_dir)}
    live = []
    for row in rows:
        if alerts[row.alert_id].state in SUPPRESSED_STATES:
            row.status, row.last_error = "cancelled", f"alert marked {alerts[row.alert_id].state}"
            report.cancelled += 1
            log.info("email to %s for alert %d cancelled: %s", recipient, row.alert_id, row.last_error)
        else:
            live.append(row)
    if not live:
        return
    alert_ids = sorted({row.alert_id for row in live})
    earlier = set(session.scalars(select(DeliveryRow.alert_id).where(
        DeliveryRow.alert_id.in_(alert_ids), DeliveryRow.status == "sent")))
    message = build_message([alerts[i] for i in alert_ids], recipient=recipient,
                            settings=settings, renotified=earlier)
    try:
        where = _hand_over(message, recipient, settings, report)
    except DeliveryFailed as failure:
        _record_failure(live, failure, report)
        return
    now = utcnow()
    for row in live:
        row.status, row.sent_at, row.attempts = "sent", now, row.attempts + 1
        row.message_id, row.last_error = message["Message-ID"], None
    report.sent += len(live)
    report.messages += 1
    report.recipients.append(recipient)
    log.info("email to %s: %d alert(s) %s, %s", recipient, len(alert_ids), where, message["Message-ID"])


def _record_failure(rows: list[DeliveryRow], failure: DeliveryFailed, report: DeliveryReport) -> None:
    now = utcnow()
    for row in rows:
        row.attempts += 1
        row.last_error = str(failure)
        if row.attempts >= MAX_ATTEMPTS:
            row.status = "dead"
            report.dead += 1
        else:
            row.next_attempt_at = now + backoff(row.attempts)
    report.failed += len(rows)
    report.failures.append(failure)
    dead = rows[0].status == "dead"
    log.log(logging.ERROR if dead else logging.WARNING, "email to %s failed (attempt %d%s): %s",
            failure.recipient, rows[0].attempts, ", giving up" if dead else
            f", retry at {rows[0].next_attempt_at:%H:%M:%S} UTC", failure)


def _hand_over(message: EmailMessage, recipient: str, settings: Settings,
               report: DeliveryReport) -> str:
    """Send by SMTP when a host is set, else write to the outbox; say where it went."""
    if settings.smtp_host:
        send_smtp(message, recipient, settings)
        return f"sent via SMTP {settings.smtp_host}:{settings.smtp_port}"
    path = write_eml(settings.outbox_dir, message, recipient)
    report.written.append(path)
    return f"written to {path}"
