"""Signed-in browsers, kept on the server: the cookie alone no longer proves a session.

The session cookie (web/auth.py) carries a random token; the database keeps only its SHA-256, so a
copy of the table signs no one in. Every request checks that the row is there and unexpired; signing
out deletes it, and a new password or a disabled account deletes all of the account's rows, so a
copied cookie stops working at once instead of at the end of its 12 hours.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..core.clock import utcnow
from ..core.storage.models import SessionRow

LIFE = timedelta(hours=12)


def _id(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(session: Session, user_id: int) -> str:
    """A new session for the user: its token, for the cookie (expired rows are cleared in passing)."""
    now = utcnow()
    session.execute(delete(SessionRow).where(SessionRow.expires_at <= now))
    token = secrets.token_urlsafe(32)
    session.add(SessionRow(id=_id(token), user_id=user_id, created_at=now, expires_at=now + LIFE))
    return token


def session_is_open(session: Session, token: str, user_id: int) -> bool:
    """True if `token` names an unexpired session of this user."""
    return session.scalar(select(SessionRow.id).where(
        SessionRow.id == _id(token), SessionRow.user_id == user_id, SessionRow.expires_at > utcnow())) is not None


def close_session(session: Session, token: str) -> None:
    """End one session (signing out)."""
    session.execute(delete(SessionRow).where(SessionRow.id == _id(token)))


def close_sessions(session: Session, user_id: int) -> None:
    """End every session of the account (a new password, a disabled account)."""
    session.execute(delete(SessionRow).where(SessionRow.user_id == user_id))
