"""The triage web application: `create_app(settings)` returns the FastAPI app `ipwatch serve` runs."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException
from starlette.middleware.body_limit import MAX_BODY_SIZE_SCOPE_KEY
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..alerts.allowlist import PatternRefused
from ..alerts.workflow import TransitionRefused
from ..core.secret import secret_key
from ..core.settings import Settings
from ..core.storage.engine import Database
from ..core.text import without_surrogates
from .access import NotVisible
from .auth import SESSION_COOKIE, SESSION_MAX_AGE, AppState, CSRFRefused, Forbidden, LoginRequired
from .clock import office_zone
from .pages import render
from .queue_cache import QueueCache
from .routes import admin, api, cases, crawls, dashboard, feedback, login, media, queue
from .throttle import LoginThrottle
from .watchlist_admin import FormProblems

log = logging.getLogger(__name__)
STATIC = Path(__file__).with_name("static")
# Only our own scripts, styles and images; scraped text can never become code on these pages.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"), (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class SecurityHeaders:
    """Adds the CSP and friends to every response (pure ASGI: streaming responses keep working)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (name, value) for name, value in SECURITY_HEADERS if name not in present]
            await send(message)

        await self.app(scope, receive, with_headers)


class SafeJSONResponse(JSONResponse):
    """JSON that always encodes: a lone surrogate echoed from the request (`\\ud800`) becomes U+FFFD."""

    def render(self, content: object) -> bytes:
        text = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        return without_surrogates(text).encode("utf-8")


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _problem(request: Request, status: int, message: str) -> Response:
    """The error page, or for the API `{"detail": message}`; a 422 in the shape OpenAPI documents for
    every 422 (HTTPValidationError: a list of errors with loc, msg and type)."""
    if _wants_json(request):
        detail = [{"loc": ["body"], "msg": message, "type": "value_error"}] if status == 422 else message
        return SafeJSONResponse({"detail": detail}, status_code=status)
    return render(request, "error.html", status_code=status, message=message)


def _install_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        return SafeJSONResponse({"detail": jsonable_encoder(exc.errors())}, status_code=422)

    @app.exception_handler(413)
    async def _too_large(request: Request, exc: HTTPException) -> Response:
        limit = request.scope.get(MAX_BODY_SIZE_SCOPE_KEY)
        most = f"{limit:,} bytes" if isinstance(limit, int) else "the limit"
        return _problem(request, 413, f"The request body is larger than {most}, the most this address accepts.")

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, exc: LoginRequired) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": "sign in first: POST /login"}, status_code=401)
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        from urllib.parse import quote

        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)

    @app.exception_handler(NotVisible)
    async def _not_found(request: Request, exc: NotVisible) -> Response:
        return _problem(request, 404, f"Not found: {exc}.")

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, exc: Forbidden) -> Response:
        return _problem(request, 403, f"Not allowed: {exc}.")

    @app.exception_handler(CSRFRefused)
    async def _csrf(request: Request, exc: CSRFRefused) -> Response:
        return _problem(request, 403, "This form has expired or did not come from ipwatch: reload the page and"
                                      " try again.")

    @app.exception_handler(TransitionRefused)
    async def _refused(request: Request, exc: TransitionRefused) -> Response:
        return _problem(request, 409, str(exc))

    @app.exception_handler(PatternRefused)
    async def _pattern(request: Request, exc: PatternRefused) -> Response:
        return _problem(request, 422, str(exc))

    @app.exception_handler(FormProblems)
    async def _form(request: Request, exc: FormProblems) -> Response:
        return _problem(request, 422, str(exc))

    @app.exception_handler(DataError)
    async def _data(request: Request, exc: DataError) -> Response:
        # e.g. a NUL character, which PostgreSQL text cannot hold: the input's fault, not the server's
        log.info("refused input the database cannot store: %s", str(exc.orig).splitlines()[0])
        return _problem(request, 422, "The input holds characters the database cannot store (such as NUL).")


def create_app(settings: Settings, *, throttle: LoginThrottle | None = None) -> FastAPI:
    """The triage app on `settings`' database (which must be migrated: `ipwatch db upgrade`)."""
    database = Database(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        database.dispose()

    # Bodies are capped before anything reads them (sign-in, CSRF, parsing): 413 by Content-Length, or
    # counted as a chunked body arrives; the upload routes (web/routes/admin.py) allow more.
    app = FastAPI(title="ipwatch triage", version="1", lifespan=lifespan, docs_url=None, redoc_url=None,
                  openapi_url="/api/openapi.json", max_body_size=settings.request_max_bytes,
                  description="Triage of infringement alerts: the queue, cases, notices and dashboard. "
                              "Sign in at /login; the API shares the session cookie.")
    # the login throttle counts in the database: `ipwatch serve` runs several worker processes
    app.state.ipwatch = AppState(settings=settings, database=database,
                                 throttle=throttle or LoginThrottle(database),
                                 queue_cache=QueueCache.for_database(database, office_zone(settings),
                                                                     settings.queue_cache_pages))
    app.add_middleware(SessionMiddleware, secret_key=secret_key(settings), session_cookie=SESSION_COOKIE,
                       max_age=SESSION_MAX_AGE, same_site="lax",
                       https_only=settings.triage_base_url.startswith("https://"))
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (login, queue, cases, media, dashboard, crawls, admin, feedback, api):
        app.include_router(module.router)
    app.include_router(crawls.api_router)
    _install_handlers(app)
    return app
