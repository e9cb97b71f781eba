"""Tone-less pinyin readings of Chinese characters, folded for the sounds people confuse."""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin, pinyin

# Initials and finals that many speakers (and sellers dodging a filter) do not tell apart:
# z/zh, c/ch, s/sh, n/l, an/ang, en/eng, in/ing.
_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("n", "l"))
_NASAL_FINALS = ("ang", "eng", "ing")


def fold_syllable(syllable: str) -> str:
    """One representative for each group of confusable syllables: "shang" and "san" → "san"."""
    for spoken, folded in _INITIALS:
        if syllable.startswith(spoken):
            syllable = folded + syllable[len(spoken) :]
            break
    if syllable.endswith(_NASAL_FINALS):
        syllable = syllable[:-1]
    return syllable


def readings(char: str) -> frozenset[str]:
    """Every folded, tone-less reading of one Chinese character (heteronyms included)."""
    found = READINGS.get(char)
    if found is None:
        found = READINGS[char] = frozenset(
            fold_syllable(s) for s in pinyin(char, style=Style.NORMAL, heteronym=True)[0])
    return found


READINGS: dict[str, frozenset[str]] = {}  # one entry per character met: a few thousand


def _as_they_are(chars: str) -> list[str]:
    """pypinyin's `errors` hook: characters it cannot read stand for themselves, one syllable each."""
    return list(chars)


@lru_cache(maxsize=65536)
def read_in_context(text: str) -> tuple[str, ...]:
    """One folded, tone-less syllable per character of `text`, as read in context (重庆 →
    "cong", "qin"); characters that are not Chinese stand for themselves."""
    syllables: list[str] = lazy_pinyin(text, errors=_as_they_are)  # type: ignore[arg-type]
    if len(syllables) != len(text):  # never seen; keep positions aligned regardless
        syllables = [lazy_pinyin(char, errors=_as_they_are)[0] for char in text]  # type: ignore[arg-type]
    return tuple(fold_syllable(syllable) for syllable in syllables)


def spoken(text: str) -> str:
    """The tone-less pinyin of `text` as read in context, for reasons: "kang shi fu"."""
    return " ".join(lazy_pinyin(text))
