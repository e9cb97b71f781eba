"""Text normalisation for matching: width, script, case, spacing and look-alikes folded, offsets kept.

`normalise("康 師 傅")` gives the text "康师傅" and, for each of its characters, the span of
the original it came from, so a reason can quote the title as the seller wrote it.
`fold()` goes one step further for Latin look-alikes ("Nlke" → "nike").
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from typing import cast

import opencc
import yaml

from .. import DATA

_LOOKALIKES = yaml.safe_load((DATA / "lookalikes.yaml").read_text("utf-8"))
_SINGLE: dict[str, str] = {str(key): str(value) for key, value in _LOOKALIKES["single"].items()}
_PAIRS: dict[str, str] = {str(key): str(value) for key, value in _LOOKALIKES["pairs"].items()}
_IDEOGRAPHS: dict[str, str] = {str(key): str(value) for key, value in _LOOKALIKES["ideographs"].items()}
_T2S = opencc.OpenCC("t2s")



@dataclass(frozen=True, slots=True)
class Normalised:
    """A normalised text; `starts[i]:ends[i]` is the span of `source` that produced `text[i]`."""

    text: str
    source: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    # Whether some character became another one (固陽 → 固阳, カ → 力), beyond width, case and
    # dropped characters: only then can a character as written differ from its normalised one.
    converted: bool = field(default=True, compare=False)

    def original(self, start: int, end: int) -> str:
        """The original fragment behind `text[start:end]`, e.g. "康 师 傅" behind "康师傅"."""
        if start >= end:
            return ""
        return self.source[self.starts[start] : self.ends[end - 1]]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The offsets in `source` behind `text[start:end]`."""
        return self.starts[start], self.ends[end - 1]

    def index_of(self, offset: int) -> int:
        """The first position of `text` produced at or after `offset` in `source`."""
        return bisect_left(self.starts, offset)

    def starts_word(self, index: int) -> bool:
        """Whether a word of letters or digits starts at `index` (spaces and symbols separate words)."""
        if index == 0 or not is_word_char(self.text[index - 1]):
            return True
        return self.ends[index - 1] < self.starts[index]

    def words(self) -> list[tuple[int, int]]:
        """(start, end) of each run of letters and digits that spaces or symbols did not split."""
        spans: list[tuple[int, int]] = []
        start = None
        for index, char in enumerate(self.text):
            if start is not None and (not is_word_char(char) or self.starts_word(index)):
                spans.append((start, index))
                start = None
            if start is None and is_word_char(char):
                start = index
        if start is not None:
            spans.append((start, len(self.text)))
        return spans

    def ends_word(self, end: int) -> bool:
        """Whether a word of letters or digits ends just before `end`."""
        if end >= len(self.text) or not is_word_char(self.text[end]):
            return True
        return self.ends[end - 1] < self.starts[end]


def is_han(char: str) -> bool:
    """Whether `char` is a Chinese character (CJK unified ideograph)."""
    code = ord(char)
    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x323AF


_HAN_RUN = re.compile("[\u4e00-\u9fff\u3400-\u4dbf\U00020000-\U000323af]+")


@lru_cache(maxsize=16)
def han_runs(text: str) -> tuple[int, ...]:
    """For each position of `text` (and one past the end), how many Chinese characters follow
    in a row from it, itself included; shared by the matchers reading one title."""
    runs = [0] * (len(text) + 1)
    for found in _HAN_RUN.finditer(text):
        start, end = found.span()
        runs[start:end] = range(end - start, 0, -1)
    return tuple(runs)


def is_word_char(char: str) -> bool:
    """Letters and digits of alphabetic scripts: the characters that make up Latin words."""
    return char.isalnum() and not is_han(char)


def normalise(text: str) -> Normalised:
    """NFKC (full-width → half-width), case-fold, drop spaces/punctuation/symbols/emoji/hidden
    characters, katakana drawn like ideographs (カ → 力), then traditional → simplified Chinese;
    never raises on any string."""
    fast = _normalise_simple(text)
    return fast if fast is not None else normalise_slowly(text)


def normalise_slowly(text: str) -> Normalised:
    """`normalise` cluster by cluster: the obvious reference the fast path is held to."""
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for start, end in _clusters(text):
        for char in _width_and_case(text[start:end]):
            if _kept(char):
                chars.append(char)
                starts.append(start)
                ends.append(end)
    return Normalised(_simplified("".join(chars)), text, tuple(starts), tuple(ends))


def _normalise_simple(text: str) -> Normalised | None:
    """`normalise` for text without combining marks, character by character from a table (the
    common case, and the same result); None when the text needs the full treatment."""
    chars: list[str] = []
    starts: list[int] = []
    traditional = False
    table = _SIMPLE
    for index, char in enumerate(text):
        entry = table.get(char)
        if entry is None:
            entry = _simple_entry(char)
        if entry is _COMBINING:
            return None
        out, changes_script = cast(tuple[str, bool], entry)
        if out:
            traditional |= changes_script
            for piece in out:
                chars.append(piece)
                starts.append(index)
    joined = "".join(chars)
    starts_tuple = tuple(starts)
    ends = tuple(start + 1 for start in starts)
    return Normalised(_simplified(joined) if traditional else joined, text, starts_tuple, ends, traditional)


