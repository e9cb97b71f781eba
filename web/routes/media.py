"""Images and evidence files, served only to those who may see the alert or mark they belong to."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from ...core.storage.models import AlertRow, EvidenceRow, ImageRow, ListingImageRow, MarkImageRow
from ..access import NotVisible, visible_alert, visible_mark
from ..auth import app_state, current_user
from ..evidence import check, resolve
from ..users import User
from . import ObjectId, Position

router = APIRouter(include_in_schema=False)
CurrentUser = Annotated[User, Depends(current_user)]
IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp",
               "BMP": "image/bmp"}
SCREENSHOT_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp"}
PRIVATE = {"Cache-Control": "private, max-age=3600", "X-Content-Type-Options": "nosniff"}


def _inside(root: Path, path: Path) -> Path:
    resolved = path.resolve()
    if not resolved.is_relative_to(root.resolve()) or not resolved.is_file():
        raise NotVisible(str(path.name))
    return resolved


def _image_response(row: ImageRow, path: Path) -> FileResponse:
    # Only decoded raster formats are served, with their own type: never HTML or SVG from a marketplace.
    media_type = IMAGE_TYPES.get((row.format or "").upper())
    if media_type is None:
        raise NotVisible(f"image {row.id} ({row.format or 'unknown format'})")
    return FileResponse(path, media_type=media_type, headers=PRIVATE)


@router.get("/media/alerts/{alert_id}/images/{position}")
def listing_image(request: Request, alert_id: ObjectId, position: Position, user: CurrentUser) -> Response:
    """The listing's image at `position`, as downloaded during the crawl."""
    state = app_state(request)
    with state.database.session() as session:
        alert = visible_alert(session, user, alert_id)
        row = session.scalar(select(ImageRow).join(ListingImageRow, ListingImageRow.image_id == ImageRow.id)
                             .where(ListingImageRow.listing_id == alert.listing_id,
                                    ListingImageRow.position == position))
        if row is None or not row.path or row.error:
            raise NotVisible(f"image {position} of alert {alert_id}")
        path = _inside(state.settings.images_dir, state.settings.images_dir / row.path)
    return _image_response(row, path)


@router.get("/media/marks/{mark_id}/images/{name}")
def reference_image(request: Request, mark_id: str, name: str, user: CurrentUser) -> Response:
    """One reference image of a mark (the stored path, never one built from the URL)."""
    with app_state(request).database.session() as session:
        visible_mark(session, user, mark_id)
        row = session.scalar(select(ImageRow).join(MarkImageRow, MarkImageRow.image_id == ImageRow.id)
                             .where(MarkImageRow.mark_id == mark_id, MarkImageRow.name == name))
        if row is None or not row.path or not Path(row.path).is_file():
            raise NotVisible(f"reference image {name}")
    return _image_response(row, Path(row.path))


@router.get("/evidence/{evidence_id}")
def evidence_file(request: Request, evidence_id: ObjectId, user: CurrentUser) -> Response:
    """An evidence file as a download (never rendered inline: captured HTML is hostile)."""
    state = app_state(request)
    with state.database.session() as session:
        row = session.get(EvidenceRow, evidence_id)
        if row is None:
            raise NotVisible(f"evidence {evidence_id}")
        alert_ids = _alerts_of_listing(session, row.listing_id) if row.alert_id is None else [row.alert_id]
        if not any(_may_see(session, user, alert_id) for alert_id in alert_ids):
            raise NotVisible(f"evidence {evidence_id}")
        path = resolve(state.settings.evidence_dir, row.path)
        status = check(row, state.settings.evidence_dir)
        if path is None or status in ("missing", "refused"):
            raise NotVisible(f"evidence {evidence_id} ({status})")
    media_type = SCREENSHOT_TYPES.get(path.suffix.lower()) if row.kind == "screenshot" else None
    return FileResponse(path, media_type=media_type or "application/octet-stream", filename=path.name,
                        headers={**PRIVATE, "X-Evidence-Status": status, "X-Evidence-SHA256": row.sha256},
                        content_disposition_type="inline" if media_type else "attachment")


def _alerts_of_listing(session: Session, listing_id: int) -> list[int]:
    return list(session.scalars(select(AlertRow.id).where(AlertRow.listing_id == listing_id)))


def _may_see(session: Session, user: User, alert_id: int) -> bool:
    try:
        visible_alert(session, user, alert_id)
    except NotVisible:
        return False
    return True
