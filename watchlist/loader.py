"""Read a watchlist YAML file into a validated `Watchlist`, or say what to fix, line by line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..core.images import MAX_FILE_BYTES, BadImage, open_image
from ..core.problems import Problem
from ..core.yamlfile import FileKind, Lines, field_name, read_model
from .errors import WatchlistError
from .records import Watchlist

TOO_DEEP = ("nested too deeply to be a watchlist (brackets or indentation hundreds of levels deep): a watchlist"
            " needs four levels at most; check for unclosed [ or {")
_NO_MARKS = "has no marks: add at least one mark under 'marks:'"
WATCHLIST = FileKind(
    "watchlist", error=WatchlistError, deep=TOO_DEEP, reserved=("source",),
    empty="a watchlist starts with a line 'marks:' followed by one entry per mark",
    top="a watchlist starts with a line 'marks:' with the marks indented under it",
    patterns={"id": "is not a valid id: use lowercase letters a-z, digits and . _ - only (for example"
                    " 'guyang-huangqi')",
              "owner_email": "is not an email address (expected something like ip@example.org)"},
    empty_lists={"marks": _NO_MARKS},
)


def load_watchlist(path: Path) -> Watchlist:
    """The watchlist in `path`, image paths made absolute; raises `WatchlistError` listing every problem."""
    watchlist = read_model(path, Watchlist, WATCHLIST, check=_marks_problems)
    folder = path.resolve().parent
    marks = tuple(mark.model_copy(update={"images": tuple((folder / image).resolve() for image in mark.images)})
                  for mark in watchlist.marks)
    return watchlist.model_copy(update={"marks": marks, "source": path.resolve()})


def _marks_problems(path: Path, data: dict[str, Any], lines: Lines) -> list[Problem]:
    """What the model cannot see: two marks with one id, reference images that are missing or unreadable."""
    return _duplicate_ids(path, data, lines) + _image_problems(path, data, lines)


def _raw_marks(data: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    marks = data.get("marks")
    if not isinstance(marks, list):
        return []
    return [(index, mark) for index, mark in enumerate(marks) if isinstance(mark, dict)]


def _duplicate_ids(path: Path, data: dict[str, Any], lines: Lines) -> list[Problem]:
    first: dict[str, int] = {}
    problems = []
    for index, mark in _raw_marks(data):
        mark_id = mark.get("id")
        if not isinstance(mark_id, str):
            continue
        if mark_id in first:
            loc = ("marks", index, "id")
            earlier = first[mark_id]
            problems.append(Problem(path, lines.get(loc), field_name(loc),
                                    f"'{mark_id}' is already the id of marks[{earlier}] on line "
                                    f"{lines.get(('marks', earlier, 'id'))}: every mark needs its own id"))
        else:
            first[mark_id] = index
    return problems


def _image_problems(path: Path, data: dict[str, Any], lines: Lines) -> list[Problem]:
    """Reference images are resolved against the watchlist's folder; each must be a readable image."""
    folder = path.resolve().parent
    problems = []
    for index, mark in _raw_marks(data):
        images = mark.get("images")
        for position, name in enumerate(images if isinstance(images, list) else []):
            if isinstance(name, str) and name.strip():
                loc = ("marks", index, "images", position)
                message = _image_problem(name, folder / name)
                if message:
                    problems.append(Problem(path, lines.get(loc), field_name(loc), message))
    return problems


def _image_problem(name: str, file: Path) -> str | None:
    if not file.exists():
        return f"image file not found: looked for {file.resolve()} (paths are relative to the watchlist's folder)"
    if not file.is_file():
        return f"'{name}' is a folder, not an image file"
    try:
        size = file.stat().st_size  # measured before reading: a listed file may be gigabytes (or sparse)
        if size > MAX_FILE_BYTES:
            return (f"'{name}' has {size:,} bytes; a reference image may have at most {MAX_FILE_BYTES:,}:"
                    " save a smaller PNG or JPEG")
        with file.open("rb") as handle:
            open_image(handle.read(MAX_FILE_BYTES + 1))  # capped too, should the file grow meanwhile
    except OSError as exc:
        return f"'{name}' cannot be read: {exc.strerror}"
    except BadImage as exc:
        return f"'{name}' cannot be used as a reference image: {exc.reason}; save it as PNG or JPEG"
    return None

