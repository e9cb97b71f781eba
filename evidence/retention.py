"""Retention: let go of what no alert needs, never of evidence.

Deleted, once older than the plan's limits (`cleanup:` in the monitoring plan):
- raw WARC captures of listings not seen for `raw_days`, that no alert's evidence names and no alert
  still waiting for its evidence needs (`ipwatch evidence capture` chains an alert's raw page later);
- files under evidence/raw/ that no evidence row names (left by a crawl killed between writing the
  file and storing the listing), once older than `raw_days`;
- deliveries sent or cancelled more than `delivered_days` ago that a later one to the same recipient
  for the same alert superseded. The latest delivery of each alert to each recipient, and the latest
  one sent, stay: the queue reads them to never send an alert to someone twice, and to mark a
  re-notification as one. Dead ones stay too: someone must look;
- crawl logs (data_dir/logs) older than `raw_days`.

Never deleted: any evidence row with an alert, any file the hash chain (evidence/chain.jsonl) names,
alerts, listings, cases. If a line of the chain cannot be read, no evidence file is deleted at all
(the chain might name it): `ipwatch evidence verify` says what is wrong.
"""

from __future__ import annotations

import json
import logging
import posixpath
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Delete, delete, func, or_, select
from sqlalchemy.orm import aliased

from ..core.clock import utcnow
from ..core.settings import Settings
from ..core.storage.engine import Database
from ..core.storage.models import AlertRow, DeliveryRow, EvidenceRow, ListingRow
from . import chain

log = logging.getLogger(__name__)
LOG_FOLDER = "logs"


@dataclass(slots=True)
class CleanupReport:
    """What one cleanup removed."""

    raw_captures: int = 0
    orphan_files: int = 0
    deliveries: int = 0
    logs: int = 0
    chain_unreadable: int = 0  # lines of the chain that could not be read: evidence files were all kept

    def summary(self) -> str:
        text = (f"cleanup: {self.raw_captures} raw capture(s), {self.orphan_files} orphan file(s), "
                f"{self.deliveries} delivered message(s), {self.logs} log(s) removed")
        if self.chain_unreadable:
            text += (f"; evidence files kept: {self.chain_unreadable} line(s) of the hash chain unreadable — "
                     f"run `ipwatch evidence verify`")
        return text


def _normal(path: str) -> str:
    return posixpath.normpath(path.replace("\\", "/"))


def chained_paths(evidence_dir: Path) -> tuple[set[str], int]:
    """Every file the evidence hash chain names (never deleted), and how many lines could not be read."""
    paths, unreadable = set(), 0
    for _number, text in chain.read(evidence_dir):
        try:
            entry = json.loads(text)
            paths.add(_normal(str(entry["path"])))
        except (ValueError, KeyError, TypeError, AttributeError):
            unreadable += 1
    return paths, unreadable


def _superseded_deliveries(now: datetime, days: int) -> Delete:
    """Sent or cancelled deliveries older than `days`, other than each (alert, channel, recipient)'s latest
    and latest sent one."""
    key = (DeliveryRow.alert_id, DeliveryRow.channel, DeliveryRow.recipient)
    latest = select(func.max(DeliveryRow.id)).group_by(*key)
    latest_sent = select(func.max(DeliveryRow.id)).where(DeliveryRow.status == "sent").group_by(*key)
    before = now - timedelta(days=days)
    return delete(DeliveryRow).where(
        DeliveryRow.status.in_(("sent", "cancelled")),
        or_(DeliveryRow.sent_at < before, DeliveryRow.sent_at.is_(None) & (DeliveryRow.created_at < before)),
        DeliveryRow.id.not_in(latest), DeliveryRow.id.not_in(latest_sent)).execution_options(
        synchronize_session=False)


def clean(database: Database, settings: Settings, *, raw_days: int, delivered_days: int) -> CleanupReport:
    """Delete what the retention rules let go (see the module's docstring); returns the counts."""
    report = CleanupReport()
    now = utcnow()
    protected, report.chain_unreadable = chained_paths(settings.evidence_dir)
    keep_files = report.chain_unreadable > 0
    if keep_files:
        log.error("evidence chain: %d unreadable line(s); no evidence file is deleted — run `ipwatch evidence "
                  "verify`", report.chain_unreadable)
    released: list[str] = []
    with database.session() as session:
        needed = select(EvidenceRow.path).where(EvidenceRow.alert_id.is_not(None))
        # an alert whose evidence is not captured yet will chain its listing's latest raw page
        chained = aliased(EvidenceRow)
        has_page = select(chained.id).where(chained.alert_id == AlertRow.id, chained.kind == "warc").exists()
        waiting = select(AlertRow.id).where(AlertRow.listing_id == EvidenceRow.listing_id, ~has_page).exists()
        stale = [] if keep_files else session.scalars(
            select(EvidenceRow).join(ListingRow, ListingRow.id == EvidenceRow.listing_id)
            .where(EvidenceRow.kind == "warc", EvidenceRow.alert_id.is_(None),
                   ListingRow.last_seen < now - timedelta(days=raw_days), EvidenceRow.path.not_in(needed),
                   ~waiting)).all()
        for row in stale:
            if _normal(row.path) not in protected:
                released.append(row.path)
                session.delete(row)
        report.raw_captures = len(released)
        session.flush()
        known = {_normal(path) for path in session.scalars(select(EvidenceRow.path))}
        result = session.execute(_superseded_deliveries(now, delivered_days))
        report.deliveries = int(result.rowcount or 0)  # type: ignore[attr-defined]
    for path in released:  # after the commit: a row never names a file already gone
        (settings.evidence_dir / path).unlink(missing_ok=True)
    cutoff = time.time() - raw_days * 86400
    raw = settings.evidence_dir / "raw"
    for file in raw.rglob("*") if raw.is_dir() and not keep_files else ():
        relative = file.relative_to(settings.evidence_dir).as_posix()
        if file.is_file() and relative not in known and relative not in protected and file.stat().st_mtime < cutoff:
            file.unlink()
            report.orphan_files += 1
    logs = settings.data_dir / LOG_FOLDER
    for file in logs.glob("*.log") if logs.is_dir() else ():
        if file.stat().st_mtime < cutoff:
            file.unlink()
            report.logs += 1
    log.info("%s", report.summary())
    return report
