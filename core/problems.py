"""What can be wrong with a file someone edits (a watchlist, a site profile, the plan), said so that they
can fix it: `file:line: field: message`."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic_core import ErrorDetails


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing to fix in a file: where it is (file, line, field) and what is wrong."""

    file: Path
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else f"{self.file}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class FileProblems(Exception):
    """A file that cannot be used; `problems` lists every thing to fix, in file order."""

    remedy = "fix each line listed, then check the file again"

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (str(p.file), p.line or 0))
        super().__init__("\n".join(str(problem) for problem in self.problems))


def shown(value: Any) -> str:
    """A value as the file's author would recognise it, shortened if long."""
    if isinstance(value, str):
        text = f"'{value}'"
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, dict):
        return "a block of 'field: value' lines"
    elif isinstance(value, list):
        return "a list"
    elif isinstance(value, date):
        text = value.isoformat()
    else:
        text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _not_text(value: Any) -> str:
    if value is None:
        return "has no value: write it after the ':' or delete the line"
    if isinstance(value, bool):
        return f"was read as {shown(value)} (YAML reads yes/no/on/off that way): put it in quotes"
    if isinstance(value, int | float | date):
        return f"{shown(value)} must be text: put it in quotes, '{value}'"
    return f"must be text, not {shown(value)}"


def _not_list(value: Any) -> str:
    if value is None:
        return "is empty: list the entries, or delete the line"
    if isinstance(value, str | int | float):
        return f"{shown(value)} is not a list: write [{value}], or put each entry on its own line after '- '"
    return f"must be a list, not {shown(value)}"


def _choices(expected: str) -> str:
    """`'trademark', 'gi' or 'old_brand'` (pydantic's wording) as `trademark, gi, old_brand`."""
    return ", ".join(part.strip(" '\"") for part in expected.replace(" or ", ", ").split(","))


def explain(error: ErrorDetails, allowed: list[str], *, patterns: Mapping[str, str],
            empty_lists: Mapping[str, str]) -> str:
    """One pydantic validation error as a sentence; `allowed` are the fields where it occurred.

    `patterns` says, per field, what its pattern asks for (said after the value: "'Nike' is not a
    valid id: ..."); `empty_lists` what to say of a list field left without entries."""
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx", {})
    name = next((part for part in reversed(error["loc"]) if isinstance(part, str)), "")
    if kind == "missing":
        return f"required field is missing: add a line '{name}: ...'"
    if kind == "extra_forbidden":
        guess = difflib.get_close_matches(str(name), allowed, n=1)
        hint = f" — did you mean '{guess[0]}'?" if guess else ""
        return f"unknown field (allowed: {', '.join(allowed)}){hint}"
    if kind == "literal_error":
        choices = _choices(ctx["expected"])
        guess = [choice for choice in choices.split(", ") if choice == str(value).strip().lower()]
        hint = f" — did you mean '{guess[0]}'?" if guess else ""
        return f"{shown(value)} is not one of {choices}{hint}"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"{shown(value)} is not an integer"
    if kind in ("float_parsing", "float_type"):
        return f"{shown(value)} is not a number"
    if kind == "string_type":
        return _not_text(value)
    if kind in ("tuple_type", "list_type"):
        return empty_lists[name] if value is None and name in empty_lists else _not_list(value)
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"must be a block of 'field: value' lines ({', '.join(allowed[:3])}, ...), not {shown(value)}"
    if kind == "string_pattern_mismatch":
        return f"{shown(value)} {patterns.get(name, 'does not have the expected form')}"
    if kind == "string_too_short":
        if ctx.get("min_length") == 1:
            return "must not be empty"
        return f"{shown(value)} is too short: at least {ctx['min_length']} characters"
    if kind == "string_too_long":
        return f"{shown(value)} is too long: at most {ctx['max_length']} characters"
    if kind == "too_short":
        return empty_lists.get(name) or f"needs at least {ctx['min_length']} entries"
    if kind == "greater_than":
        return f"{shown(value)} must be more than {ctx['gt']:g}"
    if kind == "value_error":
        return error["msg"].removeprefix("Value error, ")
    return error["msg"]


_YAML_HINTS = {  # PyYAML's wording → what to do about it
    "found character '\\t'": "a tab is used for indentation: indent with spaces only",
    "mapping values are not allowed here": (
        "a ':' where none is expected: if a value contains ': ' put it in quotes,"
        " otherwise check the indentation"
    ),
    "could not find expected ':'": "a field has no ':' after its name",
    "found unexpected end of stream": "a quote is opened but never closed",
    "expected ',' or ']'": "a list opened with '[' is not closed with ']'",
    "expected ',' or '}'": "a mapping opened with '{' is not closed with '}'",
    "expected <block end>": "the indentation does not line up with the lines above",
    "but found another document": "the file holds more than one document ('---'): keep one",
}
_USE_CONTEXT_LINE = ("could not find expected ':'", "found unexpected end of stream", "expected ',' or")


def yaml_problem(file: Path, text: str, exc: yaml.YAMLError) -> Problem:
    """A YAML syntax error as a Problem on the line where the mistake most likely is."""
    if isinstance(exc, yaml.reader.ReaderError):
        line = text.count("\n", 0, exc.position) + 1
        return Problem(file, line, None, f"a character that YAML does not allow (code {exc.character!r}): delete it")
    assert isinstance(exc, yaml.MarkedYAMLError)
    problem = exc.problem or exc.context or "unreadable YAML"
    mark = exc.problem_mark or exc.context_mark
    if exc.context_mark is not None and any(key in problem for key in _USE_CONTEXT_LINE):
        mark = exc.context_mark
    hint = next((hint for key, hint in _YAML_HINTS.items() if key in problem), None)
    message = f"not valid YAML: {hint} ({problem})" if hint else f"not valid YAML: {problem}"
    return Problem(file, mark.line + 1 if mark else None, None, message)
