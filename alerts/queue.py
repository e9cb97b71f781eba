"""The early-warning queue: one alert per listing × mark, re-notified only when the listing changes.

`enqueue` runs inside the match stage's transaction and never commits: the match, its alert
and the alert's pending deliveries are written together or not at all (a transactional
outbox; alerts/delivery.py drains it). Rows that must be unique (a match per listing × mark,
an alert per dedup key) are inserted with ``INSERT … ON CONFLICT DO NOTHING`` and then read
back, so a second call in the same transaction, or a concurrent matcher in another process,
finds the row instead of adding one.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Literal, cast

from sqlalchemy import Select, func, select
from sqlalchemy import inspect as inspect_model
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, selectinload

from ..core.clock import utcnow
from ..core.storage.models import (
    AlertEventRow,
    AlertRow,
    DeliveryRow,
    ListingImageRow,
    ListingRow,
    MarkRow,
    MatchRow,
    SiteRow,
)
from ..matchers.records import Match, Reason
from . import history
from .history import NO_HISTORY, SellerHistory, seller_history
from .records import Alert, Severity
from .routing import DEFAULT_ROUTING, Routing
from .sellers import index_contacts
from .severity import raise_for_history
from .workflow import SUPPRESSED_STATES, TAKEN_DOWN_STATES

__all__ = ["SUPPRESSED_STATES", "EnqueueOutcome", "alert_record", "counts", "dedup_key", "enqueue", "get_alerts",
           "list_alerts", "reason_texts", "reasons_json", "stored_reasons"]


# What `enqueue` did with one match: plain strings, so counters and JSON print them as words.
#   created    a new alert, with pending deliveries for whoever wants to hear
#   updated    the same alert with a new score, reasons or severity; only new recipients hear
#   renotify   the listing's title or images changed: everyone hears again, once
#   relisted   a listing taken down (measures_taken, resolved) is back: everyone hears, severity high
#   unchanged  seen before, nothing new
#   suppressed a person marked it false_positive or rejected: it stays quiet
EnqueueOutcome = Literal["created", "updated", "renotify", "relisted", "unchanged", "suppressed"]


def dedup_key(site_name: str, listing_key: str, mark_id: str) -> str:
    """The key that makes one alert per listing × mark: `site:listing_key:mark_id`."""
    return f"{site_name}:{listing_key}:{mark_id}"


def reasons_json(reasons: Sequence[Reason]) -> list[dict[str, Any]]:
    """Reasons as stored in the `reasons` JSON columns: code, parameters, and the English text."""
    return [reason.to_json() for reason in reasons]


def stored_reasons(stored: Sequence[Any] | None) -> tuple[Reason, ...]:
    """The reasons of a `reasons` JSON column (dicts with codes, older dicts with text only, or strings)."""
    return tuple(Reason.from_json(item) for item in stored or ())


def reason_texts(stored: Sequence[Any] | None) -> tuple[str, ...]:
    """The sentences of stored reasons in English, with their scores (the audit trail's wording)."""
    return tuple(reason.text for reason in stored_reasons(stored))


def _insert_ignore(session: Session, model: type, values: dict[str, Any]) -> bool:
    """Insert a row unless a unique key already holds one; True when a row was inserted."""
    dialect = session.get_bind().dialect.name
    statement: postgresql.Insert | sqlite.Insert
    if dialect == "postgresql":
        statement = postgresql.insert(model).values(values).on_conflict_do_nothing()
    elif dialect == "sqlite":
        statement = sqlite.insert(model).values(values).on_conflict_do_nothing()
    else:
        raise NotImplementedError(f"the alert queue supports SQLite and PostgreSQL, not {dialect}")
    session.flush()
    # RETURNING, not rowcount: with psycopg, SQLAlchemy reports rowcount -1 for this statement.
    return session.execute(statement.returning(*inspect_model(model).primary_key)).first() is not None


def _upsert_match(session: Session, listing_row: ListingRow, match: Match, now: datetime) -> MatchRow:
    values = {"score": match.score, "reasons": reasons_json(match.reasons), "matched_at": now}
    _insert_ignore(session, MatchRow, {"listing_id": listing_row.id, "mark_id": match.mark_id, **values})
    row = session.scalars(
        select(MatchRow).where(MatchRow.listing_id == listing_row.id, MatchRow.mark_id == match.mark_id)
    ).one()
    for name, value in values.items():
        setattr(row, name, value)
    return row


def _event(session: Session, alert: AlertRow, actor: str, action: str, *,
           to_state: str | None = None, **detail: Any) -> None:
    session.add(AlertEventRow(alert_id=alert.id, actor=actor, action=action, at=utcnow(),
                              from_state=None, to_state=to_state, detail=detail))


def _queue_deliveries(session: Session, alert: AlertRow, mark_row: MarkRow, routing: Routing, now: datetime,
                      *, only_new: bool = False) -> int:
    """Queue the deliveries `routing` asks for; one already waiting is kept (brought forward when the
    alert became high). With `only_new`, only recipients never queued for this alert. Returns how many."""
    existing = {(row.channel, row.recipient): row for row in session.scalars(
        select(DeliveryRow).where(DeliveryRow.alert_id == alert.id).order_by(DeliveryRow.id))}
    added = 0
    for target in routing.targets(mark_row, alert.severity, now):
        row = existing.get((target.channel, target.recipient))
        if row is not None and row.status == "pending":
            if row.mode == "digest" and target.mode == "immediate":
                row.mode, row.next_attempt_at = "immediate", now
            continue
        if row is not None and only_new:
            continue
        session.add(DeliveryRow(alert_id=alert.id, channel=target.channel, recipient=target.recipient,
                                status="pending", mode=target.mode, attempts=0, created_at=now,
                                next_attempt_at=target.due))
        added += 1
    return added


def _history(session: Session, listing_row: ListingRow, mark_id: str) -> SellerHistory:
    """The seller network's record, after indexing this listing's contacts."""
    index_contacts(session, listing_row)
    return seller_history(session, listing_row, mark_id) if listing_row.seller else NO_HISTORY


RELISTED = Reason.of("seller_history", history.RELISTED)


def _relisting(session: Session, alert: AlertRow, listing_row: ListingRow) -> Literal["new", "known"] | None:
    """Whether the alert's listing, taken down, has been seen since: "new" until an event reports it."""
    if alert.state not in TAKEN_DOWN_STATES:
        return None
    since = session.scalar(select(func.max(AlertEventRow.at)).where(
        AlertEventRow.alert_id == alert.id, AlertEventRow.to_state == alert.state))
    if since is None or listing_row.last_seen <= since:
        return None
    reported = session.scalar(select(AlertEventRow.id).where(
        AlertEventRow.alert_id == alert.id, AlertEventRow.action == "relisted", AlertEventRow.at >= since).limit(1))
    return "new" if reported is None else "known"


def enqueue(session: Session, listing_row: ListingRow, match: Match, mark_row: MarkRow,
            *, actor: str = "matcher", routing: Routing | None = None) -> EnqueueOutcome:
    """Record `match` and raise, refresh, re-notify or suppress its alert; never commits."""
    routing = routing or DEFAULT_ROUTING
    if listing_row.id is None:
        session.flush()
    now = utcnow()
    site_name = session.execute(select(SiteRow.name).where(SiteRow.id == listing_row.site_id)).scalar_one()
    key = dedup_key(site_name, listing_row.listing_key, mark_row.id)
    match_row = _upsert_match(session, listing_row, match, now)
    history = _history(session, listing_row, mark_row.id)
    severity = raise_for_history(routing.policy.severity(match.score, mark_row.kind, match.reasons),
                                 repeat_infringer=history.repeat_infringer, relisting=history.relisting)
    reasons = reasons_json([*match.reasons, *history.reasons()])
    created = _insert_ignore(session, AlertRow, {
        "dedup_key": key, "listing_id": listing_row.id, "mark_id": mark_row.id,
        "match_id": match_row.id, "severity": severity, "state": "new", "score": match.score,
        "reasons": reasons, "content_hash": listing_row.content_hash,
        "created_at": now, "updated_at": now,
    })
    alert = session.scalars(select(AlertRow).where(AlertRow.dedup_key == key)).one()
    if created:
        queued = _queue_deliveries(session, alert, mark_row, routing, now)
        _event(session, alert, actor, "created", to_state="new", score=match.score, severity=severity,
               deliveries=queued)
        return "created"

    relisting = _relisting(session, alert, listing_row)
    if relisting:
        severity, reasons = "high", [*reasons, *reasons_json([RELISTED])]
    changes = _refresh(alert, match_row, match.score, reasons, severity)
    if changes:
        alert.updated_at = now
    if alert.state in SUPPRESSED_STATES:
        return "suppressed"
    if relisting == "new":
        queued = _queue_deliveries(session, alert, mark_row, routing, now)
        _event(session, alert, actor, "relisted", deliveries=queued, last_seen=listing_row.last_seen.isoformat(),
               **changes)
        return "relisted"
    if listing_row.content_hash != alert.content_hash:
        old_hash, alert.content_hash, alert.updated_at = alert.content_hash, listing_row.content_hash, now
        queued = _queue_deliveries(session, alert, mark_row, routing, now)
        _event(session, alert, actor, "renotify", content_hash={"from": old_hash, "to": listing_row.content_hash},
               deliveries=queued, email_queued=bool(queued), **changes)
        return "renotify"
    if changes:
        queued = _queue_deliveries(session, alert, mark_row, routing, now, only_new=True)
        _event(session, alert, actor, "updated", deliveries=queued, **changes)
        return "updated"
    return "unchanged"


def _refresh(alert: AlertRow, match_row: MatchRow, score: float, reasons: list[dict[str, Any]],
             severity: str) -> dict[str, Any]:
    """Bring the alert's score, reasons and severity up to date; return what changed."""
    changes: dict[str, Any] = {}
    if not math.isclose(alert.score, score, abs_tol=1e-9):
        changes["score"] = {"from": alert.score, "to": score}
        alert.score = score
    if reason_texts(alert.reasons) != reason_texts(reasons):
        changes["reasons"] = {"from": reason_texts(alert.reasons), "to": reason_texts(reasons)}
        alert.reasons = reasons
    elif list(alert.reasons or []) != reasons:
        alert.reasons = reasons  # the same sentences, stored as codes: not a change anyone hears of
    if alert.severity != severity:
        changes["severity"] = {"from": alert.severity, "to": severity}
        alert.severity = severity
    alert.match_id = match_row.id
    return changes


def thumbnail_path(listing_row: ListingRow, images_dir: Path | None) -> str | None:
    """The absolute path of the listing's first downloaded image that decoded, or None."""
    if images_dir is None:
        return None
    for link in listing_row.images:
        if link.image is not None and link.image.path and not link.image.error:
            return str((images_dir / link.image.path).resolve())
    return None


def alert_record(row: AlertRow, site_name: str, images_dir: Path | None = None) -> Alert:
    """The `Alert` a person sees, built from its row, listing and mark."""
    listing, mark = row.listing, row.mark
    return Alert(
        id=row.id, dedup_key=row.dedup_key, mark_id=mark.id, mark_name=mark.name,
        mark_kind=mark.kind, owner=mark.owner, owner_email=mark.owner_email,
        severity=cast(Severity, row.severity), state=row.state, score=row.score, reasons=stored_reasons(row.reasons),
        site=site_name, listing_url=listing.url, title=listing.title, price=listing.price,
        currency=listing.currency, seller=listing.seller, seller_location=listing.seller_location,
        thumbnail=thumbnail_path(listing, images_dir), created_at=row.created_at,
    )


def _alert_query() -> Select[AlertRow, str]:
    return (
        select(AlertRow, SiteRow.name)
        .join(ListingRow, AlertRow.listing_id == ListingRow.id)
        .join(SiteRow, ListingRow.site_id == SiteRow.id)
        .options(
            selectinload(AlertRow.mark),
            selectinload(AlertRow.listing).selectinload(ListingRow.images)
            .selectinload(ListingImageRow.image),
        )
    )


def list_alerts(session: Session, *, state: str | None = None, mark_id: str | None = None,
                limit: int | None = None, images_dir: Path | None = None) -> list[Alert]:
    """Alerts, newest first, optionally of one state or mark; thumbnails need `images_dir`."""
    query = _alert_query().order_by(AlertRow.created_at.desc(), AlertRow.id.desc())
    if state is not None:
        query = query.where(AlertRow.state == state)
    if mark_id is not None:
        query = query.where(AlertRow.mark_id == mark_id)
    if limit is not None:
        query = query.limit(limit)
    return [alert_record(row, site, images_dir) for row, site in session.execute(query)]


def get_alerts(session: Session, ids: Sequence[int], *, images_dir: Path | None = None) -> list[Alert]:
    """The alerts with these ids, in id order; unknown ids are left out."""
    query = _alert_query().where(AlertRow.id.in_(list(ids))).order_by(AlertRow.id)
    return [alert_record(row, site, images_dir) for row, site in session.execute(query)]


def counts(session: Session) -> dict[str, Any]:
    """Alert totals for summaries: overall and per mark, mark kind, severity and state."""
    rows = session.execute(
        select(AlertRow.mark_id, MarkRow.kind, AlertRow.severity, AlertRow.state, func.count())
        .join(MarkRow, AlertRow.mark_id == MarkRow.id)
        .group_by(AlertRow.mark_id, MarkRow.kind, AlertRow.severity, AlertRow.state)
    ).all()
    totals: dict[str, Counter[str]] = {name: Counter() for name in
                                       ("by_mark", "by_kind", "by_severity", "by_state")}
    for mark_id, kind, severity, state, n in rows:
        for name, value in zip(("by_mark", "by_kind", "by_severity", "by_state"),
                               (mark_id, kind, severity, state), strict=True):
            totals[name][value] += n
    return {"total": sum(totals["by_state"].values()), **{k: dict(v) for k, v in totals.items()}}
