"""`glyph`: a Chinese name with one character swapped for one drawn like it (仝聚德 for 全聚德, 王到和 for 王致和)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from matchers.base import Evidence, Matcher, NotConfigured
from matchers.catalogue import Catalogue, Variant
from matchers.glyphs import cjk_font, look_alike, shared_part
from matchers.normalise import is_han
from matchers.ordinary import covering_word
from matchers.probe import Probe
from matchers.records import Reason

SCORE = 0.82  # below exact and homophone: one swapped character can be an accident
PART_SCORE = 0.78  # half the character kept (到 for 致): still meant to be read as the mark
MIN_LENGTH = 3  # in a two-character name one swap leaves too little of the mark
_HOLE = "\0"


class GlyphMatcher(Matcher):
    """A Chinese name of 3+ characters with one swapped for a look-alike or a character sharing half of it."""

    name = "glyph"

    def __init__(self, catalogue: Catalogue) -> None:
        super().__init__(catalogue)
        if cjk_font() is None:
            raise NotConfigured("no CJK font to compare glyphs: install fonts-noto-cjk")
        # Each name once per character knocked out (every place a repeated character
        # stands, too: 娃哈哈 → 娃恰恰 is one swap made twice): a title window differing in
        # just that character finds the name under the same key.
        self._by_hole: dict[str, list[Variant]] = defaultdict(list)
        for variant in catalogue.variants:
            name = variant.normalised
            if variant.script == "han" and len(name) >= MIN_LENGTH:
                for key in _holes(name):
                    self._by_hole[key].append(variant)
        self._lengths = sorted({len(key) for key in self._by_hole})
        self._repeat_lengths = {len(key) for key in self._by_hole if key.count(_HOLE) > 1}
        self._chars = frozenset(char for key in self._by_hole for char in key if char != _HOLE)

    def match(self, listing: Probe, *, cutoff: float = 0.0) -> Iterator[Evidence]:
        """Yield each title window that differs from a name in one character resembling the name's."""
        if max(SCORE, PART_SCORE) < cutoff or not self._lengths:
            return
        title = listing.title
        text = title.text
        run = _han_runs(text)
        # known[i]: characters of some name among the first i; a window keeping none of
        # them cannot be a swap away from a name.
        known = [0]
        for char in text:
            known.append(known[-1] + (char in self._chars))
        for start in range(len(text)):
            for length in self._lengths:
                if length > run[start]:
                    break
                end = start + length
                kept = known[end] - known[start]
                if kept >= length - 1:
                    keys = _holes(text[start:end])
                elif kept and length in self._repeat_lengths:
                    keys = _repeat_holes(text[start:end])
                else:
                    continue
                window = text[start:end]
                for key in keys:
                    position = key.index(_HOLE)
                    for variant in self._by_hole.get(key, ()):
                        found = _resemblance(window[position], variant.normalised[position])
                        if found is None or found[0] < cutoff or covering_word(text, start, end):
                            continue
                        score, how = found
                        reason = f"look-alike {title.original(start, end)}≈{variant.name} ({how})"
                        yield Evidence(variant.mark_id, score, Reason(self.name, reason), title.span(start, end))


def _holes(text: str) -> set[str]:
    """`text` with one character knocked out, and with each repeated character knocked out
    wherever it stands: the keys under which a one-character swap finds a name."""
    return {text[:position] + _HOLE + text[position + 1 :] for position in range(len(text))} | _repeat_holes(text)


def _repeat_holes(text: str) -> set[str]:
    distinct = set(text)
    if len(distinct) in (1, len(text)):
        return set()
    return {text.replace(char, _HOLE) for char in distinct if text.count(char) > 1}


def _resemblance(seen: str, meant: str) -> tuple[float, str] | None:
    """A score and the words for a reason when `seen` is drawn like `meant`, else None. A swap
    that also sounds alike is reported by the homophone matcher too, with a higher score."""
    if seen == meant:
        return None
    if look_alike(seen, meant):
        return SCORE, f"{seen} looks like {meant}"
    part = shared_part(seen, meant)
    if part is not None:
        return PART_SCORE, f"{seen} keeps the {part} part of {meant}"
    return None


def _han_runs(text: str) -> list[int]:
    """For each position, how many Chinese characters follow in a row (itself included)."""
    runs = [0] * (len(text) + 1)
    for index in range(len(text) - 1, -1, -1):
        runs[index] = runs[index + 1] + 1 if is_han(text[index]) else 0
    return runs
