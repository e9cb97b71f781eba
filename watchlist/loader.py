"""Read a watchlist YAML file into a validated `Watchlist`, or say what to fix, line by line."""

from __future__ import annotations

import codecs
import types
import typing
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..core.images import MAX_FILE_BYTES, BadImage, open_image
from .errors import Problem, WatchlistError, explain, yaml_problem
from .records import Watchlist

Loc = tuple[str | int, ...]


TOO_DEEP = ("nested too deeply to be a watchlist (brackets or indentation hundreds of levels deep): a watchlist"
            " needs four levels at most; check for unclosed [ or {")


def load_watchlist(path: Path) -> Watchlist:
    """The watchlist in `path`, image paths made absolute; raises `WatchlistError` listing every problem."""
    try:
        return _load(path)
    except RecursionError:  # PyYAML and pydantic recurse once per level: a hostile file must not crash us
        raise WatchlistError([Problem(path, None, None, TOO_DEEP)]) from None


def _load(path: Path) -> Watchlist:
    text = _read_text(path)
    try:
        data, node = _parse(text)
    except yaml.YAMLError as exc:
        raise WatchlistError([yaml_problem(path, text, exc)]) from None
    if node is None or data is None:
        raise WatchlistError([Problem(path, None, None, "the file is empty: a watchlist starts with a line"
                                      " 'marks:' followed by one entry per mark")])
    if not isinstance(data, dict):
        what = "a list" if isinstance(data, list) else "a single value"
        raise WatchlistError([Problem(path, 1, None, f"the file holds {what}, but a watchlist starts with"
                                      " a line 'marks:' with the marks indented under it")])
    lines, problems = _line_map(path, node)
    watchlist = _validate(path, data, lines, problems)
    problems += _duplicate_ids(path, data, lines) + _image_problems(path, data, lines)
    if problems or watchlist is None:
        raise WatchlistError(_under_repeated_keys_dropped(problems))
    folder = path.resolve().parent
    marks = tuple(mark.model_copy(update={"images": tuple((folder / image).resolve() for image in mark.images)})
                  for mark in watchlist.marks)
    return watchlist.model_copy(update={"marks": marks, "source": path.resolve()})


def _under_repeated_keys_dropped(problems: list[Problem]) -> list[Problem]:
    """Without the problems found inside a key written twice: YAML keeps the second, the lines name the
    first, so what they would say about it is wrong; 'appears twice' is the one thing to fix there."""
    repeated = [problem.field for problem in problems if problem.field and problem.message.startswith("appears twice")]
    return [problem for problem in problems
            if problem.message.startswith("appears twice") or not any(
                problem.field and problem.field.startswith((f"{field}.", f"{field}[")) for field in repeated)]


def field_name(loc: Loc) -> str:
    """`("marks", 3, "kind")` as `marks[3].kind`."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise WatchlistError([Problem(path, None, None, "file not found: check the name and folder")]) from None
    except IsADirectoryError:
        raise WatchlistError([Problem(path, None, None, "is a folder: give the watchlist file inside it")]) from None
    except OSError as exc:
        raise WatchlistError([Problem(path, None, None, f"cannot be read: {exc.strerror}")]) from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        guess = " (it looks like GBK, the Chinese Windows default)" if _is_gbk(data) else ""
        raise WatchlistError([Problem(path, line, None, f"this line is not UTF-8 text{guess}: save the file"
                                      " with the encoding UTF-8 (Notepad: Save As → Encoding: UTF-8)")]) from None


def _is_gbk(data: bytes) -> bool:
    try:
        data.decode("gbk")
    except UnicodeDecodeError:
        return False
    return True


def _parse(text: str) -> tuple[Any, Node | None]:
    """The constructed data and the node tree (which keeps line numbers) from one parse."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        return (loader.construct_document(node) if node is not None else None), node
    finally:
        loader.dispose()


def _line_map(path: Path, root: Node) -> tuple[dict[Loc, int], list[Problem]]:
    """Line of every field path (a key's own line for mapping entries); also flags repeated keys."""
    lines: dict[Loc, int] = {}
    problems: list[Problem] = []
    stack: list[tuple[Loc, Node]] = [((), root)]
    seen: set[int] = set()
    while stack:
        loc, node = stack.pop()
        lines.setdefault(loc, node.start_mark.line + 1)
        if id(node) in seen:  # an alias (*name) refers back to a node already walked
            continue
        seen.add(id(node))
        if isinstance(node, MappingNode):
            for key, value in node.value:
                if not isinstance(key, ScalarNode):
                    continue
                sub = (*loc, key.value)
                if sub in lines:
                    problems.append(Problem(path, key.start_mark.line + 1, field_name(sub),
                                            f"appears twice in this entry (first on line {lines[sub]}): keep one"))
                    continue
                lines[sub] = key.start_mark.line + 1
                stack.append((sub, value))
        elif isinstance(node, SequenceNode):
            stack.extend(((*loc, index), item) for index, item in enumerate(node.value))
    return lines, problems


def _line_of(loc: Loc, lines: dict[Loc, int]) -> int | None:
    """The line of `loc`, or of the nearest enclosing entry that the file has (a missing field's mark)."""
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None


def _validate(path: Path, data: dict[str, Any], lines: dict[Loc, int],
              problems: list[Problem]) -> Watchlist | None:
    if "source" in data:  # set by the loader, never by the file
        problems.append(Problem(path, lines.get(("source",)), "source", "unknown field (allowed: marks)"))
        data = {key: value for key, value in data.items() if key != "source"}
    try:
        return Watchlist.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            if error["type"] == "too_short" and len(error["input"]) >= error["ctx"]["min_length"]:
                continue  # pydantic counts only the entries that validated; those that did not are reported
            loc = tuple(error["loc"])
            problems.append(Problem(path, _line_of(loc, lines), field_name(loc) or None,
                                    explain(error, _fields_at(loc))))
        return None


def _fields_at(loc: Loc) -> list[str]:
    """Field names allowed in the entry that holds `loc`, for 'unknown field' messages."""
    model: type[BaseModel] | None = Watchlist
    for part in loc[:-1]:
        if isinstance(part, str) and model is not None and part in model.model_fields:
            model = _model_in(model.model_fields[part].annotation)
    if model is None:
        return []
    return [name for name in model.model_fields if not (model is Watchlist and name == "source")]


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (tuple, list, typing.Union, types.UnionType):
        return next(filter(None, map(_model_in, typing.get_args(annotation))), None)
    return None


def _raw_marks(data: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    marks = data.get("marks")
    if not isinstance(marks, list):
        return []
    return [(index, mark) for index, mark in enumerate(marks) if isinstance(mark, dict)]


def _duplicate_ids(path: Path, data: dict[str, Any], lines: dict[Loc, int]) -> list[Problem]:
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


def _image_problems(path: Path, data: dict[str, Any], lines: dict[Loc, int]) -> list[Problem]:
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

