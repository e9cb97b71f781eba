"""The JSON API (documented at /api/openapi.json): the same powers and limits as the pages.

Sign in through /login (the API shares the session cookie); send the CSRF token from
`GET /api/me` as the `X-CSRF-Token` header with every POST.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Security
from fastapi.security import APIKeyCookie, APIKeyHeader
from sqlalchemy import select
from sqlalchemy.orm import Session

from ...alerts.allowlist import add_pattern, patterns
from ...alerts.workflow import STATES, move
from ...core.storage.models import CaseRow, MarkRow, NoticeRow
from .. import cases, notices
from ..access import NotVisible, scoped, visible_alert, visible_alerts, visible_case, visible_mark
from ..alert_view import alert_detail, case_view
from ..auth import CSRF_HEADER, SESSION_COOKIE, app_state, csrf_token, current_user, verify_csrf
from ..clock import office_zone
from ..dashboard import Dimension, build
from ..triage import AlertFilter, alert_item, find_alerts
from ..users import User
from . import ObjectId
from .api_models import (
    AlertOut,
    AlertPage,
    BulkIn,
    BulkOut,
    CaseOut,
    CommentIn,
    CommentOut,
    Count,
    DashboardOut,
    Event,
    MarkOut,
    Me,
    MoveIn,
    NoticeIn,
    NoticeOut,
    PatternIn,
    PatternOut,
    Problem,
)

_cookie = APIKeyCookie(name=SESSION_COOKIE, auto_error=False, description="the session cookie set by /login")
_csrf = APIKeyHeader(name=CSRF_HEADER, auto_error=False, description="the csrf_token of GET /api/me; POST only")


def api_user(request: Request, _session: str | None = Security(_cookie), _token: str | None = Security(_csrf)) -> User:
    """The signed-in user (the security parameters only document the cookie and header)."""
    return current_user(request)


ERRORS: dict[int | str, dict[str, Any]] = {401: {"model": Problem, "description": "not signed in"},
          403: {"model": Problem, "description": "missing CSRF token, or not allowed for this role"},
          404: {"model": Problem, "description": "no such thing, or not yours to see"}}
CHANGE_ERRORS: dict[int | str, dict[str, Any]] = {
    **ERRORS, 409: {"model": Problem, "description": "the workflow does not allow this now"}}

router = APIRouter(prefix="/api", tags=["triage"], dependencies=[Depends(verify_csrf)], responses=ERRORS)
ApiUser = Annotated[User, Depends(api_user)]
MarkId = Annotated[str, Path(max_length=80, pattern=r"^[a-z0-9][a-z0-9._-]*$", examples=["guyang-huangqi"])]


def _case_out(session: Session, row: CaseRow) -> CaseOut:
    view = case_view(session, row)
    return CaseOut(id=row.id, owner=row.owner, state=row.state, state_label=STATES.get(row.state, row.state),
                   state_since=row.state_since, assignee=view.assignee, alert_ids=[a.id for a in view.alerts],
                   due=view.clock.due if view.clock else None, due_is_legal=bool(view.clock and view.clock.legal),
                   allowed_moves=list(view.moves), counter_notice_at=row.counter_notice_at,
                   notice_ids=[n.id for n in view.notices], sites=view.sites)


def _notice_out(row: NoticeRow) -> NoticeOut:
    return NoticeOut(id=row.id, case_id=row.case_id, site=row.site, sha256=row.sha256, created_by=row.created_by,
                     created_at=row.created_at, body=row.body, pdf_url=f"/notices/{row.id}.pdf",
                     text_url=f"/notices/{row.id}.txt")


@router.get("/me", response_model=Me)
def me(request: Request, user: ApiUser) -> Me:
    """Who is signed in, and the CSRF token to send with POSTs."""
    return Me(username=user.username, role=user.role, owner=user.owner, csrf_token=csrf_token(request))


@router.get("/alerts", response_model=AlertPage)
def list_alerts(request: Request, user: ApiUser, f: Annotated[AlertFilter, Query()]) -> AlertPage:
    """The triage queue: filter, sort and page through the alerts you may see."""
    state = app_state(request)
    with state.database.session() as session:
        items, total = find_alerts(session, user, f, office_zone(state.settings))
    return AlertPage(total=total, items=items)


@router.get("/alerts/{alert_id}", response_model=AlertOut)
def get_alert(request: Request, alert_id: ObjectId, user: ApiUser) -> AlertOut:
    """One alert with its reasons, case, related alerts and audit trail."""
    state = app_state(request)
    with state.database.session() as session:
        d = alert_detail(session, user, alert_id, state.settings)
        return AlertOut(
            alert=alert_item(session, user, alert_id), reasons=list(d.reasons), matched_text=d.diff.mark_text,
            similarity=d.diff.similarity, case=_case_out(session, d.case.row) if d.case else None,
            related=[{"id": a.id, "why": why, "state": a.state} for a, why in d.related],
            events=[Event(at=e.at, actor=e.actor, action=e.action, from_state=e.from_state, to_state=e.to_state,
                          detail=e.detail or {}) for e in d.events],
            allowed_moves=list(d.moves))


@router.post("/alerts/{alert_id}/move", response_model=CaseOut, responses=CHANGE_ERRORS)
def move_alert(request: Request, alert_id: ObjectId, body: MoveIn, user: ApiUser) -> CaseOut:
    """Move the alert's case (and every alert in it) to another workflow state."""
    with app_state(request).database.session() as session:
        alert = visible_alert(session, user, alert_id)
        case = cases.ensure_case(session, alert, user.username)
        move(session, case, body.to_state, user.username, note=body.note, counter_notice_at=body.counter_notice_at)
        return _case_out(session, case)


