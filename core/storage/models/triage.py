"""The triage UI's tables (web/): accounts and failed logins, cases that group alerts, their comments
and takedown notices, and the data version the queue's cached pages are kept by."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Id, UTCDateTime, now_column


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))  # argon2
    role: Mapped[str] = mapped_column(String(10))  # admin | officer | owner
    owner: Mapped[str | None] = mapped_column(String(200))  # the MarkRow.owner a brand owner acts for
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = now_column()
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


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
    created_at: Mapped[datetime] = now_column()
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class CaseRow(Base):
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    owner: Mapped[str] = mapped_column(String(200), index=True)  # the rights holder of every alert in it
    state: Mapped[str] = mapped_column(String(30), default="new", index=True)
    state_since: Mapped[datetime] = now_column()
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    counter_notice_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # reached the rights holder
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = now_column()
    updated_at: Mapped[datetime] = now_column()

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
    at: Mapped[datetime] = now_column()


class NoticeRow(Base):
    __tablename__ = "notices"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    site: Mapped[str] = mapped_column(String(80))
    body: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))  # of body, printed on the PDF
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = now_column()


class DataVersionRow(Base):
    """A counter that database triggers (migration 0009) raise in every transaction that changes what
    a view shows; `name="queue"`: alerts, listings, marks, sites and case links, for web/queue_cache.py."""

    __tablename__ = "data_versions"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    n: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
