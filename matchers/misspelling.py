"""`misspelling`: a one-word Latin name with a letter or two changed (Abibas, Adidos for adidas)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import yaml
from rapidfuzz.distance import OSA

from matchers.base import Evidence, Matcher
from matchers.catalogue import Catalogue, Variant
from matchers.normalise import fold, normalise
from matchers.probe import Probe
from matchers.records import Reason

SCORES = {1: 0.83, 2: 0.78}  # by the number of letters changed
MIN_LENGTH = 4  # "Yili" is the shortest name worth spelling out; shorter ones collide with words
_STOPWORDS = Path(__file__).parent / "data" / "latin_stopwords.yaml"


class MisspellingMatcher(Matcher):
    """A one-word Latin name with letters changed: 1 for names of 4-5 letters, 2 for longer (Abibas, Adidos)."""

    name = "misspelling"

    def __init__(self, catalogue: Catalogue) -> None:
        super().__init__(catalogue)
        # Knockoffs keep the first letter so that buyers still read the brand (Abibas,
        # Nlke); indexing by it also rules out bike, like and mike for Nike.
        self._by_initial: dict[str, list[Variant]] = defaultdict(list)
        for variant in catalogue.variants:
            # Multi-word aliases (Little Sheep, Master Kong) are ordinary English words
            # one letter away from other phrases ("little sheet"): exact matches only.
            one_word = len(variant.name.split()) == 1
            if variant.script == "latin" and one_word and len(variant.folded) >= MIN_LENGTH:
                self._by_initial[variant.folded[0]].append(variant)

    def match(self, listing: Probe, *, cutoff: float = 0.0) -> Iterator[Evidence]:
        """Yield each title word within the allowed edit distance of a name, ordinary words excepted."""
        folded = listing.folded
        for start, end in folded.words():
            word = folded.text[start:end]
            for variant in self._by_initial.get(word[0], ()):
                changed = _distance(word, variant.folded)
                if changed is None or SCORES[changed] < cutoff or word in stopwords():
                    continue
                letters = "letter" if changed == 1 else "letters"
                reason = f"misspelling {folded.original(start, end)}≈{variant.name} ({changed} {letters} changed)"
                yield Evidence(variant.mark_id, SCORES[changed], Reason(self.name, reason), folded.span(start, end))


def _distance(word: str, name: str) -> int | None:
    """Edits (a swap of neighbours counts as one) from `word` to `name`, if 1..allowed."""
    allowed = 1 if len(name) <= 5 else 2
    if abs(len(word) - len(name)) > 1:
        return None
    changed = OSA.distance(word, name, score_cutoff=allowed)
    return changed if 1 <= changed <= allowed else None


@cache
def stopwords() -> frozenset[str]:
    """Folded ordinary words the misspelling matcher never reports, from data/latin_stopwords.yaml."""
    data = yaml.safe_load(_STOPWORDS.read_text("utf-8"))
    return frozenset(fold(normalise(str(word))).text for word in data["words"])
