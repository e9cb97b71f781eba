"""Read a site profile YAML file, or say what to fix in it as file:line: field: message."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .profile import SiteProfile
from ..watchlist.errors import Problem, explain, yaml_problem
from ..watchlist.loader import field_name

Loc = tuple[str | int, ...]


class ProfileError(Exception):
    """A site profile that cannot be used; `problems` lists every thing to fix."""

    remedy = "fix each line listed, then run `ipwatch sites check FILE` again"

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: p.line or 0)
        super().__init__("\n".join(str(problem) for problem in self.problems))


def read_profile(path: Path) -> SiteProfile:
    """The validated profile in `path`; raises `ProfileError` naming the line and field of each mistake."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = "not UTF-8 text" if isinstance(exc, UnicodeDecodeError) else (exc.strerror or str(exc))
        raise ProfileError([Problem(path, None, None, f"cannot be read: {reason}")]) from None
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        raise ProfileError([yaml_problem(path, text, exc)]) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict) or node is None:
        raise ProfileError([Problem(path, 1, None, "a site profile is a block of 'field: value' lines"
                                                   " starting with 'name:'")])
    try:
        return SiteProfile.model_validate(data)
    except ValidationError as exc:
        lines = _lines(node)
        problems = [Problem(path, _line_of(tuple(error["loc"]), lines), field_name(tuple(error["loc"])) or None,
                            explain(error, _allowed(tuple(error["loc"]))))
                    for error in exc.errors(include_url=False)]
        raise ProfileError(problems) from None


def _lines(root: Node) -> dict[Loc, int]:
    lines: dict[Loc, int] = {}
    stack: list[tuple[Loc, Node]] = [((), root)]
    while stack:
        loc, node = stack.pop()
        lines.setdefault(loc, node.start_mark.line + 1)
        if isinstance(node, MappingNode):
            for key, value in node.value:
                if isinstance(key, ScalarNode):
                    lines.setdefault((*loc, key.value), key.start_mark.line + 1)
                    stack.append(((*loc, key.value), value))
        elif isinstance(node, SequenceNode):
            stack.extend(((*loc, index), item) for index, item in enumerate(node.value))
    return lines


def _line_of(loc: Loc, lines: dict[Loc, int]) -> int | None:
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None


def _allowed(loc: Loc) -> list[str]:
    """Field names of the model that holds `loc`, for 'unknown field' hints."""
    model: Any = SiteProfile
    for part in loc[:-1]:
        fields = getattr(model, "model_fields", None)
        if isinstance(part, str) and fields and part in fields:
            annotation = fields[part].annotation
            inner = [arg for arg in getattr(annotation, "__args__", ()) if hasattr(arg, "model_fields")]
            model = inner[0] if inner else annotation
    return list(getattr(model, "model_fields", {}))
