"""The JSON a marketplace page embeds in its scripts, and the small path language profiles use on it.

A path is dot-separated steps from a named script (`detail.item.title`):

- `name` a key; `0` a list index; `*` any key or element (the first that leads to a value);
- `[key=value]` the list element whose `key` equals `value` (`data.*.data.[name=品牌].value`);
- a trailing `|filter`: `cents` (÷100), `urldecode`, `text` (strip HTML tags), `all` (every value, as a list),
  `join` (every value's text run together: Xianyu's price parts ['¥', '38', '.5'] → '¥38.5').
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import unquote

MAX_SCRIPT_CHARS = 5_000_000  # larger embedded blobs are not parsed
_DECODER = json.JSONDecoder()
_TAGS = re.compile(r"<[^>]+>")
_FILTER = re.compile(r"^(?P<key>[^=\]]+)=(?P<value>.*)$")


def embedded(text: str, scripts: Mapping[str, str]) -> dict[str, Any]:
    """Each named JSON value found in `text` after its regex ('' = the whole text is JSON)."""
    found: dict[str, Any] = {}
    for name, pattern in scripts.items():
        value = _whole(text) if pattern == "" else _after(text, pattern)
        if value is not None:
            found[name] = value
    return found


def _whole(text: str) -> Any:
    stripped = text.strip()
    if not stripped or len(stripped) > MAX_SCRIPT_CHARS or stripped[0] not in "[{":
        return None
    try:
        return json.loads(stripped)
    except ValueError:
        return None


def _after(text: str, pattern: str) -> Any:
    for match in re.finditer(pattern, text):
        start = match.end()
        while start < len(text) and text[start] in " \t\r\n":
            start += 1
        if start >= len(text) or text[start] not in "[{":
            continue
        try:
            value, end = _DECODER.raw_decode(text[start:start + MAX_SCRIPT_CHARS])
        except ValueError:
            continue
        return value
    return None


def _steps(path: str) -> tuple[list[str], str | None]:
    body, _, name = path.partition("|")
    steps: list[str] = []
    for part in re.findall(r"\[[^\]]*\]|[^.\[\]]+", body):
        steps.append(part)
    return steps, (name.strip() or None)


def _walk(node: Any, steps: list[str]) -> Iterator[Any]:
    if not steps:
        if node not in (None, "", [], {}):
            yield node
        return
    step, rest = steps[0], steps[1:]
    if step == "*":
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        for child in children:
            yield from _walk(child, rest)
    elif step.startswith("[") and isinstance(node, list):
        match = _FILTER.match(step[1:-1])
        if match:
            for child in node:
                if isinstance(child, dict) and str(child.get(match["key"])) == match["value"]:
                    yield from _walk(child, rest)
    elif isinstance(node, dict) and step in node:
        yield from _walk(node[step], rest)
    elif isinstance(node, list) and step.isdigit() and int(step) < len(node):
        yield from _walk(node[int(step)], rest)


def _apply(value: Any, name: str | None) -> Any:
    if name == "cents":
        try:
            return float(value) / 100
        except (TypeError, ValueError):
            return None
    if name == "urldecode" and isinstance(value, str):
        return unquote(value)
    if name == "text" and isinstance(value, str):
        return " ".join(html.unescape(_TAGS.sub("", value)).split())
    return value


def lookup(root: Any, path: str) -> Any:
    """The first value `path` leads to in `root` (None if none); `|all` gives every value as a list."""
    steps, name = _steps(path)
    if name == "all":
        return [value for value in _walk(root, steps)] or None
    if name == "join":
        return "".join(str(value) for value in _walk(root, steps) if not isinstance(value, dict | list)) or None
    for value in _walk(root, steps):
        return _apply(value, name)
    return None


def first(root: Any, paths: tuple[str, ...]) -> Any:
    """The value of the first path that leads somewhere."""
    for path in paths:
        value = lookup(root, path)
        if value not in (None, "", [], {}):
            return value
    return None
