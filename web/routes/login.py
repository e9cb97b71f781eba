"""Sign in and out; wrong passwords are rate-limited per account and per address."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..auth import app_state, optional_user, sign_in, sign_out, verify_csrf
from ..clock import duration
from ..pages import render, safe_next
from ..users import authenticate

router = APIRouter(include_in_schema=False)


def client_address(request: Request) -> str:
    """The peer address (ipwatch is served directly or behind a proxy on the same host)."""
    return request.client.host if request.client else "unknown"


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str | None = None) -> Response:
    """The sign-in form."""
    if optional_user(request) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "login.html", next=safe_next(next))


@router.post("/login", dependencies=[Depends(verify_csrf)])
def login(request: Request, username: str = Form("", max_length=200), password: str = Form("", max_length=1000),
          next: str = Form("/alerts", max_length=2000)) -> Response:
    """Check the password; after too many wrong ones, answer 429 until the window passes."""
    state = app_state(request)
    address = client_address(request)
    wait = state.throttle.retry_after(username, address)
    if wait:
        refused = render(request, "login.html", status_code=429, next=safe_next(next), username=username,
                         error=f"Too many wrong passwords. Try again in {duration_text(wait)}, "
                               "or ask an administrator to reset the password.")
        refused.headers["Retry-After"] = str(wait)
        return refused
    with state.database.session() as session:
        user = authenticate(session, username, password)
    if user is None:
        state.throttle.failed(username, address)
        return render(request, "login.html", status_code=401, next=safe_next(next), username=username,
                      error="Wrong username or password.")
    state.throttle.succeeded(username)
    sign_in(request, user)
    return RedirectResponse(safe_next(next), status_code=303)


def duration_text(seconds: int) -> str:
    from datetime import timedelta

    return duration(timedelta(seconds=max(60, seconds)))


@router.post("/logout", dependencies=[Depends(verify_csrf)])
def logout(request: Request) -> Response:
    """End the session and go back to the sign-in form."""
    sign_out(request)
    return RedirectResponse("/login", status_code=303)
