"""The triage queue and the alert page: filter, sort, select, move, merge, allow-list, export."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ...alerts.allowlist import PatternRefused, add_pattern, open_alerts_covered
from ...alerts.workflow import STATES, TransitionRefused, move
from .. import cases, exports
from ..access import visible_alert, visible_alerts
from ..alert_view import alert_detail
from ..auth import app_state, current_user, verify_csrf
from ..clock import office_zone, parse_day
from ..pages import back, flash, render
from ..queue_cache import compute_page
from ..triage import AlertFilter, find_alerts
from ..users import User
from . import BodyId, ObjectId

router = APIRouter(include_in_schema=False)
CurrentUser = Annotated[User, Depends(current_user)]


@router.get("/")
def home(user: CurrentUser) -> Response:
    """The queue is the home page."""
    return RedirectResponse("/alerts", status_code=303)


@router.get("/alerts", response_class=HTMLResponse)
async def queue_page(request: Request, user: CurrentUser, f: Annotated[AlertFilter, Query()]) -> Response:
    """The triage queue with its filters, bulk actions and keyboard shortcuts."""
    state, cache = app_state(request), app_state(request).queue_cache
    # The data version came with the signed-in user (web/auth.py). A page kept for it is served
    # here, on the event loop; computing one reads the database, in a worker thread.
    version = getattr(request.state, "queue_version", None)
    if cache is None:
        page = await run_in_threadpool(compute_page, state.database, user, f, office_zone(state.settings))
    else:
        kept = cache.kept(user, f, version)
        page = kept if kept is not None else await run_in_threadpool(cache.page, state.database, user, f, version)
    return render(request, "queue.html", items=page.items, total=page.total, f=f, options=page.options,
                  rows=page.rows)


@router.get("/alerts/export.{fmt}")
def export(request: Request, fmt: str, user: CurrentUser, f: Annotated[AlertFilter, Query()]) -> Response:
    """The filtered view (every page of it) as CSV or Excel."""
    if fmt not in ("csv", "xlsx"):
        return Response("export as .csv or .xlsx", status_code=404, media_type="text/plain")
    state = app_state(request)
    zone = office_zone(state.settings)
    with state.database.session() as session:
        items, _ = find_alerts(session, user, f, zone, export=True)
    if fmt == "csv":
        return Response(exports.to_csv(items, zone), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="ipwatch-alerts.csv"'})
    return Response(exports.to_xlsx(items, zone),
                    media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": 'attachment; filename="ipwatch-alerts.xlsx"'})


@router.post("/alerts/bulk", dependencies=[Depends(verify_csrf)])
def bulk(request: Request, user: CurrentUser, action: str = Form(..., max_length=40),
         ids: list[BodyId] = Form(default_factory=list), note: str = Form("", max_length=5000)) -> Response:
    """Apply one move, a merge or 'assign to me' to the selected alerts."""
    if not ids:
        flash(request, "Select alerts first (x toggles the row under the cursor).", "error")
        return back(request, "/alerts")
    try:
        with app_state(request).database.session() as session:
            alerts = visible_alerts(session, user, ids)
            if action == "merge":
                case = cases.merge(session, alerts, user)
                message = f"Merged {len(alerts)} alert(s) into case {case.id}."
            elif action == "assign_me":
                for case in {c.id: c for c in (cases.ensure_case(session, a, user.username) for a in alerts)}.values():
                    cases.assign(session, case, user.username, user)
                message = f"Assigned the cases of {len(alerts)} alert(s) to you."
            elif action in STATES:
                moved = cases.move_alerts(session, alerts, action, user, note=note or None)
                message = f"{len(alerts)} alert(s) in {len(moved)} case(s) → {STATES[action]}."
            else:
                raise TransitionRefused(f"unknown action '{action}'")
    except TransitionRefused as exc:
        flash(request, f"Nothing changed: {exc}", "error")
    else:
        flash(request, message)
    return back(request, "/alerts")


@router.get("/alerts/{alert_id}", response_class=HTMLResponse)
def alert_page(request: Request, alert_id: ObjectId, user: CurrentUser) -> Response:
    """One alert: listing beside mark, reasons, evidence, seller, case and audit trail."""
    state = app_state(request)
    with state.database.session() as session:
        detail = alert_detail(session, user, alert_id, state.settings)
        return render(request, "alert.html", d=detail)


@router.post("/alerts/{alert_id}/move", dependencies=[Depends(verify_csrf)])
def move_alert(request: Request, alert_id: ObjectId, user: CurrentUser, to_state: str = Form(..., max_length=30),
               note: str = Form("", max_length=5000), counter_notice_date: str = Form("", max_length=40)) -> Response:
    """Move the alert's case to another workflow state."""
    state = app_state(request)
    try:
        with state.database.session() as session:
            alert = visible_alert(session, user, alert_id)
            case = cases.ensure_case(session, alert, user.username)
            move(session, case, to_state, user.username, note=note or None,
                 counter_notice_at=parse_day(counter_notice_date, office_zone(state.settings)))
    except TransitionRefused as exc:
        flash(request, f"Not moved: {exc}", "error")
    else:
        flash(request, f"Case {case.id} → {STATES[to_state]}.")
    return RedirectResponse(f"/alerts/{alert_id}", status_code=303)


@router.post("/alerts/{alert_id}/allow", dependencies=[Depends(verify_csrf)])
def allow(request: Request, alert_id: ObjectId, user: CurrentUser, field: str = Form(..., max_length=20),
          pattern: str = Form(..., max_length=200), close_matching: bool = Form(False)) -> Response:
    """Allow-list a seller or title phrase for the alert's mark; optionally close the new alerts it covers."""
    try:
        with app_state(request).database.session() as session:
            alert = visible_alert(session, user, alert_id)
            added = add_pattern(session, alert.mark_id, field, pattern, user.username)
            closed = 0
            if close_matching:
                covered = open_alerts_covered(session, added)
                cases.move_alerts(session, covered, "false_positive", user, note=f"allow-listed: {added}")
                closed = len(covered)
    except (PatternRefused, TransitionRefused) as exc:
        flash(request, f"Not allow-listed: {exc}", "error")
    else:
        flash(request, f"Allow-listed for this mark: {added}." + (f" {closed} new alert(s) closed as false positives."
                                                                   if close_matching else ""))
    return RedirectResponse(f"/alerts/{alert_id}", status_code=303)
