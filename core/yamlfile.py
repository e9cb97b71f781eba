"""Read a YAML file into a pydantic model, or say every thing to fix in it as `file:line: field: message`:

    watchlist.yaml:14: marks[3].kind: 'brand' is not one of trademark, gi, old_brand

Watchlists, site profiles and the monitoring plan are read this way; a `FileKind` holds what differs
between them (what the file is called, what its top level holds, the words for some fields' mistakes).
"""

from __future__ import annotations

import codecs
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .problems import FileProblems, Problem, explain, yaml_problem

M = TypeVar("M", bound=BaseModel)
Loc = tuple[str | int, ...]
Lines = dict[Loc, int]
Check = Callable[[Path, dict[str, Any], Lines], list[Problem]]


@dataclass(frozen=True, slots=True)
class FileKind:
    """One kind of YAML file, as the messages about it name it and say what it must hold."""

    name: str  # "watchlist"
    top: str  # what the top level holds, said to a file that holds a list or a single value
    empty: str | None  # what to write in an empty file; None: an empty file means every default
    error: type[FileProblems] = FileProblems
    deep: str | None = None  # said to a file nested hundreds of levels deep (default: a general sentence)
    reserved: tuple[str, ...] = ()  # fields the reader sets, never the file
    patterns: Mapping[str, str] = field(default_factory=dict)  # field → what its pattern asks for
    empty_lists: Mapping[str, str] = field(default_factory=dict)  # list field → what to say when it is empty


def read_model(path: Path, model: type[M], kind: FileKind, *, check: Check | None = None) -> M:
    """The `model` in the YAML file `path`; raises `kind.error` listing every problem, each with its line.

    `check(path, data, lines)` adds problems the model cannot see (another file it names, say); it gets
    the data as parsed and the line of every field, and runs whether the model validated or not."""
    try:
        return _read(path, model, kind, check)
    except RecursionError:  # PyYAML and pydantic recurse once per level: a hostile file must not crash us
        deep = kind.deep or (f"nested too deeply to be a {kind.name} (brackets or indentation hundreds of levels"
                             " deep): check for unclosed [ or {")
        raise kind.error([Problem(path, None, None, deep)]) from None


def _read(path: Path, model: type[M], kind: FileKind, check: Check | None) -> M:
    text = _read_text(path, kind)
    try:
        data, node = _parse(text)
    except yaml.YAMLError as exc:
        raise kind.error([yaml_problem(path, text, exc)]) from None
    if node is None or data is None:
        if kind.empty is not None:
            raise kind.error([Problem(path, None, None, f"the file is empty: {kind.empty}")])
        data, node = {}, None
    if not isinstance(data, dict):
        what = "a list" if isinstance(data, list) else "a single value"
        raise kind.error([Problem(path, 1, None, f"the file holds {what}, but {kind.top}")])
    lines, problems = _line_map(path, node) if node is not None else ({}, [])
    valid = _validate(path, model, kind, data, lines, problems)
    if check is not None:
        problems += check(path, data, lines)
    if problems or valid is None:
        raise kind.error(_under_repeated_keys_dropped(problems))
    return valid


def field_name(loc: Loc) -> str:
    """`("marks", 3, "kind")` as `marks[3].kind`."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _read_text(path: Path, kind: FileKind) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise kind.error([Problem(path, None, None, "file not found: check the name and folder")]) from None
    except IsADirectoryError:
        raise kind.error([Problem(path, None, None, f"is a folder: give the {kind.name} file inside it")]) from None
    except OSError as exc:
        raise kind.error([Problem(path, None, None, f"cannot be read: {exc.strerror}")]) from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        guess = " (it looks like GBK, the Chinese Windows default)" if _is_gbk(data) else ""
        raise kind.error([Problem(path, line, None, f"this line is not UTF-8 text{guess}: save the file with the"
                                  " encoding UTF-8 (Notepad: Save As → Encoding: UTF-8)")]) from None


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


def _line_map(path: Path, root: Node) -> tuple[Lines, list[Problem]]:
    """Line of every field path (a key's own line for mapping entries); also flags repeated keys."""
    lines: Lines = {}
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


def _line_of(loc: Loc, lines: Lines) -> int | None:
    """The line of `loc`, or of the nearest enclosing entry that the file has (a missing field's mark)."""
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None


def _validate(path: Path, model: type[M], kind: FileKind, data: dict[str, Any], lines: Lines,
              problems: list[Problem]) -> M | None:
    for reserved in kind.reserved:
        if reserved in data:  # set by the reader, never by the file
            allowed = ", ".join(_fields_at(model, (reserved,), kind.reserved))
            problems.append(Problem(path, lines.get((reserved,)), reserved, f"unknown field (allowed: {allowed})"))
    data = {key: value for key, value in data.items() if key not in kind.reserved}
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            if error["type"] == "too_short" and len(error["input"]) >= error["ctx"]["min_length"]:
                continue  # pydantic counts only the entries that validated; those that did not are reported
            loc = tuple(error["loc"])
            message = explain(error, _fields_at(model, loc, kind.reserved), patterns=kind.patterns,
                              empty_lists=kind.empty_lists)
            problems.append(Problem(path, _line_of(loc, lines), field_name(loc) or None, message))
        return None


def _fields_at(model: type[BaseModel], loc: Loc, reserved: tuple[str, ...]) -> list[str]:
    """Field names allowed in the entry that holds `loc`, for 'unknown field' messages."""
    inner: type[BaseModel] | None = model
    for part in loc[:-1]:
        if isinstance(part, str) and inner is not None and part in inner.model_fields:
            inner = _model_in(inner.model_fields[part].annotation)
    if inner is None:
        return []
    return [name for name in inner.model_fields if not (inner is model and name in reserved)]


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (tuple, list, typing.Union, types.UnionType):
        return next(filter(None, map(_model_in, typing.get_args(annotation))), None)
    return None


def _under_repeated_keys_dropped(problems: list[Problem]) -> list[Problem]:
    """Without the problems found inside a key written twice: YAML keeps the second, the lines name the
    first, so what they would say about it is wrong; 'appears twice' is the one thing to fix there."""
    repeated = [problem.field for problem in problems if problem.field and problem.message.startswith("appears twice")]
    return [problem for problem in problems
            if problem.message.startswith("appears twice") or not any(
                problem.field and problem.field.startswith((f"{key}.", f"{key}[")) for key in repeated)]
