"""`edit`: a Chinese name with one character added, left out, swapped with its neighbour or replaced.

Knockoffs pad a name (心心相印 for 心相印, 三只小松鼠 for 三只松鼠), shorten it, swap two
characters, or replace one so that the rest still reads as the brand (六仁核桃 for 六个核桃,
茶颜观色 for 茶颜悦色). Every kind is found by looking the title window up in tables built
from the names once, so the cost per title does not grow with the watchlist.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from ...core.phrases import Phrase
from .. import messages
from ..base import Evidence, Matcher
from ..catalogue import Catalogue, Variant
from ..probe import Probe
from ..records import Reason
from ..rules.goods import goods
from ..text.normalise import han_runs, normalise
from ..text.ordinary import covering_word, dictionary_words, word_across

SCORE = 0.78  # names of four or more characters: most of the name is kept, in order
WEAK = 0.62  # shorter names (or a replaced character): confirmed only by the goods named
MAX_WINDOWS = 500_000  # remembered windows; then forgotten
MIN_LENGTH = 3  # a two-character name is only ever swapped (牛红 for 红牛): other edits leave one character


@dataclass(frozen=True, slots=True)
class _Edit:
    kind: str  # "inserted", "dropped", "swapped", "replaced"
    seen: Phrase  # for the reason: "小 added", "个 left out", "傅师 for 师傅", "仁 for 个"


class EditMatcher(Matcher):
    """A Chinese name with one character added or left out (3+), two swapped, or one replaced (4+)."""

    name = "edit"

    def __init__(self, catalogue: Catalogue) -> None:
        super().__init__(catalogue)
        dictionary_words()
        # Lookup tables, so that a title window finds its candidates in a few dictionary
        # lookups whatever the size of the watchlist:
        # - an edit inside the name keeps its first and last characters: (first, last, length);
        # - a swap is looked up as the swapped text itself;
        # - a replaced first character leaves the rest of the name: name[1:].
        self._by_ends: dict[tuple[str, str, int], list[Variant]] = defaultdict(list)
        self._swapped: dict[str, list[tuple[Variant, int]]] = defaultdict(list)
        self._by_tail: dict[str, list[Variant]] = defaultdict(list)
        self._replaceable: dict[str, frozenset[int]] = {}
        for variant in catalogue.variants:
            name = variant.normalised
            if variant.script != "han" or len(name) < 2:
                continue
            self._replaceable[name] = frozenset(_replaceable(name))
            self._by_ends[(name[0], name[-1], len(name))].append(variant)
            for position in range(len(name) - 1):
                swapped = name[:position] + name[position + 1] + name[position] + name[position + 2 :]
                if swapped != name:
                    self._swapped[swapped].append((variant, position))
            if 0 in self._replaceable[name]:
                self._by_tail[name[1:]].append(variant)
        # A window can only be one edit from a name if it starts with a name's first
        # character, or its second character is a name's first or second one.
        self._firsts = frozenset(name[0] for name in self._replaceable)
        self._seconds = self._firsts | frozenset(name[1] for name in self._replaceable)
        self._remembered: dict[str, list[tuple[Variant, _Edit]]] = {}  # window → its edits: titles repeat words
        lengths = {len(variant.normalised) for variant in catalogue.variants if variant.script == "han"}
        self._widths = sorted({width for length in lengths for width in (length - 1, length, length + 1) if width >= 2})

    def match(self, listing: Probe, *, cutoff: float = 0.0) -> Iterator[Evidence]:
        """Yield each title window one edit away from a name (ordinary words excepted)."""
        if SCORE < cutoff or not self._widths:
            return
        title = listing.title
        text = title.text
        run = han_runs(text)
        for start in range(len(text) - 1):
            if text[start] not in self._firsts and text[start + 1] not in self._seconds:
                continue
            for width in self._widths:
                if width > run[start]:
                    break
                end = start + width
                window = text[start:end]
                edits = self._remembered.get(window)
                if edits is None:
                    edits = [] if self.catalogue.is_name(window) else list(self._candidates(window))
                    if len(self._remembered) >= MAX_WINDOWS:
                        self._remembered.clear()
                    self._remembered[window] = edits
                for variant, edit in edits:
                    name = variant.normalised
                    weak = len(name) < 4 or edit.kind == "replaced" or (edit.kind == "dropped" and len(name) == 4)
                    score = WEAK if weak else SCORE
                    if score < cutoff or covering_word(text, start, end) or (weak and word_across(text, start, end)):
                        continue
                    reason = Reason.of(self.name, messages.EDIT, edit=edit.kind, found=title.original(start, end),
                                       name=variant.name, seen=edit.seen)
                    yield Evidence(variant.mark_id, score, reason, title.span(start, end),
                                   weak=weak)

    def _candidates(self, window: str) -> Iterator[tuple[Variant, _Edit]]:
        """Names one edit away from a window of Chinese text, with the edit."""
        first, last, width = window[0], window[-1], len(window)
        for variant in self._by_ends.get((first, last, width - 1), ()):  # one added inside
            if len(variant.normalised) >= MIN_LENGTH:
                for position in range(1, width - 1):
                    if window[:position] + window[position + 1 :] == variant.normalised:
                        yield variant, _Edit("inserted", Phrase.of(messages.ADDED, char=window[position]))
                        break
        for variant in self._by_ends.get((first, last, width + 1), ()):  # one left out inside
            name = variant.normalised
            if len(name) >= 4:
                for position in range(1, len(name) - 1):
                    if name[:position] + name[position + 1 :] == window:
                        yield variant, _Edit("dropped", Phrase.of(messages.LEFT_OUT, char=name[position]))
                        break
        for variant, position in self._swapped.get(window, ()):
            name = variant.normalised
            yield variant, _Edit("swapped", Phrase.of(messages.IN_PLACE_OF, seen=window[position:position + 2],
                                                           meant=name[position:position + 2]))
        for variant in [*self._by_ends.get((first, last, width), ()), *self._by_tail.get(window[1:], ())]:
            name = variant.normalised
            differing = [position for position in range(width) if window[position] != name[position]]
            if len(differing) == 1 and differing[0] in self._replaceable[name]:
                position = differing[0]
                if position not in _product_positions(window):  # 小肥牛火锅: 肥牛 is another product
                    yield variant, _Edit("replaced", Phrase.of(messages.IN_PLACE_OF, seen=window[position],
                                                               meant=name[position]))


def _replaceable(name: str) -> list[int]:
    """Positions of a 4+ character name whose replacement still reads as the mark: not the last
    character (the generic head: 药 in 云南白药) nor one of a product noun (羊肉 in 锡林郭勒羊肉:
    锡林郭勒牛肉 is another product); and only where the rest names at least three characters
    besides the product (鹿王羊绒 is 鹿王 and wool: 魔王羊绒 keeps one character of the brand)."""
    products = _product_positions(name)
    if len(name) - len(products) < 3 or len(name) < 4:
        return []
    protected = products | {len(name) - 1}
    return [position for position in range(len(name)) if position not in protected]


def _product_positions(text: str) -> set[int]:
    """Positions of `text` (normalised Chinese) inside a product noun of the goods table."""
    positions: set[int] = set()
    for word in goods().words_in_title(normalise(text)).words:
        start = text.find(word)
        while start != -1:
            positions.update(range(start, start + len(word)))
            start = text.find(word, start + 1)
    return positions
