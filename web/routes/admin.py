"""Administration: marks and reference images, watchlist import/export, accounts, sites."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import func, select

from ...alerts.allowlist import PatternRefused, add_pattern, patterns, remove_pattern
from ...core.storage.models import CrawlRunRow, ListingRow, MarkImageRow, MarkRow, SiteRow
from ...spiders.profile import profile_names
from ...watchlist.errors import WatchlistError
from .. import users as accounts
from .. import watchlist_admin as wl
from ..auth import app_state, require_admin, verify_csrf
from ..pages import flash, render
from ..users import User
from . import ObjectId

router = APIRouter(prefix="/admin", include_in_schema=False)
Admin = Annotated[User, Depends(require_admin)]
MAX_UPLOAD = wl.MAX_UPLOAD
UPLOAD_BODY = MAX_UPLOAD + 1024 * 1024  # the request limit of upload routes: the file and its form around it


async def _read_upload(upload: UploadFile) -> bytes:
    data = await upload.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise wl.FormProblems({"file": f"larger than {MAX_UPLOAD // (1024 * 1024)} MB"})
    return data


@router.get("/marks", response_class=HTMLResponse)
def marks(request: Request, user: Admin) -> Response:
    """Every mark with its owner, images and alert count; import and export."""
    with app_state(request).database.session() as session:
        rows = session.scalars(select(MarkRow).order_by(MarkRow.id)).all()
        images = dict(session.execute(select(MarkImageRow.mark_id, func.count()).group_by(MarkImageRow.mark_id)).all())
        return render(request, "admin_marks.html", marks=rows, images=images)


@router.get("/marks/new", response_class=HTMLResponse)
def new_mark(request: Request, user: Admin) -> Response:
    """An empty mark form."""
    return render(request, "admin_mark.html", mark=None, values=wl.form_values(None), problems={}, patterns=[],
                  images=[])


@router.get("/marks/{mark_id}", response_class=HTMLResponse)
def edit_mark(request: Request, mark_id: str, user: Admin) -> Response:
    """The form of one mark, its reference images and allow-list."""
    with app_state(request).database.session() as session:
        row = session.get(MarkRow, mark_id)
        if row is None:
            return render(request, "error.html", status_code=404, message=f"No mark '{mark_id}'.")
        return render(request, "admin_mark.html", mark=row, values=wl.form_values(row), problems={},
                      patterns=patterns(session, mark_id).get(mark_id, []),
                      images=[p.name for p in wl.stored_images(row)])


@router.post("/marks", dependencies=[Depends(verify_csrf)])
async def save_mark(request: Request, user: Admin) -> Response:
    """Create or update a mark from the form."""
    form = await request.form()
    state = app_state(request)
    mark_id = str(form.get("id") or "").strip()
    try:
        with state.database.session() as session:
            row = session.get(MarkRow, mark_id) if mark_id else None
            if row is None and form.get("existing"):
                raise wl.FormProblems({"id": "the id of an existing mark cannot change"})
            mark = wl.mark_from_form(form, wl.stored_images(row))
            report = wl.save_mark(session, mark)
    except wl.FormProblems as exc:
        with state.database.session() as session:
            row = session.get(MarkRow, mark_id) if mark_id else None
            return render(request, "admin_mark.html", status_code=422, mark=row, values=dict(form),
                          problems=exc.problems, patterns=[], images=[p.name for p in wl.stored_images(row)])
    flash(request, f"Mark {mark.id} saved ({report}).")
    return RedirectResponse(f"/admin/marks/{mark.id}", status_code=303)


@router.post("/marks/{mark_id}/images", dependencies=[Depends(verify_csrf)], max_body_size=UPLOAD_BODY)
async def upload_image(request: Request, mark_id: str, user: Admin, image: UploadFile = File(...)) -> Response:
    """Add a reference image to a mark."""
    state = app_state(request)
    try:
        data = await _read_upload(image)
        with state.database.session() as session:
            path = wl.add_reference_image(session, state.settings, mark_id, image.filename or "image", data)
    except wl.FormProblems as exc:
        flash(request, f"Image not added: {exc}", "error")
    else:
        flash(request, f"Reference image {path.name} added.")
    return RedirectResponse(f"/admin/marks/{mark_id}", status_code=303)


@router.post("/marks/{mark_id}/images/remove", dependencies=[Depends(verify_csrf)])
def remove_image(request: Request, mark_id: str, user: Admin, name: str = Form(..., max_length=300)) -> Response:
    """Remove a reference image from a mark."""
    with app_state(request).database.session() as session:
        removed = wl.remove_reference_image(session, mark_id, name)
    flash(request, f"Removed {name}." if removed else f"{name} was not an image of this mark.",
          "ok" if removed else "error")
    return RedirectResponse(f"/admin/marks/{mark_id}", status_code=303)


@router.post("/marks/{mark_id}/allow", dependencies=[Depends(verify_csrf)])
def add_allow(request: Request, mark_id: str, user: Admin, field: str = Form(..., max_length=20),
              pattern: str = Form(..., max_length=200), note: str = Form("", max_length=2000)) -> Response:
    """Allow-list a seller or a title phrase for this mark."""
    try:
        with app_state(request).database.session() as session:
            added = add_pattern(session, mark_id, field, pattern, user.username, note or None)
    except PatternRefused as exc:
        flash(request, f"Not allow-listed: {exc}", "error")
    else:
        flash(request, f"Allow-listed: {added}.")
    return RedirectResponse(f"/admin/marks/{mark_id}", status_code=303)


@router.post("/marks/{mark_id}/allow/{pattern_id}/remove", dependencies=[Depends(verify_csrf)])
def drop_allow(request: Request, mark_id: str, pattern_id: ObjectId, user: Admin) -> Response:
    """Remove an allow-list pattern."""
    with app_state(request).database.session() as session:
        removed = remove_pattern(session, pattern_id)
    flash(request, f"Removed {removed}." if removed else "No such pattern.", "ok" if removed else "error")
    return RedirectResponse(f"/admin/marks/{mark_id}", status_code=303)


@router.post("/watchlist/import", dependencies=[Depends(verify_csrf)], max_body_size=UPLOAD_BODY)
async def import_watchlist(request: Request, user: Admin, file: UploadFile = File(...)) -> Response:
    """Load an uploaded watchlist YAML file."""
    state = app_state(request)
    try:
        data = await _read_upload(file)
        with state.database.session() as session:
            report = wl.import_yaml(session, state.settings, file.filename or "watchlist.yaml", data)
    except WatchlistError as exc:
        lines = "; ".join(f"line {p.line}: {p.field + ': ' if p.field else ''}{p.message}" if p.line else p.message
                          for p in exc.problems[:5])
        flash(request, f"Watchlist not imported: {lines}", "error")
    except wl.FormProblems as exc:
        flash(request, f"Watchlist not imported: {exc}", "error")
    else:
        flash(request, f"Watchlist imported: {report}.")
    return RedirectResponse("/admin/marks", status_code=303)


@router.get("/watchlist/export")
def export_watchlist(request: Request, user: Admin) -> Response:
    """Every mark as a watchlist YAML file."""
    with app_state(request).database.session() as session:
        text = wl.export_yaml(session)
    return Response(text, media_type="application/yaml; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="watchlist.yaml"'})


@router.get("/users", response_class=HTMLResponse)
def users(request: Request, user: Admin) -> Response:
    """Accounts, and a form to add one."""
    with app_state(request).database.session() as session:
        return render(request, "admin_users.html", accounts=accounts.list_users(session),
                      owners=accounts.owner_names(session), roles=accounts.ROLES)


@router.post("/users", dependencies=[Depends(verify_csrf)])
def add_user(request: Request, user: Admin, username: str = Form(..., max_length=80),
             password: str = Form(..., max_length=1000), role: str = Form(..., max_length=10),
             owner: str = Form("", max_length=200)) -> Response:
    """Create an account."""
    try:
        with app_state(request).database.session() as session:
            added = accounts.add_user(session, username, password, role, owner or None)
    except accounts.UserError as exc:
        flash(request, f"Account not created: {exc}", "error")
    else:
        flash(request, f"Account {added.username} ({added.role}) created.")
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/users/{username}/active", dependencies=[Depends(verify_csrf)])
def set_active(request: Request, username: str, user: Admin, active: bool = Form(...)) -> Response:
    """Enable or disable an account (not one's own)."""
    if username == user.username:
        flash(request, "You cannot disable your own account.", "error")
        return RedirectResponse("/admin/users", status_code=303)
    try:
        with app_state(request).database.session() as session:
            accounts.set_active(session, username, active)
    except accounts.UserError as exc:
        flash(request, str(exc), "error")
    else:
        flash(request, f"{username} {'enabled' if active else 'disabled'}.")
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/users/{username}/password", dependencies=[Depends(verify_csrf)])
def reset_password(request: Request, username: str, user: Admin,
                   password: str = Form(..., max_length=1000)) -> Response:
    """Give an account a new password; its open sessions end."""
    try:
        with app_state(request).database.session() as session:
            accounts.set_password(session, username, password)
    except accounts.UserError as exc:
        flash(request, f"Password not changed: {exc}", "error")
    else:
        flash(request, f"New password set for {username}.")
    return RedirectResponse("/admin/users", status_code=303)


@router.get("/sites", response_class=HTMLResponse)
def sites(request: Request, user: Admin) -> Response:
    """Crawled sites with their listings and last crawl, and the site profiles available."""
    with app_state(request).database.session() as session:
        listed = []
        for site in session.scalars(select(SiteRow).order_by(SiteRow.name)):
            listings = session.scalar(select(func.count(ListingRow.id)).where(ListingRow.site_id == site.id))
            last = session.scalar(select(CrawlRunRow).where(CrawlRunRow.site_id == site.id)
                                  .order_by(CrawlRunRow.started_at.desc()).limit(1))
            listed.append((site, listings, last))
        return render(request, "admin_sites.html", sites=listed, profiles=profile_names())
