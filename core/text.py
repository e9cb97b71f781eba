"""Text that UTF-8 can always encode: lone surrogates (from JSON's `\\ud800` escapes) replaced by U+FFFD."""

from __future__ import annotations

import re

# A Python str from json.loads may hold a surrogate code point without its pair; no encoder accepts it.
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def has_surrogates(text: str) -> bool:
    """True if `text` holds a lone surrogate."""
    return LONE_SURROGATE.search(text) is not None


def without_surrogates(text: str) -> str:
    """`text` with every lone surrogate replaced by U+FFFD (the replacement character)."""
    return LONE_SURROGATE.sub(REPLACEMENT, text)
