"""`glyph`: a Chinese name with one character swapped for one drawn like it (康帅傅 for 康师傅, 雷碧 for 雪碧)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import cast

from .. import messages
from ..base import Evidence, Matcher
from ..catalogue import Catalogue, Variant
from ..probe import Probe
from ..records import Reason
from ..text.glyphs import Resemblance, resemblance
from ..text.glyphs import load as load_glyphs
from ..text.normalise import Normalised, han_runs, is_han
from ..text.ordinary import covering_word, dictionary_words, word_across

SCORES = {"strong": 0.82, "similar": 0.78}  # below exact and homophone: one swap can be an accident
# Two-character names: one swap leaves one character of the mark, as in 雷碧 for 雪碧; many
# ordinary words do that too (便利), so only a strong look-alike outside any common word
# counts, and as weak evidence that the goods the listing names must confirm.
SHORT = 0.62
_HOLE = "\0"
MAX_ANSWERS = 500_000  # remembered answers (per key and character, per pair): some 100 MB at most


class GlyphMatcher(Matcher):
    """A Chinese name with one character (or one repeated character) swapped for a look-alike: 康帅傅, 雷碧, 治治."""

    name = "glyph"

    def __init__(self, catalogue: Catalogue) -> None:
        super().__init__(catalogue)
        load_glyphs()
        dictionary_words()
        # Each name once per character knocked out (every place a repeated character
        # stands, too: 娃哈哈 → 娃恰恰 is one swap made twice): a title window differing in
        # just that character finds the name under the same key.
        self._by_hole: dict[str, list[Variant]] = defaultdict(list)
        for variant in catalogue.variants:
            name = variant.normalised
            if variant.script == "han" and len(name) >= 2:
                for key in _holes(name):
                    self._by_hole[key].append(variant)
        self._lengths = sorted({len(key) for key in self._by_hole})
        self._repeat_lengths = {len(key) for key in self._by_hole if key.count(_HOLE) > 1}
        self._chars = frozenset(char for key in self._by_hole for char in key if char != _HOLE)
        self._answers: dict[tuple[str, str, str | None], list[tuple[Variant, Resemblance]]] = {}
        # Names of one character written twice (洽洽, 旺旺) keep nothing when it is swapped (治治).
        self._doubled = {len(key) for key in self._by_hole if set(key) == {_HOLE}}
        # Three-character names under their first character: 康帅博 keeps only 康 of 康师傅.
        self._by_head: dict[str, list[Variant]] = defaultdict(list)
        for variant in catalogue.variants:
            name = variant.normalised
            if variant.script == "han" and len(name) == 3 and len(set(name)) == 3:
                self._by_head[name[0]].append(variant)

    def match(self, listing: Probe, *, cutoff: float = 0.0) -> Iterator[Evidence]:
        """Yield each title window that differs from a name in one character drawn like the name's."""
        if max(SCORES["strong"], SHORT) < cutoff or not self._lengths:
            return
        title = listing.title
        text = title.text
        run = han_runs(text)
        # The characters as written where normalising changed them (傳 for 传): they are
        # compared too, since 傳 imitates 傅 where 传 does not.
        written = {index: title.source[first] for index, first in enumerate(title.starts)
                   if title.ends[index] == first + 1 and title.source[first] != text[index]} if title.converted else {}
        for start, end, keys in self._windows(text, run):
            length = end - start
            for key in keys:
                position = key.index(_HOLE)
                for variant, found in self._imitated(key, text[start + position], written.get(start + position)):
                    score = SHORT if length == 2 else SCORES[found.strength]
                    if score < cutoff or covering_word(text, start, end):
                        continue
                    if length == 2 and word_across(text, start, end):
                        continue
                    reason = Reason.of(self.name, messages.GLYPH, found=title.original(start, end), name=variant.name,
                                       how=found.how)
                    yield Evidence(variant.mark_id, score, reason, title.span(start, end),
                                   weak=length == 2)
        if SHORT >= cutoff and self._by_head:
            yield from self._twice(title, run, written)

    def _windows(self, text: str, run: tuple[int, ...]) -> Iterator[tuple[int, int, list[str]]]:
        """Each Chinese window of the title that may be one swap from a name, with its keys."""
        chars = self._chars
        # known[i]: characters of some name among the first i; a window must keep all of a
        # name's characters but the swapped one (or swap one repeated character everywhere).
        known = [0]
        for char in text:
            known.append(known[-1] + (char in chars))
        for start in range(len(text) - 1):
            for length in self._lengths:
                if length > run[start]:
                    break
                end = start + length
                kept = known[end] - known[start]
                if kept == length:
                    keys = _holes(text[start:end])
                elif kept == length - 1:  # only the one character no name has can be the swap
                    window = text[start:end]
                    position = next(index for index, char in enumerate(window) if char not in chars)
                    keys = [window[:position] + _HOLE + window[position + 1 :], *_repeat_holes(window)]
                elif (kept or length in self._doubled) and length in self._repeat_lengths:
                    if length == 2 and text[start] != text[start + 1]:
                        continue
                    keys = _repeat_holes(text[start:end])
                else:
                    continue
                keys = [key for key in keys if key in self._by_hole]
                if keys and not self.catalogue.is_name(text[start:end]):
                    yield start, end, keys

    def _imitated(self, key: str, seen: str, written: str | None) -> list[tuple[Variant, Resemblance]]:
        """The names under `key` whose missing character `seen` (or the character as written)
        imitates. Remembered per key and character: titles repeat them, and one lookup then
        answers what would take a comparison per name."""
        remembered = self._answers.get((key, seen, written))
        if remembered is not None:
            return remembered
        strong_only = len(key) == 2
        position = key.index(_HOLE)
        answer = []
        for variant in self._by_hole[key]:
            meant = variant.normalised[position]
            found = _found(seen, meant, strong_only)
            if found is None and written is not None:
                found = _found(written, meant, strong_only)
            if found is not None:
                answer.append((variant, found))
        if len(self._answers) >= MAX_ANSWERS:
            self._answers.clear()
        self._answers[(key, seen, written)] = answer
        return answer

    def _twice(self, title: Normalised, run: tuple[int, ...], written: dict[int, str]) -> Iterator[Evidence]:
        """Three-character names keeping their first character, the other two swapped for strong
        look-alikes (康帅博 for 康师傅): weak evidence, as in a two-character name."""
        text = title.text
        for start in range(len(text) - 2):
            if run[start] < 3:
                continue
            for variant in self._by_head.get(text[start], ()):
                name = variant.normalised
                second = _found(text[start + 1], name[1], True)
                if second is None and start + 1 in written:
                    second = _found(written[start + 1], name[1], True)
                if second is None:
                    continue
                third = _found(text[start + 2], name[2], True)
                if third is None and start + 2 in written:
                    third = _found(written[start + 2], name[2], True)
                if third is None or word_across(text, start, start + 3):
                    continue
                if self.catalogue.is_name(text[start : start + 3]):
                    continue
                reason = Reason.of(self.name, messages.GLYPH_TWO, found=title.original(start, start + 3),
                                   name=variant.name, second=second.how, third=third.how)
                yield Evidence(variant.mark_id, SHORT, reason, title.span(start, start + 3),
                               weak=True)


