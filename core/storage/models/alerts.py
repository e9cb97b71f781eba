"""What the match and alert stages write: matches, alerts and their audit trail, deliveries, sellers'
contacts, and the allow-list that keeps known-good sellers and titles quiet."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Id, UTCDateTime, now_column

if TYPE_CHECKING:
    from .listings import ListingRow
    from .watchlist import MarkRow


class MatchRow(Base):
    __tablename__ = "matches"
    __table_args__ = (UniqueConstraint("listing_id", "mark_id", name="uq_matches_listing_mark"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"))
    mark_id: Mapped[str] = mapped_column(ForeignKey("marks.id", ondelete="CASCADE"), index=True)
    score: Mapped[float] = mapped_column(Float)
    reasons: Mapped[list[Any]] = mapped_column(JSON)
    matched_at: Mapped[datetime] = now_column()


class AlertRow(Base):
    __tablename__ = "alerts"
    # The queue's default order (newest first) read from an index: 100,000 alerts, bench/load_ui.py.
    __table_args__ = (Index("ix_alerts_created_at_id", "created_at", "id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    dedup_key: Mapped[str] = mapped_column(String(300), unique=True)  # site:listing_key:mark_id
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"), index=True)
    mark_id: Mapped[str] = mapped_column(ForeignKey("marks.id", ondelete="CASCADE"), index=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("matches.id", ondelete="CASCADE"))
    severity: Mapped[str] = mapped_column(String(10))
    state: Mapped[str] = mapped_column(String(30), default="new", index=True)
    score: Mapped[float] = mapped_column(Float)
    reasons: Mapped[list[Any]] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))  # listing content when last notified
    created_at: Mapped[datetime] = now_column()
    updated_at: Mapped[datetime] = now_column()

    listing: Mapped[ListingRow] = relationship()
    mark: Mapped[MarkRow] = relationship()


class AlertEventRow(Base):
    __tablename__ = "alert_events"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = now_column()
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(40))
    from_state: Mapped[str | None] = mapped_column(String(30))
    to_state: Mapped[str | None] = mapped_column(String(30))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class DeliveryRow(Base):
    __tablename__ = "deliveries"
    __table_args__ = (Index("ix_deliveries_status_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(40))  # email | ...
    recipient: Mapped[str] = mapped_column(String(254))
    status: Mapped[str] = mapped_column(String(12), default="pending")  # pending|sending|sent|dead|cancelled
    mode: Mapped[str] = mapped_column(String(10), default="immediate", server_default="immediate")  # |digest
    claimed_by: Mapped[str | None] = mapped_column(String(120))  # the worker sending it; lease ends at next_attempt_at
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    message_id: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = now_column()
    next_attempt_at: Mapped[datetime] = now_column()
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class SellerContactRow(Base):
    """A contact a listing's seller gave, normalised (alerts/contacts.py), to link sellers that share one."""

    __tablename__ = "seller_contacts"
    __table_args__ = (UniqueConstraint("listing_id", "kind", "value", name="uq_seller_contacts_listing_kind_value"),
                      Index("ix_seller_contacts_kind_value", "kind", "value"))

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # phone | wechat | email | licence | address
    value: Mapped[str] = mapped_column(String(200))


class AllowPatternRow(Base):
    __tablename__ = "allow_patterns"
    __table_args__ = (UniqueConstraint("mark_id", "field", "pattern", name="uq_allow_patterns_mark_field_pattern"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    mark_id: Mapped[str] = mapped_column(ForeignKey("marks.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(20))  # title | seller
    pattern: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = now_column()