@router.post("/alerts/bulk", response_model=BulkOut, responses=CHANGE_ERRORS)
def bulk(request: Request, body: BulkIn, user: ApiUser) -> BulkOut:
    """Move or merge many alerts at once; all or nothing."""
    with app_state(request).database.session() as session:
        alerts = visible_alerts(session, user, body.alert_ids)
        if body.action == "merge":
            return BulkOut(case_ids=[cases.merge(session, alerts, user).id])
        moved = cases.move_alerts(session, alerts, body.action, user, note=body.note)
        return BulkOut(case_ids=sorted(c.id for c in moved))


@router.get("/cases/{case_id}", response_model=CaseOut)
def get_case(request: Request, case_id: ObjectId, user: ApiUser) -> CaseOut:
    """One case: state, clock, moves open to it, alerts and notices."""
    with app_state(request).database.session() as session:
        return _case_out(session, visible_case(session, user, case_id))


@router.post("/cases/{case_id}/move", response_model=CaseOut, responses=CHANGE_ERRORS)
def move_case(request: Request, case_id: ObjectId, body: MoveIn, user: ApiUser) -> CaseOut:
    """Move a case to another workflow state."""
    with app_state(request).database.session() as session:
        case = visible_case(session, user, case_id)
        move(session, case, body.to_state, user.username, note=body.note, counter_notice_at=body.counter_notice_at)
        return _case_out(session, case)


@router.post("/cases/{case_id}/comments", response_model=CommentOut, responses=CHANGE_ERRORS)
def add_comment(request: Request, case_id: ObjectId, body: CommentIn, user: ApiUser) -> CommentOut:
    """Comment on a case."""
    with app_state(request).database.session() as session:
        row = cases.comment(session, visible_case(session, user, case_id), body.body, user)
        return CommentOut(id=row.id, author=row.author, body=row.body, at=row.at)


@router.post("/cases/{case_id}/notices", response_model=NoticeOut, responses=CHANGE_ERRORS)
def create_notice(request: Request, case_id: ObjectId, body: NoticeIn, user: ApiUser) -> NoticeOut:
    """Generate the takedown notice of a confirmed case to one marketplace."""
    state = app_state(request)
    with state.database.session() as session:
        row = notices.create_notice(session, visible_case(session, user, case_id), body.site, user.username,
                                    office_zone(state.settings))
        return _notice_out(row)


@router.get("/notices/{notice_id}", response_model=NoticeOut)
def get_notice(request: Request, notice_id: ObjectId, user: ApiUser) -> NoticeOut:
    """A generated notice, with links to its PDF and text."""
    with app_state(request).database.session() as session:
        row = session.get(NoticeRow, notice_id)
        if row is None:
            raise NotVisible(f"notice {notice_id}")
        visible_case(session, user, row.case_id)
        return _notice_out(row)


@router.get("/marks", response_model=list[MarkOut])
def list_marks(request: Request, user: ApiUser) -> list[MarkOut]:
    """The marks you may see."""
    with app_state(request).database.session() as session:
        rows = session.scalars(scoped(select(MarkRow), user).order_by(MarkRow.id))
        return [MarkOut(id=r.id, name=r.name, kind=r.kind, owner=r.owner, region=r.region) for r in rows]


@router.get("/marks/{mark_id}/allow", response_model=list[PatternOut])
def list_patterns(request: Request, mark_id: MarkId, user: ApiUser) -> list[PatternOut]:
    """A mark's allow-list patterns."""
    with app_state(request).database.session() as session:
        visible_mark(session, user, mark_id)
        return [PatternOut(id=p.id, mark_id=p.mark_id, field=p.field, pattern=p.pattern)
                for p in patterns(session, mark_id).get(mark_id, [])]


@router.post("/marks/{mark_id}/allow", response_model=PatternOut, responses=CHANGE_ERRORS)
def allow(request: Request, mark_id: MarkId, body: PatternIn, user: ApiUser) -> PatternOut:
    """Allow-list a seller or a title phrase for a mark: the match stage skips what it covers."""
    with app_state(request).database.session() as session:
        visible_mark(session, user, mark_id)
        p = add_pattern(session, mark_id, body.field, body.pattern, user.username, body.note)
        return PatternOut(id=p.id, mark_id=p.mark_id, field=p.field, pattern=p.pattern)


@router.get("/dashboard", response_model=DashboardOut)
def dashboard(request: Request, user: ApiUser, by: Dimension = "severity",
              days: Annotated[int, Query(ge=7, le=366)] = 30) -> DashboardOut:
    """The dashboard's numbers: alerts per day by one dimension, totals, sellers, time to resolution."""
    state = app_state(request)
    with state.database.session() as session:
        board = build(session, user, office_zone(state.settings), days=days, by=by)
    median = board.median_to_resolution
    return DashboardOut(
        days=board.days, by=board.by, series=board.series,
        totals={name: [Count(name=k, count=v) for k, v in counter.most_common()]
                for name, counter in board.totals.items()},
        top_sellers=[Count(name=k, count=v) for k, v in board.top_sellers], resolved=board.resolved,
        median_days_to_resolution=round(median.total_seconds() / 86400, 2) if median else None, total=board.total)
