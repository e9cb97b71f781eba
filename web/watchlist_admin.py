"""Watchlist management from the browser: edit a mark, upload reference images, import and export YAML.

Every change goes through the same door as `ipwatch watchlist load`: a `Mark` validated by
pydantic, stored by `watchlist.store.upsert_marks`. Uploaded files are kept under data_dir
(`references/<mark>/`, `imports/`) so the stored paths stay valid after the upload.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.clock import utcnow
from ..core.images import BadImage, open_image
from ..core.settings import Settings
from ..core.storage.models import MarkRow
from ..core.yamlfile import field_name
from ..watchlist.errors import WatchlistError
from ..watchlist.loader import load_watchlist
from ..watchlist.records import Mark, Watchlist
from ..watchlist.store import UpsertReport, upsert_marks

MAX_UPLOAD = 8 * 1024 * 1024
LIST_FIELDS = ("aliases", "authorized_sellers", "nice_classes")
TEXT_FIELDS = ("id", "name", "kind", "owner", "owner_email", "notify", "region", "registration_number")


class FormProblems(ValueError):
    """A form that does not make a valid mark: field → what to fix."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))
        self.problems = problems


def form_values(row: MarkRow | None) -> dict[str, str]:
    """A stored mark as the edit form shows it (lists one item per line)."""
    if row is None:
        return {"kind": "trademark", "notify": "immediate"}
    record = row.record or {}
    values = {name: "" if record.get(name) is None else str(record.get(name)) for name in TEXT_FIELDS}
    for name in LIST_FIELDS:
        values[name] = "\n".join(str(item) for item in record.get(name) or ())
    price = record.get("reference_price") or {}
    values["price_amount"] = str(price.get("amount", "")) if price else ""
    values["price_unit"] = price.get("unit") or "" if price else ""
    return values


def _lines(text: str) -> list[str]:
    return [line.strip() for line in re.split(r"[\n,，、]", text or "") if line.strip()]


def mark_from_form(form: Mapping[str, Any], images: tuple[Path, ...]) -> Mark:
    """The `Mark` a submitted form describes, keeping `images`; `FormProblems` if it is not valid."""
    data: dict[str, Any] = {name: (str(form.get(name) or "").strip() or None) for name in TEXT_FIELDS}
    data = {k: v for k, v in data.items() if v is not None}
    data["aliases"] = _lines(str(form.get("aliases", "")))
    data["authorized_sellers"] = _lines(str(form.get("authorized_sellers", "")))
    problems: dict[str, str] = {}
    try:
        data["nice_classes"] = [int(n) for n in _lines(str(form.get("nice_classes", "")))]
    except ValueError:
        problems["nice_classes"] = "give class numbers 1-45, one per line or separated by commas"
    amount = str(form.get("price_amount") or "").strip()
    if amount:
        try:
            data["reference_price"] = {"amount": float(amount), "currency": "CNY",
                                       "unit": str(form.get("price_unit") or "").strip() or None}
        except ValueError:
            problems["price_amount"] = "give the usual price as a number, e.g. 25 or 120.5"
    data["images"] = [str(path) for path in images]
    if problems:
        raise FormProblems(problems)
    try:
        return Mark.model_validate(data)
    except ValidationError as exc:
        raise FormProblems({field_name(tuple(error["loc"])) or "mark": error["msg"]
                            for error in exc.errors()}) from None


def stored_images(row: MarkRow | None) -> tuple[Path, ...]:
    """The reference image paths a stored mark names."""
    return tuple(Path(p) for p in ((row.record or {}).get("images") or ())) if row else ()


def save_mark(session: Session, mark: Mark) -> UpsertReport:
    """Add or update one mark, keeping the watchlist file it came from as its source."""
    row = session.get(MarkRow, mark.id)
    source = Path(row.source) if row is not None and row.source else None
    try:
        return upsert_marks(session, Watchlist(marks=(mark,), source=source))
    except WatchlistError as exc:
        raise FormProblems({"images": "; ".join(p.message for p in exc.problems)}) from None


def _safe_stem(name: str) -> str:
    """A file name's stem reduced to ASCII letters, digits, . _ - (uploaded names are untrusted)."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", Path(name or "upload").stem).strip(".-_") or "upload"
    return stem[:60]


def add_reference_image(session: Session, settings: Settings, mark_id: str, filename: str, data: bytes) -> Path:
    """Keep an uploaded reference image for a mark and hash it in; `FormProblems` if it is not an image."""
    row = session.get(MarkRow, mark_id)
    if row is None:
        raise FormProblems({"mark": f"no mark '{mark_id}'"})
    if len(data) > MAX_UPLOAD:
        raise FormProblems({"image": f"the file has {len(data)} bytes; the limit is {MAX_UPLOAD}"})
    try:
        image = open_image(data)
    except BadImage as exc:
        problem = f"cannot be used as a reference image: {exc.reason}; upload PNG or JPEG"
        raise FormProblems({"image": problem}) from None
    folder = settings.data_dir / "references" / mark_id
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{hashlib.sha256(data).hexdigest()[:12]}-{_safe_stem(filename)}.png"
    image.convert("RGB").save(path, format="PNG")  # re-encoded: nothing but pixels is kept
    mark = Mark.model_validate({**(row.record or {}), "images": [*map(str, stored_images(row)), str(path)]})
    save_mark(session, mark)
    return path


def remove_reference_image(session: Session, mark_id: str, name: str) -> bool:
    """Drop one reference image (by file name) from a mark; True if it had it."""
    row = session.get(MarkRow, mark_id)
    if row is None:
        return False
    kept = [p for p in stored_images(row) if p.name != name]
    if len(kept) == len(stored_images(row)):
        return False
    save_mark(session, Mark.model_validate({**(row.record or {}), "images": [str(p) for p in kept]}))
    return True


def import_yaml(session: Session, settings: Settings, filename: str, data: bytes) -> UpsertReport:
    """Load an uploaded watchlist file; `WatchlistError` lists its problems line by line."""
    if len(data) > MAX_UPLOAD:
        raise FormProblems({"file": f"the file has {len(data)} bytes; the limit is {MAX_UPLOAD}"})
    folder = settings.data_dir / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{utcnow():%Y%m%dT%H%M%S%f}-{_safe_stem(filename)}.yaml"
    path.write_bytes(data)
    return upsert_marks(session, load_watchlist(path))


def export_yaml(session: Session) -> str:
    """Every stored mark as a watchlist file that `ipwatch watchlist load` (or import) reads back."""
    marks = [Mark.model_validate(record) for record in
             session.scalars(select(MarkRow.record).order_by(MarkRow.id))]
    entries = [mark.model_dump(mode="json", exclude_defaults=True) for mark in marks]
    header = f"# exported by ipwatch on {utcnow():%Y-%m-%d %H:%M} UTC; image paths are absolute on that server\n"
    return header + yaml.safe_dump({"marks": entries}, allow_unicode=True, sort_keys=False, width=100)

