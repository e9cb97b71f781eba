"""Marks in the database: load a watchlist in (idempotently), read marks and reference hashes out."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.clock import utcnow
from ..core.images import BadImage, compute_hashes
from ..core.problems import Problem
from ..core.storage.models import ImageRow, MarkImageRow, MarkRow, MarkVariantRow
from .errors import WatchlistError
from .records import Mark, Watchlist

OWN_VARIANTS = ("name", "alias")  # other sources (generated spellings) belong to the matchers


@dataclass(frozen=True, slots=True)
class UpsertReport:
    """What loading a watchlist changed, as mark ids."""

    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{len(self.added)} added, {len(self.updated)} updated, {len(self.unchanged)} unchanged"


def upsert_marks(session: Session, watchlist: Watchlist) -> UpsertReport:
    """Add or update every mark of `watchlist`; marks not in it are kept (see `remove_marks`)."""
    source = str(watchlist.source) if watchlist.source else None
    added, updated, unchanged = [], [], []
    for mark in watchlist.marks:
        images = _images(session, mark)
        row = session.get(MarkRow, mark.id)
        if row is None:
            row = MarkRow(id=mark.id)
            session.add(row)
            added.append(mark.id)
        elif _unchanged(session, row, mark, source, images):
            unchanged.append(mark.id)
            continue
        else:
            updated.append(mark.id)
        _fill(row, mark, source)
        session.flush()
        _sync_images(session, mark.id, images)
    session.flush()
    return UpsertReport(tuple(added), tuple(updated), tuple(unchanged))


def remove_marks(session: Session, ids: Iterable[str]) -> list[str]:
    """Delete these marks with their variants, image links, matches and alerts; returns the ids found."""
    rows = session.scalars(select(MarkRow).where(MarkRow.id.in_(list(ids))).order_by(MarkRow.id)).all()
    for row in rows:
        session.delete(row)
    session.flush()
    return [row.id for row in rows]


def load_marks(session: Session) -> list[Mark]:
    """Every stored mark, rebuilt from the validated record it was loaded from, by id."""
    return [Mark.model_validate(record) for record in
            session.scalars(select(MarkRow.record).order_by(MarkRow.id))]


def reference_hashes(session: Session) -> dict[str, list[tuple[str, str]]]:
    """Mark id → [(reference image file name, phash hex)], for every stored mark."""
    hashes: dict[str, list[tuple[str, str]]] = {
        mark_id: [] for mark_id in session.scalars(select(MarkRow.id).order_by(MarkRow.id))
    }
    rows = session.execute(
        select(MarkImageRow.mark_id, MarkImageRow.name, ImageRow.phash)
        .join(ImageRow, MarkImageRow.image_id == ImageRow.id)
        .where(ImageRow.phash.is_not(None))
        .order_by(MarkImageRow.mark_id, MarkImageRow.name)
    )
    for mark_id, name, phash in rows:
        hashes[mark_id].append((name, str(phash)))  # not None: the query says so
    return hashes


def _images(session: Session, mark: Mark) -> dict[int, str]:
    """Image row id → file name for each reference image of `mark`, hashing images not yet stored."""
    images: dict[int, str] = {}
    for path in mark.images:
        images.setdefault(_image_row(session, path).id, path.name)
    return images


def _image_row(session: Session, path: Path) -> ImageRow:
    try:
        data = path.read_bytes()
    except OSError as exc:
        problem = Problem(path, None, None, f"reference image cannot be read: {exc.strerror}")
        raise WatchlistError([problem]) from None
    sha256 = hashlib.sha256(data).hexdigest()
    row = session.scalar(select(ImageRow).where(ImageRow.sha256 == sha256))
    if row is not None:
        return row
    try:
        hashes = compute_hashes(data)
    except BadImage as exc:
        problem = Problem(path, None, None, f"cannot be used as a reference image: {exc.reason}")
        raise WatchlistError([problem]) from None
    row = ImageRow(sha256=sha256, path=str(path), width=hashes.width, height=hashes.height,
                   format=hashes.format, phash=hashes.phash, dhash=hashes.dhash, whash=hashes.whash,
                   colorhash=hashes.colorhash, segments=",".join(hashes.segments), detail=hashes.detail)
    session.add(row)
    session.flush()
    return row


def _variants(mark: Mark) -> dict[str, str]:
    wanted: dict[str, str] = {}
    for text, source in [(mark.name, "name"), *((alias, "alias") for alias in mark.aliases)]:
        wanted.setdefault(text, source)
    return wanted


def _links(session: Session, mark_id: str) -> dict[int, MarkImageRow]:
    return {link.image_id: link for link in
            session.scalars(select(MarkImageRow).where(MarkImageRow.mark_id == mark_id))}


def _unchanged(session: Session, row: MarkRow, mark: Mark, source: str | None, images: dict[int, str]) -> bool:
    stored_variants = {v.text: v.source for v in row.variants if v.source in OWN_VARIANTS}
    stored_images = {image_id: link.name for image_id, link in _links(session, row.id).items()}
    return (row.record == mark.model_dump(mode="json") and row.source == source
            and stored_variants == _variants(mark) and stored_images == images)


def _fill(row: MarkRow, mark: Mark, source: str | None) -> None:
    row.name, row.kind, row.owner = mark.name, mark.kind, mark.owner
    row.owner_email, row.region = mark.owner_email, mark.region
    row.record = mark.model_dump(mode="json")
    row.source = source
    row.updated_at = utcnow()
    wanted = _variants(mark)
    for variant in list(row.variants):
        if variant.source in OWN_VARIANTS and variant.text not in wanted:
            row.variants.remove(variant)
    existing = {variant.text: variant for variant in row.variants}
    for text, kind in wanted.items():
        if text in existing:
            existing[text].source = kind  # a generated spelling that is now named in the file
        else:
            row.variants.append(MarkVariantRow(text=text, source=kind))


def _sync_images(session: Session, mark_id: str, images: dict[int, str]) -> None:
    links = _links(session, mark_id)
    for image_id, link in links.items():
        if image_id not in images:
            session.delete(link)
        else:
            link.name = images[image_id]
    for image_id, name in images.items():
        if image_id not in links:
            session.add(MarkImageRow(mark_id=mark_id, image_id=image_id, name=name))
