"""The mark beside the listing title, with the knockoff characters picked out.

The closest stretch of the title to any of the mark's names is found by edit distance over every
stretch of plausible length (titles are short), then the two are aligned character by character:
in the title, substituted and inserted characters are `changed` / `extra`; in the mark, characters
the listing replaced or dropped are `missing`. Segments are plain text; templates escape them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from rapidfuzz.distance import Levenshtein

SegmentKind = Literal["plain", "same", "changed", "extra", "missing"]
MAX_TITLE = 600
MIN_SIMILARITY = 0.34  # below this the title shares too little text with the mark to highlight
ALIAS_MARGIN = 0.15  # how much closer an alias must align than the mark's name to be shown instead


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    kind: SegmentKind


@dataclass(frozen=True, slots=True)
class TextDiff:
    """The mark name compared, both sides as segments, and how similar the aligned stretch is."""

    mark_text: str
    mark: tuple[Segment, ...]
    title: tuple[Segment, ...]
    similarity: float

    @property
    def aligned(self) -> bool:
        return any(s.kind != "plain" for s in self.title)


def _best_span(name: str, title: str) -> tuple[float, int, int]:
    """(similarity, start, end) of the stretch of `title` closest to `name`, casefolded."""
    best = (0.0, 0, 0)
    shortest, longest = max(1, len(name) // 2), min(len(title), 2 * len(name) + 2)
    for start in range(len(title)):
        for end in range(start + shortest, min(len(title), start + longest) + 1):
            score = Levenshtein.normalized_similarity(name, title[start:end])
            # a better score wins; on a tie, the stretch closest in length to the name
            if score > best[0] + 1e-9 or (abs(score - best[0]) <= 1e-9
                                          and abs(end - start - len(name)) < abs(best[2] - best[1] - len(name))):
                best = (score, start, end)
    return best


def _segments(pairs: list[tuple[str, SegmentKind]]) -> tuple[Segment, ...]:
    merged: list[Segment] = []
    for text, kind in pairs:
        if not text:
            continue
        if merged and merged[-1].kind == kind:
            merged[-1] = Segment(merged[-1].text + text, kind)
        else:
            merged.append(Segment(text, kind))
    return tuple(merged)


def compare(names: Sequence[str], title: str) -> TextDiff:
    """Align the closest of the mark's `names` with `title`; an unaligned diff if none is close."""
    title = title or ""
    title, rest = title[:MAX_TITLE], title[MAX_TITLE:]  # hostile titles can be long; marks sit near the start
    folded = title.casefold() if len(title.casefold()) == len(title) else title
    best: tuple[float, str, int, int] | None = None
    for name in names:
        if not name:
            continue
        key = name.casefold() if len(name.casefold()) == len(name) else name
        score, start, end = _best_span(key, folded)
        # the mark's own name (first) is shown unless an alias aligns clearly better
        margin = ALIAS_MARGIN if best is not None and best[1] == names[0] else 0.0
        if best is None or score > best[0] + margin + 1e-9:
            best = (score, name, start, end)
    if best is None or best[0] < MIN_SIMILARITY:
        shown = names[0] if names else ""
        return TextDiff(shown, (Segment(shown, "plain"),) if shown else (), (Segment(title + rest, "plain"),),
                        best[0] if best else 0.0)
    score, name, start, end = best
    key = name.casefold() if len(name.casefold()) == len(name) else name
    mark_parts: list[tuple[str, SegmentKind]] = []
    title_parts: list[tuple[str, SegmentKind]] = [(title[:start], "plain")]
    for op in Levenshtein.opcodes(key, folded[start:end]):
        source = name[op.src_start:op.src_end]
        shown = title[start + op.dest_start:start + op.dest_end]
        if op.tag == "equal":
            mark_parts.append((source, "same"))
            title_parts.append((shown, "same"))
        elif op.tag == "replace":
            mark_parts.append((source, "missing"))
            title_parts.append((shown, "changed"))
        elif op.tag == "insert":
            title_parts.append((shown, "extra"))
        else:  # delete: in the mark, absent from the listing
            mark_parts.append((source, "missing"))
    title_parts.append((title[end:] + rest, "plain"))
    return TextDiff(name, _segments(mark_parts), _segments(title_parts), score)
