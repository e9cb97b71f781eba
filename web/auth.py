"""Who is asking: the signed session cookie, the signed-in user, roles, and CSRF tokens.

The session is Starlette's signed cookie (itsdangerous), HttpOnly and SameSite=Lax, Secure when
the app is served over HTTPS. It holds only the user id, a stamp of the password hash, the token of
the session's row on the server (web/sessions.py: signing out ends it there, so a copied cookie
stops working) and the CSRF token. Every POST, from a form or to the API, must carry that token:
as the `csrf_token` form field or the `X-CSRF-Token` header.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from ..core.settings import Settings
from ..core.storage.engine import Database
from .sessions import LIFE, close_session, open_session, session_is_open
from .throttle import LoginThrottle
from .users import User, get_user

if TYPE_CHECKING:
    from .queue_cache import QueueCache

SESSION_COOKIE = "ipwatch_session"
SESSION_MAX_AGE = int(LIFE.total_seconds())  # the cookie lives as long as its row on the server
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(slots=True)
class AppState:
    """What every request handler needs: settings, the database, the login throttle, the queue's pages."""

    settings: Settings
    database: Database
    throttle: LoginThrottle
    queue_cache: QueueCache | None = None


class LoginRequired(Exception):
    """No valid session: pages redirect to the login form, the API answers 401."""


class Forbidden(Exception):
    """Signed in, but this role may not do this (403)."""


class CSRFRefused(Exception):
    """A POST without the session's CSRF token (403): a stale page, or a forged request."""


def app_state(request: Request) -> AppState:
    """The state `create_app` attached to the application."""
    return request.app.state.ipwatch


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use."""
    token = request.session.get("csrf")
    if not isinstance(token, str) or len(token) < 32:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def verify_csrf(request: Request) -> None:
    """Refuse an unsafe request whose token (form field or header) is not the session's."""
    if request.method not in UNSAFE_METHODS:
        return
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    expected = request.session.get("csrf")
    if not (isinstance(sent, str) and isinstance(expected, str) and expected
            and hmac.compare_digest(sent.encode(), expected.encode())):
        raise CSRFRefused()


def sign_in(request: Request, user: User) -> None:
    """Start a fresh session for `user` (new CSRF token: nothing from before login carries over)."""
    sign_out(request)
    with app_state(request).database.session() as session:
        token = open_session(session, user.id)
    request.session.update({"uid": user.id, "stamp": user.session_stamp, "sid": token,
                            "csrf": secrets.token_urlsafe(32)})


def sign_out(request: Request) -> None:
    """End the session, on the server as in the browser."""
    token = request.session.get("sid")
    if isinstance(token, str):
        with app_state(request).database.session() as session:
            close_session(session, token)
    request.session.clear()


def optional_user(request: Request) -> User | None:
    """The signed-in user, or None when the session is missing, ended, stale or for a disabled account."""
    uid, stamp, token = request.session.get("uid"), request.session.get("stamp"), request.session.get("sid")
    if not isinstance(uid, int) or not isinstance(stamp, str) or not isinstance(token, str):
        return None
    state = app_state(request)

    def load(session: Session) -> tuple[User | None, int | None]:
        if not session_is_open(session, token, uid):
            return None, None
        if state.queue_cache is not None:  # one statement: the user and the queue's data version
            return state.queue_cache.user_and_version(session, uid)
        return get_user(session, uid), None

    user, version = state.database.read(load)
    if state.queue_cache is not None:
        request.state.queue_version = version
    if user is None or not hmac.compare_digest(user.session_stamp, stamp):
        request.session.clear()
        return None
    return user


def current_user(request: Request) -> User:
    """The signed-in user; `LoginRequired` otherwise."""
    user = optional_user(request)
    if user is None:
        raise LoginRequired()
    request.state.user = user
    return user


def require_staff(user: User = Depends(current_user)) -> User:
    """Officers and administrators only: what concerns every rights holder."""
    if not user.sees_all:
        raise Forbidden("only IP-office staff may do this")
    return user


def require_admin(user: User = Depends(current_user)) -> User:
    """Administrators only: watchlists, sites and accounts."""
    if not user.is_admin:
        raise Forbidden("only administrators manage watchlists, sites and accounts")
    return user
