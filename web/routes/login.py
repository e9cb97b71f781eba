"""Sign in and out; attempts are rate-limited per account and address, per account and per address."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..auth import app_state, optional_user, sign_in, sign_out, verify_csrf
from ..clock import duration
from ..pages import render, safe_next
from ..users import account_exists, authenticate

router = APIRouter(include_in_schema=False)


def client_address(request: Request) -> str:
    """The client's address: the peer's, or behind a trusted reverse proxy (Settings.trusted_proxies) the
    nearest address in X-Forwarded-For that is not itself a trusted proxy. From any other peer the
    header is ignored: a client could write anything there."""
    client = request.client.host if request.client else "unknown"
    trusted = app_state(request).settings.trusted_proxies
    if not _within(client, trusted):
        return client
    forwarded = ",".join(request.headers.getlist("x-forwarded-for")).split(",")
    for hop in reversed([hop.strip() for hop in forwarded if hop.strip()]):
        if _parsed(hop) is None:
            break  # not an address: what lies beyond it cannot be trusted either
        client = hop
        if not _within(hop, trusted):
            break
    return client


def _parsed(text: str) -> IPv4Address | IPv6Address | None:
    try:
        return ip_address(text)
    except ValueError:
        return None


def _within(text: str, networks: list[IPv4Network | IPv6Network]) -> bool:
    address = _parsed(text)
    return address is not None and any(address in network for network in networks)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str | None = None) -> Response:
    """The sign-in form."""
    if optional_user(request) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "login.html", next=safe_next(next))


@router.post("/login", dependencies=[Depends(verify_csrf)])
def login(request: Request, username: str = Form("", max_length=200), password: str = Form("", max_length=1000),
          next: str = Form("/alerts", max_length=2000)) -> Response:
    """Check the password; after too many attempts, answer 429 until the window passes."""
    state = app_state(request)
    address = client_address(request)
    with state.database.session() as session:
        known = account_exists(session, username)
    wait = state.throttle.claim(username, address, account=known)
    if wait:
        refused = render(request, "login.html", status_code=429, next=safe_next(next), username=username,
                         error=f"Too many wrong passwords. Try again in {duration_text(wait)}, "
                               "or ask an administrator to reset the password.")
        refused.headers["Retry-After"] = str(wait)
        return refused
    with state.database.session() as session:
        user = authenticate(session, username, password)
    if user is None:  # the attempt is counted already
        return render(request, "login.html", status_code=401, next=safe_next(next), username=username,
                      error="Wrong username or password.")
    state.throttle.succeeded(username, address)
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
