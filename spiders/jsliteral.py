"""Values in the JavaScript objects pages declare (`var g_config = {shopName: '\\u6021…', …}`): unquoted
keys and single-quoted strings that JSON cannot read. Only a named key's string or list of strings is read."""

from __future__ import annotations

import re

STRING = r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\""
_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2})|(.))")
_CONTROL = {"n": "\n", "t": "\t", "r": "\r"}


def unescape(text: str) -> str:
    """A JavaScript string literal's content as text (\\u534e → 华, \\' → ')."""
    def one(match: re.Match[str]) -> str:
        code = match.group(1) or match.group(2)
        return chr(int(code, 16)) if code else _CONTROL.get(match.group(3), match.group(3))
    return _ESCAPE.sub(one, text)


def string(block: str, key: str) -> str | None:
    """The string value of the first `key: '...'` in `block`."""
    match = re.search(rf"\b{re.escape(key)}\s*:\s*(?:{STRING})", block)
    return unescape(next(group for group in match.groups() if group is not None)) if match else None


def strings(block: str, key: str) -> tuple[str, ...]:
    """The strings of the first `key: ['...', "..."]` in `block`."""
    match = re.search(rf"\b{re.escape(key)}\s*:\s*\[([^\]]*)\]", block)
    return tuple(unescape(a or b) for a, b in re.findall(STRING, match.group(1))) if match else ()
