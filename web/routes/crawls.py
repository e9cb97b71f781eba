"""Crawl runs, for IP-office staff: the page, one run's log, and the same list in the JSON API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel

from .. import charts
from ..access import NotVisible
from ..auth import Forbidden, app_state, require_staff, verify_csrf
from ..crawl_runs import HEALTH, build, health, log_of, one
from ..pages import render
from ..users import User
from . import ObjectId
from .api import ERRORS, api_user

router = APIRouter(include_in_schema=False)
Staff = Annotated[User, Depends(require_staff)]
SiteName = Annotated[str | None, Query(max_length=100, pattern=r"^([A-Za-z0-9][A-Za-z0-9._-]*)?$")]
Status = Annotated[str | None, Query(max_length=40, pattern=r"^[a-z_]*$")]


@router.get("/crawls", response_class=HTMLResponse)
def crawls_page(request: Request, user: Staff, site: SiteName = None, status: Status = None,
                limit: Annotated[int, Query(ge=1, le=500)] = 100) -> Response:
    """The latest crawl runs: counts, times, exit codes, errors; listings found per run, per site."""
    with app_state(request).database.session() as session:
        page = build(session, site=site or None, status=status or None, limit=limit)
    pictures = {name: charts.stacked_columns(record.runs, {"listings found": record.listings},
                                             title=f"{name}: listings found per run", width=520, height=170)
                for name, record in page.sites.items()}
    return render(request, "crawls.html", page=page, pictures=pictures, health=health, HEALTH=HEALTH,
                  site=site or "", status=status or "", limit=limit)


@router.get("/crawls/{run_id}/log", response_class=HTMLResponse)
def crawl_log(request: Request, run_id: ObjectId, user: Staff) -> Response:
    """The end of one run's log file (only files under data_dir/logs), shown as escaped text."""
    state = app_state(request)
    with state.database.session() as session:
        run = one(session, run_id)
    if run is None:
        raise NotVisible(f"crawl run {run_id}")
    return render(request, "crawl_log.html", run=run, log=log_of(state.settings, run), health=health)


class CrawlRunOut(BaseModel):
    id: int
    site: str
    status: str
    health: str
    started_at: datetime
    finished_at: datetime | None
    duration_s: float | None
    counts: dict[str, int]
    exit_code: int | None
    error: str | None
    log_url: str | None


def require_staff_api(user: Annotated[User, Depends(api_user)]) -> User:
    if not user.sees_all:
        raise Forbidden("only IP-office staff see crawl runs")
    return user


api_router = APIRouter(prefix="/api", tags=["crawls"], dependencies=[Depends(verify_csrf)], responses=ERRORS)


@api_router.get("/crawls", response_model=list[CrawlRunOut])
def list_crawls(request: Request, user: Annotated[User, Depends(require_staff_api)], site: SiteName = None,
                status: Status = None, limit: Annotated[int, Query(ge=1, le=500)] = 50) -> list[CrawlRunOut]:
    """The latest crawl runs, newest first (IP-office staff only)."""
    with app_state(request).database.session() as session:
        runs = build(session, site=site or None, status=status or None, limit=limit).runs
    return [CrawlRunOut(id=run.id, site=run.site, status=run.status, health=health(run), started_at=run.started_at,
                        finished_at=run.finished_at,
                        duration_s=run.duration.total_seconds() if run.duration else None, counts=run.counts,
                        exit_code=run.exit_code, error=run.error,
                        log_url=f"/crawls/{run.id}/log" if run.log else None) for run in runs]
