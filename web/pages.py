"""Server-rendered pages: rendering with the user, CSRF token and flash messages; redirects."""

from __future__ import annotations

from typing import Any, Literal
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse

from ..core.clock import utcnow
from .auth import app_state, csrf_token
from .clock import office_zone
from .templating import page_templates

FlashKind = Literal["ok", "error"]


def flash(request: Request, message: str, kind: FlashKind = "ok") -> None:
    """Show `message` on the next page this browser renders."""
    messages = list(request.session.get("flash", []))[-4:]
    messages.append([kind, message[:500]])
    request.session["flash"] = messages


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render template `name` with the user, CSRF token, pending flash messages and `now`."""
    flashes = request.session.pop("flash", []) if "flash" in request.session else []
    settings = app_state(request).settings
    templates = page_templates(office_zone(settings), settings.language)
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
