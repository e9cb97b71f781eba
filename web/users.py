"""Accounts: who may sign in, with which role, and (for brand owners) for which rights holder."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Literal, get_args

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.clock import utcnow
from ..core.storage.models import MarkRow, UserRow
from .sessions import close_sessions

Role = Literal["admin", "officer", "owner"]
ROLES: tuple[Role, ...] = get_args(Role)
ROLE_LABELS = {"admin": "IP-office administrator", "officer": "enforcement officer", "owner": "brand owner"}
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,79}$")
RESERVED = frozenset({"matcher", "system", "scheduler"})  # actors the pipeline writes into audit trails
MIN_PASSWORD = 10

# argon2id with OWASP's recommended minimum (m=19 MiB, t=2, p=1): ~35 ms a check on a small
# server, so a flood of logins cannot starve the app's two cores; old hashes are upgraded on login.
_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
# Verified against when the username is unknown, so that a wrong name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not a password anyone has")


class UserError(ValueError):
    """An account that cannot be created or changed as asked; the message says what to change."""


@dataclass(frozen=True, slots=True)
class User:
    """A signed-in person as the app sees them: no password hash."""

    id: int
    username: str
    role: Role
    owner: str | None  # the rights holder (MarkRow.owner) a brand owner acts for
    session_stamp: str  # changes when the password changes, ending older sessions

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def sees_all(self) -> bool:
        """Administrators and officers see every alert; brand owners only their own marks'."""
        return self.role in ("admin", "officer")


def _record(row: UserRow) -> User:
    stamp = hashlib.sha256(row.password_hash.encode()).hexdigest()[:16]
    return User(id=row.id, username=row.username, role=row.role, owner=row.owner,  # type: ignore[arg-type]
                session_stamp=stamp)


def check_password(password: str) -> None:
    """Refuse passwords too short to resist guessing."""
    if len(password) < MIN_PASSWORD:
        raise UserError(f"the password must have at least {MIN_PASSWORD} characters")


def add_user(session: Session, username: str, password: str, role: str, owner: str | None = None) -> User:
    """Create an account; a brand owner must name a rights holder that owns at least one mark."""
    username = username.strip().lower()
    if not USERNAME.match(username):
        raise UserError(f"'{username}' is not a valid username: use 2-80 of a-z 0-9 . _ - ")
    if username in RESERVED:
        raise UserError(f"'{username}' is reserved for the pipeline's own audit entries: choose another")
    if role not in ROLES:
        raise UserError(f"role '{role}' is not one of {', '.join(ROLES)}")
    owner = (owner or "").strip() or None
    if role == "owner":
        if owner is None:
            raise UserError("a brand owner needs --owner: the owner name as the watchlist spells it")
        if session.scalar(select(MarkRow.id).where(MarkRow.owner == owner).limit(1)) is None:
            raise UserError(f"no mark in the watchlist has owner '{owner}': load the watchlist first, "
                            "or copy the owner name exactly")
    elif owner is not None:
        raise UserError("only brand owners act for an owner: leave --owner out for this role")
    check_password(password)
    if session.scalar(select(UserRow.id).where(UserRow.username == username)) is not None:
        raise UserError(f"user '{username}' already exists")
    row = UserRow(username=username, password_hash=_hasher.hash(password), role=role, owner=owner,
                  active=True, created_at=utcnow())
    session.add(row)
    session.flush()
    return _record(row)


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user with this name and password, or None; upgrades old hashes in passing."""
    row = session.scalar(select(UserRow).where(UserRow.username == username.strip().lower()))
    if row is None or not row.active:
        _verify(_DUMMY_HASH, password)
        return None
    if not _verify(row.password_hash, password):
        return None
    if _hasher.check_needs_rehash(row.password_hash):
        row.password_hash = _hasher.hash(password)
    row.last_login_at = utcnow()
    return _record(row)


def account_exists(session: Session, username: str) -> bool:
    """True if an account (enabled or not) has this name."""
    return session.scalar(select(UserRow.id).where(UserRow.username == username.strip().lower())) is not None


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def get_user(session: Session, user_id: int) -> User | None:
    """The active user with this id, or None."""
    return active_user(session.get(UserRow, user_id))


def active_user(row: UserRow | None) -> User | None:
    """The account `row` as the app sees it; None if there is none or it is disabled."""
    return _record(row) if row is not None and row.active else None


def list_users(session: Session) -> list[UserRow]:
    """Every account, by username."""
    return list(session.scalars(select(UserRow).order_by(UserRow.username)))


def set_password(session: Session, username: str, password: str) -> None:
    """Give an account a new password (which ends its open sessions)."""
    check_password(password)
    row = session.scalar(select(UserRow).where(UserRow.username == username))
    if row is None:
        raise UserError(f"no user '{username}'")
    row.password_hash = _hasher.hash(password)
    close_sessions(session, row.id)


def set_active(session: Session, username: str, active: bool) -> None:
    """Enable or disable an account; a disabled account cannot sign in and its sessions end."""
    row = session.scalar(select(UserRow).where(UserRow.username == username))
    if row is None:
        raise UserError(f"no user '{username}'")
    row.active = active
    if not active:
        close_sessions(session, row.id)


def owner_names(session: Session) -> list[str]:
    """The rights holders named in the watchlist, for the owner field of the user form."""
    return list(session.scalars(select(MarkRow.owner).distinct().order_by(MarkRow.owner)))