def _simple_entry(char: str) -> object:
    if unicodedata.category(char)[0] == "M":
        entry: object = _COMBINING
    else:
        out = "".join(piece for piece in _width_and_case(char) if _kept(piece))
        entry = (out, any(_simplified_char(piece) != piece or (piece != char and is_han(piece)) for piece in out))
    if len(_SIMPLE) < 200_000:
        _SIMPLE[char] = entry
    return entry


_COMBINING = object()
_SIMPLE: dict[str, object] = {}  # character → (what it normalises to, whether it is traditional)


def fold(normalised: Normalised) -> Normalised:
    """Fold Latin look-alikes (0→o, 1/l→i, rn→m, vv→w, Cyrillic/Greek letters, accents)."""
    mapped = [_fold_char(char) for char in normalised.text]
    joined = "".join(mapped)
    if len(joined) == len(mapped) and not any(pair in joined for pair in _PAIRS):
        return Normalised(joined, normalised.source, normalised.starts, normalised.ends, normalised.converted)
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    index = 0
    while index < len(mapped):
        pair = "".join(mapped[index : index + 2])
        if pair in _PAIRS:
            chars.append(_PAIRS[pair])
            starts.append(normalised.starts[index])
            ends.append(normalised.ends[index + 1])
            index += 2
            continue
        chars.append(mapped[index])
        starts.append(normalised.starts[index])
        ends.append(normalised.ends[index])
        index += 1
    return Normalised("".join(chars), normalised.source, tuple(starts), tuple(ends))


def _clusters(text: str) -> list[tuple[int, int]]:
    """Spans of a base character with the combining marks that follow it."""
    spans: list[tuple[int, int]] = []
    for index, char in enumerate(text):
        if spans and unicodedata.category(char)[0] == "M":
            spans[-1] = (spans[-1][0], index + 1)
        else:
            spans.append((index, index + 1))
    return spans


@lru_cache(maxsize=65536)
def _width_and_case(cluster: str) -> str:
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", cluster).casefold())
    return "".join(_IDEOGRAPHS.get(char, char) for char in folded)


@lru_cache(maxsize=65536)
def _kept(char: str) -> bool:
    # Letters and numbers carry the name; marks (M*), punctuation (P*), symbols and emoji
    # (S*), spaces (Z*) and control/format/zero-width characters (C*) are dropped.
    return unicodedata.category(char)[0] in "LN"


def _simplified(text: str) -> str:
    # Phrase-level conversion reads context (乾隆 stays, 乾燥 → 干燥); offsets need the
    # length kept, so a conversion that changes it falls back to character by character.
    for _ in range(3):
        converted = _T2S.convert(text) if text else text
        if len(converted) != len(text):
            converted = "".join(_simplified_char(char) for char in text)
        if converted == text:
            break
        text = converted
    return text


@lru_cache(maxsize=65536)
def _simplified_char(char: str) -> str:
    converted = _T2S.convert(char)
    return converted if len(converted) == 1 else char


@lru_cache(maxsize=65536)
def _fold_char(char: str) -> str:
    if char in _SINGLE:
        return _SINGLE[char]
    if char.isascii() or is_han(char):
        return char
    base = unicodedata.normalize("NFD", char)[0]
    if base.isascii() and base.isalpha():
        return _SINGLE.get(base, base)
    return char


_REMOVED_LABELS = {"Z": "spacing", "P": "punctuation", "S": "symbols", "C": "hidden characters",
                   "M": "combining marks"}
_CHANGE_ORDER = ("full-width", "compatibility form", "katakana", "traditional", "spacing", "punctuation",
                 "symbols", "hidden characters", "combining marks", "case")


def changes(fragment: str) -> tuple[str, ...]:
    """What `normalise` changes in `fragment`, in words for a reason: "full-width", "katakana",
    "traditional", "spacing", "punctuation", "symbols", "hidden characters", "case", "compatibility form"."""
    labels: set[str] = set()
    kept: list[str] = []
    for start, end in _clusters(fragment):
        cluster = fragment[start:end]
        compatible = unicodedata.normalize("NFKC", cluster)
        removed = [char for char in _width_and_case(cluster) if not _kept(char)]
        if removed and not _kept(compatible[:1] or " "):
            removed = removed[:1]  # an emoji's variation selector goes with the emoji
        labels.update(_REMOVED_LABELS[unicodedata.category(char)[0]] for char in removed)
        if len(removed) < len(compatible) and compatible != unicodedata.normalize("NFC", cluster):
            wide = any(0xFF01 <= ord(char) <= 0xFF5E for char in cluster)
            labels.add("full-width" if wide else "compatibility form")
        if compatible.casefold() != compatible:
            labels.add("case")
        if any(char in _IDEOGRAPHS for char in compatible):
            labels.add("katakana")
        kept.extend(char for char in _width_and_case(cluster) if _kept(char))
    joined = "".join(kept)
    if _simplified(joined) != joined:
        labels.add("traditional")
    return tuple(label for label in _CHANGE_ORDER if label in labels)
