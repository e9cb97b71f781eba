"""Tables. Every change here needs an Alembic revision in `migrations/versions/`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from ..clock import utcnow

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# BigInteger ids on PostgreSQL, INTEGER PRIMARY KEY (rowid) on SQLite.
Id = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime, stored in UTC; read back aware on SQLite as on PostgreSQL."""

    impl = DateTime
    cache_ok = True

    def __init__(self) -> None:
        super().__init__(timezone=True)

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:  # ambiguous: PostgreSQL would read it in the session's zone
            raise ValueError(f"naive datetime {value!r}: give it a timezone, e.g. spiders.records.utcnow()")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    def __repr__(self) -> str:
        return "UTCDateTime()"


def _now_column() -> Mapped[datetime]:
    return mapped_column(UTCDateTime(), default=utcnow, nullable=False)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class MarkRow(Base):
    __tablename__ = "marks"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    owner: Mapped[str] = mapped_column(String(200))
    owner_email: Mapped[str | None] = mapped_column(String(254))
    region: Mapped[str | None] = mapped_column(String(200))
    record: Mapped[dict[str, Any]] = mapped_column(JSON)  # the validated watchlist entry
    source: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = _now_column()

    variants: Mapped[list[MarkVariantRow]] = relationship(
        back_populates="mark", cascade="all, delete-orphan"
    )


