"""Server-rendered pages: one Jinja2 environment (autoescaping on), flash messages, redirects."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from ..core.clock import utcnow
from . import workflow
from .auth import csrf_token
from .clock import duration, local
from .users import ROLE_LABELS

TEMPLATES = Path(__file__).with_name("templates")
templates = Jinja2Templates(directory=TEMPLATES)
templates.env.globals.update(state_label=workflow.label, STATES=workflow.STATES, ROLE_LABELS=ROLE_LABELS,
                             SHORTCUTS=workflow.SHORTCUTS)


def http_only(url: str | None) -> str | None:
    """`url` if it is an http(s) link, else None: a scraped `javascript:` URL must never become a link."""
    if not url:
        return None
    scheme = urlsplit(url.strip()).scheme.lower()
    return url.strip() if scheme in ("http", "https") else None


templates.env.filters.update(local=local, duration=duration, http_only=http_only)
FlashKind = Literal["ok", "error"]


def flash(request: Request, message: str, kind: FlashKind = "ok") -> None:
    """Show `message` on the next page this browser renders."""
    messages = list(request.session.get("flash", []))[-4:]
    messages.append([kind, message[:500]])
    request.session["flash"] = messages


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render template `name` with the user, CSRF token, pending flash messages and `now`."""
    flashes = request.session.pop("flash", []) if "flash" in request.session else []
    return templates.TemplateResponse(request, name, {
        "user": getattr(request.state, "user", None), "csrf": csrf_token(request), "flashes": flashes,
        "now": utcnow(), **context,
    }, status_code=status_code)


def safe_next(target: str | None, default: str = "/alerts") -> str:
    """A local path to go back to; anything pointing off-site becomes `default`."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def back(request: Request, default: str) -> RedirectResponse:
    """See-other to the page the form was on (its Referer, when local), else `default`."""
    referer = request.headers.get("referer")
    target = default
    if referer:
        parts = urlsplit(referer)
        if parts.netloc == request.url.netloc:
            target = safe_next(parts.path + (f"?{parts.query}" if parts.query else ""), default)
    return RedirectResponse(target, status_code=303)
