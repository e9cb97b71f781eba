"""Ordinary words and place names that contain or sound like a protected name (伊犁 for 伊利)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from matchers.normalise import normalise

_SOURCE = Path(__file__).parent / "data" / "ordinary_words.yaml"


@cache
def ordinary_words() -> dict[str, str]:
    """Normalised word → why it is ordinary, from matchers/data/ordinary_words.yaml."""
    data = yaml.safe_load(_SOURCE.read_text("utf-8"))
    return {normalise(str(word)).text: str(note) for word, note in data["words"].items()}


def covering_word(text: str, start: int, end: int) -> str | None:
    """The ordinary word in normalised `text` that contains `text[start:end]`, if any."""
    for word in ordinary_words():
        if len(word) < end - start:
            continue
        first = max(0, end - len(word))
        position = text.find(word, first, start + len(word))
        if position != -1 and position <= start and end <= position + len(word):
            return word
    return None
