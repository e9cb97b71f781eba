"""The long-running delivery worker: a delivery pass, then sleep until the next delivery falls due.

Any number of workers may run against one database (see alerts/claims.py). SIGTERM or
Ctrl-C lets the message being sent finish, then stops; SIGKILL loses nothing either: the
deliveries it held are sent again when their lease ends.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from ..core.clock import utcnow
from ..core.settings import Settings
from ..core.storage.engine import Database
from ..core.storage.models import DeliveryRow
from .channels import shown
from .claims import worker_name
from .delivery import deliver_pending

log = logging.getLogger(__name__)
DATABASE_RETRY_S = 10.0


def seconds_to_next_due(db: Database, *, cap: float) -> float:
    """Seconds until the earliest pending or leased delivery falls due, at most `cap` (0 if overdue)."""
    with db.session() as session:
        earliest = session.scalar(select(func.min(DeliveryRow.next_attempt_at))
                                  .where(DeliveryRow.status.in_(("pending", "sending"))))
    if earliest is None:
        return cap
    return max(0.0, min(cap, (earliest - utcnow()) / timedelta(seconds=1)))


def describe(settings: Settings) -> list[str]:
    """What delivery is on, and why the rest is off, for the log at start-up."""
    if settings.smtp_host:
        extras = [word for word, on in (("STARTTLS", settings.smtp_starttls), ("login", settings.smtp_user)) if on]
        email = f"e-mail: SMTP {settings.smtp_host}:{settings.smtp_port}"
        email += f" ({', '.join(extras)})" if extras else ""
    else:
        email = f"e-mail: no smtp_host set — messages are written to {settings.outbox_dir}"
    office = [shown(url.get_secret_value(), settings) for url in settings.office_channels]
    return [email, f"office channels ({settings.office_channel_severity} and up): {', '.join(office) or 'none set'}",
            f"digests at {settings.digest_hour:02d}:00 {settings.timezone}"]


def run_worker(db: Database, settings: Settings, *, poll_s: float = 5.0,
               stop: threading.Event | None = None) -> None:
    """Deliver until `stop` is set; new alerts are picked up within `poll_s` seconds."""
    stop = stop or threading.Event()
    name = worker_name()
    log.info("delivery worker %s started (poll every %.1f s, lease %.0f s)", name, poll_s, settings.delivery_lease_s)
    for line in describe(settings):
        log.info("  %s", line)
    while not stop.is_set():
        try:
            deliver_pending(db, settings, worker=name, stop=stop)
            wait = seconds_to_next_due(db, cap=poll_s)
        except OperationalError as exc:  # the database restarting, a network blip: try again shortly
            log.warning("delivery worker: database unavailable (%s); retrying in %.0f s",
                        str(exc.orig or exc).strip().splitlines()[0], DATABASE_RETRY_S)
            wait = DATABASE_RETRY_S
        except Exception:  # noqa: BLE001 - one bad message must not stop the others
            # Its deliveries stay claimed until the lease ends, then are tried again; every claim
            # counts an attempt, so a message that always fails this way ends dead, not in a loop.
            log.exception("delivery worker: a delivery pass failed; its deliveries are retried after the lease")
            wait = DATABASE_RETRY_S
        stop.wait(max(wait, 0.05))
    log.info("delivery worker %s stopped", name)