def _found(seen: str, meant: str, strong_only: bool) -> Resemblance | None:
    """How `seen` imitates `meant`, if it does (strongly, when `strong_only`). A swap that also
    sounds alike is reported by the homophone matcher too, with a higher score. Remembered:
    titles meet the same few hundred thousand pairs again and again."""
    found = _MEMO.get((seen, meant), _UNKNOWN)
    if found is _UNKNOWN:
        if len(_MEMO) >= MAX_ANSWERS:
            _MEMO.clear()
        found = _MEMO[(seen, meant)] = resemblance(seen, meant) if is_han(seen) and seen != meant else None
    if found is None or (strong_only and cast(Resemblance, found).strength != "strong"):
        return None
    return found  # type: ignore[return-value]


_UNKNOWN = object()
_MEMO: dict[tuple[str, str], object] = {}  # character pairs met in titles


def _holes(text: str) -> list[str]:
    """`text` with one character knocked out, and with each repeated character knocked out
    wherever it stands: the keys under which a one-character swap finds a name."""
    holes = [text[:position] + _HOLE + text[position + 1 :] for position in range(len(text))]
    return holes + _repeat_holes(text) if len(set(text)) < len(text) else holes


def _repeat_holes(text: str) -> list[str]:
    distinct = set(text)
    if len(distinct) == len(text):
        return []
    return [text.replace(char, _HOLE) for char in distinct if text.count(char) > 1]
