"""Case pages: the list with SLA clocks, one case with its workflow, comments, merges and notices."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import func, select

from ...alerts.workflow import CLOSED, STATES, TransitionRefused, clock, move
from ...core.storage.models import CaseAlertRow, CaseRow, NoticeRow, UserRow
from .. import cases, notices
from ..access import NotVisible, visible_alerts, visible_case
from ..alert_view import case_view
from ..auth import app_state, current_user, verify_csrf
from ..clock import office_zone, parse_day
from ..pages import back, flash, render
from ..users import User
from . import BodyId, ObjectId

router = APIRouter(include_in_schema=False)
CurrentUser = Annotated[User, Depends(current_user)]


@router.get("/cases", response_class=HTMLResponse)
def case_list(request: Request, user: CurrentUser, show: str = "open") -> Response:
    """Cases with their state, clock, size and assignee; open ones by default."""
    with app_state(request).database.session() as session:
        query = select(CaseRow, func.count(CaseAlertRow.alert_id)).join(
            CaseAlertRow, CaseAlertRow.case_id == CaseRow.id, isouter=True).group_by(CaseRow.id)
        if not user.sees_all:
            query = query.where(CaseRow.owner == user.owner)
        if show == "open":
            query = query.where(CaseRow.state.not_in(CLOSED))
        elif show == "mine":
            query = query.where(CaseRow.assignee_id == user.id)
        rows = session.execute(query.order_by(CaseRow.updated_at.desc()).limit(500)).all()
        listed = [(row, n, clock(row.state, row.state_since, row.counter_notice_at),
                   row.assignee.username if row.assignee else None) for row, n in rows]
    listed.sort(key=lambda item: (item[2] is None, item[2].due if item[2] else item[0].updated_at))
    return render(request, "cases.html", cases=listed, show=show)


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case_page(request: Request, case_id: ObjectId, user: CurrentUser) -> Response:
    """One case: its alerts, state and clock, moves, comments and notices."""
    with app_state(request).database.session() as session:
        row = visible_case(session, user, case_id)
        view = case_view(session, row)
        staff = list(session.scalars(select(UserRow.username).where(
            UserRow.active.is_(True), (UserRow.role != "owner") | (UserRow.owner == row.owner))
            .order_by(UserRow.username)))
        return render(request, "case.html", c=view, staff=staff)


def _done(request: Request, case_id: int, message: str | None, error: Exception | None) -> Response:
    if error is not None:
        flash(request, f"Nothing changed: {error}", "error")
    elif message:
        flash(request, message)
    return back(request, f"/cases/{case_id}")  # to the alert or case page the form was on


@router.post("/cases/{case_id}/move", dependencies=[Depends(verify_csrf)])
def move_case(request: Request, case_id: ObjectId, user: CurrentUser, to_state: str = Form(..., max_length=30),
              note: str = Form("", max_length=5000), counter_notice_date: str = Form("", max_length=40)) -> Response:
    """Move the case (and every alert in it) to another state."""
    state = app_state(request)
    try:
        with state.database.session() as session:
            case = visible_case(session, user, case_id)
            move(session, case, to_state, user.username, note=note or None,
                 counter_notice_at=parse_day(counter_notice_date, office_zone(state.settings)))
    except TransitionRefused as exc:
        return _done(request, case_id, None, exc)
    return _done(request, case_id, f"Case {case_id} → {STATES[to_state]}.", None)


@router.post("/cases/{case_id}/comment", dependencies=[Depends(verify_csrf)])
def comment(request: Request, case_id: ObjectId, user: CurrentUser, body: str = Form(..., max_length=5000)) -> Response:
    """Add a comment."""
    try:
        with app_state(request).database.session() as session:
            cases.comment(session, visible_case(session, user, case_id), body, user)
    except TransitionRefused as exc:
        return _done(request, case_id, None, exc)
    return _done(request, case_id, "Comment added.", None)


@router.post("/cases/{case_id}/assign", dependencies=[Depends(verify_csrf)])
def assign(request: Request, case_id: ObjectId, user: CurrentUser, assignee: str = Form("", max_length=80)) -> Response:
    """Give the case to someone (or to nobody)."""
    try:
        with app_state(request).database.session() as session:
            cases.assign(session, visible_case(session, user, case_id), assignee or None, user)
    except TransitionRefused as exc:
        return _done(request, case_id, None, exc)
    return _done(request, case_id, f"Assigned to {assignee}." if assignee else "Unassigned.", None)


@router.post("/cases/{case_id}/merge", dependencies=[Depends(verify_csrf)])
def merge(request: Request, case_id: ObjectId, user: CurrentUser,
          ids: list[BodyId] = Form(default_factory=list)) -> Response:
    """Bring the selected related alerts (and their cases) into this case."""
    try:
        with app_state(request).database.session() as session:
            case = visible_case(session, user, case_id)
            cases.merge(session, visible_alerts(session, user, ids), user, into=case)
    except TransitionRefused as exc:
        return _done(request, case_id, None, exc)
    return _done(request, case_id, f"Merged {len(ids)} alert(s) into case {case_id}.", None)


@router.post("/cases/{case_id}/notices", dependencies=[Depends(verify_csrf)])
def create_notice(request: Request, case_id: ObjectId, user: CurrentUser,
                  site: str = Form(..., max_length=80)) -> Response:
    """Generate the takedown notice to one marketplace."""
    state = app_state(request)
    try:
        with state.database.session() as session:
            row = notices.create_notice(session, visible_case(session, user, case_id), site, user.username,
                                        office_zone(state.settings))
    except TransitionRefused as exc:
        return _done(request, case_id, None, exc)
    return _done(request, case_id, f"Notice #{row.id} to {site} generated: download it as PDF or text.", None)


def _visible_notice(request: Request, user: User, notice_id: int) -> NoticeRow:
    with app_state(request).database.session() as session:
        row = session.get(NoticeRow, notice_id)
        if row is None:
            raise NotVisible(f"notice {notice_id}")
        visible_case(session, user, row.case_id)
        return row


def _file_name(row: NoticeRow) -> str:
    return f"notice-{row.id}-" + re.sub(r"[^A-Za-z0-9_-]", "_", row.site)[:40]


@router.get("/notices/{notice_id}.txt")
def notice_text(request: Request, notice_id: ObjectId, user: CurrentUser) -> Response:
    """A notice as plain UTF-8 text."""
    row = _visible_notice(request, user, notice_id)
    return Response(row.body, media_type="text/plain; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{_file_name(row)}.txt"'})


@router.get("/notices/{notice_id}.pdf")
def notice_pdf(request: Request, notice_id: ObjectId, user: CurrentUser) -> Response:
    """A notice as PDF."""
    row = _visible_notice(request, user, notice_id)
    return Response(notices.render_pdf(row), media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{_file_name(row)}.pdf"'})