class MarkVariantRow(Base):
    __tablename__ = "mark_variants"
    __table_args__ = (UniqueConstraint("mark_id", "text", name="uq_mark_variants_mark_text"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    mark_id: Mapped[str] = mapped_column(ForeignKey("marks.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(40))  # name | alias | generated technique

    mark: Mapped[MarkRow] = relationship(back_populates="variants")


class SiteRow(Base):
    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    base_url: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = _now_column()


class CrawlRunRow(Base):
    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    started_at: Mapped[datetime] = _now_column()
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(20), default="running")
    stats: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ListingRow(Base):
    __tablename__ = "listings"
    __table_args__ = (UniqueConstraint("site_id", "listing_key", name="uq_listings_site_key"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    listing_key: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    price: Mapped[float | None] = mapped_column(Float)
    currency: Mapped[str | None] = mapped_column(String(8))
    seller: Mapped[str | None] = mapped_column(String(200))
    seller_location: Mapped[str | None] = mapped_column(String(200))
    category: Mapped[str | None] = mapped_column(String(200))
    brand: Mapped[str | None] = mapped_column(String(200))
    content_hash: Mapped[str] = mapped_column(String(64))  # of title + images: a material change
    first_seen: Mapped[datetime] = _now_column()
    last_seen: Mapped[datetime] = _now_column()
    last_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"))
    problems: Mapped[list[Any]] = mapped_column(JSON, default=list)
    seller_contacts: Mapped[list[Any] | None] = mapped_column(JSON)  # as the page showed them (alerts/ indexes them)

    images: Mapped[list[ListingImageRow]] = relationship(
        order_by="ListingImageRow.position", cascade="all, delete-orphan"
    )


# The queue's title search (`lower(title) LIKE '%…%'`, web/triage.py): a trigram GIN index on PostgreSQL
# (pg_trgm), so a search does not read all 100,000 listings; SQLite gets a plain index (migration 0009).
Index("ix_listings_title_lower", func.lower(ListingRow.title).label("title_lower"), postgresql_using="gin",
      postgresql_ops={"title_lower": "gin_trgm_ops"})


class SightingRow(Base):
    __tablename__ = "sightings"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"), index=True)
    crawl_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"))
    seen_at: Mapped[datetime] = _now_column()
    title: Mapped[str] = mapped_column(Text)
    price: Mapped[float | None] = mapped_column(Float)
    currency: Mapped[str | None] = mapped_column(String(8))
    seller: Mapped[str | None] = mapped_column(String(200))


class ImageRow(Base):
    __tablename__ = "images"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    path: Mapped[str | None] = mapped_column(Text)
    source_url: Mapped[str | None] = mapped_column(Text)
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    format: Mapped[str | None] = mapped_column(String(16))
    phash: Mapped[str | None] = mapped_column(String(16), index=True)
    dhash: Mapped[str | None] = mapped_column(String(16))
    whash: Mapped[str | None] = mapped_column(String(16))
    colorhash: Mapped[str | None] = mapped_column(String(16))
    segments: Mapped[str | None] = mapped_column(Text)  # crop-resistant hash: comma-separated 64-bit dHashes
    detail: Mapped[str | None] = mapped_column(String(64))  # 256-bit pHash (matchers/images.py ImageHashes)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = _now_column()


class ListingImageRow(Base):
    __tablename__ = "listing_images"

    listing_id: Mapped[int] = mapped_column(
        ForeignKey("listings.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    image_id: Mapped[int] = mapped_column(ForeignKey("images.id"))

    image: Mapped[ImageRow] = relationship()


class MarkImageRow(Base):
    __tablename__ = "mark_images"

    mark_id: Mapped[str] = mapped_column(ForeignKey("marks.id", ondelete="CASCADE"), primary_key=True)
    image_id: Mapped[int] = mapped_column(ForeignKey("images.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))  # file name as the watchlist gave it

    image: Mapped[ImageRow] = relationship()


class MatchRow(Base):
    __tablename__ = "matches"
    __table_args__ = (UniqueConstraint("listing_id", "mark_id", name="uq_matches_listing_mark"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"))
    mark_id: Mapped[str] = mapped_column(ForeignKey("marks.id", ondelete="CASCADE"), index=True)
    score: Mapped[float] = mapped_column(Float)
    reasons: Mapped[list[Any]] = mapped_column(JSON)
    matched_at: Mapped[datetime] = _now_column()


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
    created_at: Mapped[datetime] = _now_column()
    updated_at: Mapped[datetime] = _now_column()

    listing: Mapped[ListingRow] = relationship()
    mark: Mapped[MarkRow] = relationship()


class AlertEventRow(Base):
    __tablename__ = "alert_events"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = _now_column()
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
    created_at: Mapped[datetime] = _now_column()
    next_attempt_at: Mapped[datetime] = _now_column()
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


class EvidenceRow(Base):
    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"), index=True)
    alert_id: Mapped[int | None] = mapped_column(ForeignKey("alerts.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(20))  # html | screenshot | warc | fields | email
    path: Mapped[str] = mapped_column(Text)  # relative to Settings.evidence_dir
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = _now_column()
    chain_hash: Mapped[str | None] = mapped_column(String(64))  # its entry in evidence_dir/chain.jsonl


# Triage (web/): accounts, cases that group alerts, comments, allow-list patterns, takedown notices.


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))  # argon2
    role: Mapped[str] = mapped_column(String(10))  # admin | officer | owner
    owner: Mapped[str | None] = mapped_column(String(200))  # the MarkRow.owner a brand owner acts for
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = _now_column()
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class CaseRow(Base):
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    owner: Mapped[str] = mapped_column(String(200), index=True)  # the rights holder of every alert in it
    state: Mapped[str] = mapped_column(String(30), default="new", index=True)
    state_since: Mapped[datetime] = _now_column()
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    counter_notice_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # reached the rights holder
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = _now_column()
    updated_at: Mapped[datetime] = _now_column()

    assignee: Mapped[UserRow | None] = relationship()


class CaseAlertRow(Base):
    __tablename__ = "case_alerts"

    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)


class CaseCommentRow(Base):
    __tablename__ = "case_comments"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    author: Mapped[str] = mapped_column(String(80))
    body: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = _now_column()


class AllowPatternRow(Base):
    __tablename__ = "allow_patterns"
    __table_args__ = (UniqueConstraint("mark_id", "field", "pattern", name="uq_allow_patterns_mark_field_pattern"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    mark_id: Mapped[str] = mapped_column(ForeignKey("marks.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(20))  # title | seller
    pattern: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = _now_column()


class NoticeRow(Base):
    __tablename__ = "notices"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    site: Mapped[str] = mapped_column(String(80))
    body: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))  # of body, printed on the PDF
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = _now_column()


class JobLeaseRow(Base):
    """Which scheduler runs a scheduled job, for which scheduled time (scheduler.py, `Leases`).

    One row per job: a scheduler runs a job's run time only if it moves `run_time` forward while no
    unexpired lease is held, in one conditional UPDATE, so two schedulers on one database never run
    the same run, nor the same job at once."""

    __tablename__ = "job_leases"

    job_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    run_time: Mapped[datetime | None] = mapped_column(UTCDateTime())  # the scheduled time last claimed
    holder: Mapped[str | None] = mapped_column(String(120))  # host:pid of the scheduler running it, while it runs
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outcome: Mapped[str | None] = mapped_column(Text)  # ok | missed | error: … | the job's own summary
    runs: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class DataVersionRow(Base):
    """A counter that database triggers (migration 0009) raise in every transaction that changes what
    a view shows; `name="queue"`: alerts, listings, marks, sites and case links, for web/queue_cache.py."""

    __tablename__ = "data_versions"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    n: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")


class LoginAttemptRow(Base):
    """Sign-in attempts counted against one key since the start of its window (web/throttle.py):
    `pair:<name>|<address>`, `user:<name>` or `addr:<address>`. Claimed in one conditional upsert
    before the password is checked, so concurrent attempts are counted, never raced, and every web
    worker process sees the same count (migration 0011)."""

    __tablename__ = "login_attempts"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    n: Mapped[int] = mapped_column(Integer)
    since: Mapped[float] = mapped_column(Float, index=True)  # the window's start, seconds since the epoch


class SessionRow(Base):
    """A signed-in browser (web/sessions.py): its session cookie carries a token whose SHA-256 is `id`.
    Signing out, a new password or a disabled account deletes the row, and every copy of the cookie
    stops working (migration 0011)."""

    __tablename__ = "web_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = _now_column()
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
