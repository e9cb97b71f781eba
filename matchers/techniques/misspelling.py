"""`misspelling`: a one-word Latin name with a letter or two changed (Abibas, Adidos for adidas)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from rapidfuzz.distance import OSA

from .. import messages
from ..base import Evidence, Matcher
from ..catalogue import Catalogue, Variant
from ..probe import Probe
from ..records import Reason
from ..text.normalise import normalise
from ..text.words import stopwords

SCORES = {1: 0.83, 2: 0.78}  # by the number of letters changed
MIN_LENGTH = 4  # "Yili" is the shortest name worth spelling out; shorter ones collide with words
# A four-letter name is one letter from hundreds of words (gree: green, free, tree): only the
# changes of a knockoff count there, not any letter (Nkie, Nikke, Puna; not Nile, Green).
SHORT = 4
_CONFUSED = ("mn", "uvw", "bdpq", "ij", "gq", "ce", "oq")  # letters drawn alike
MAX_WORDS = 200_000  # remembered words; then forgotten
MAX_WORD = 30  # longer runs of letters are not words (a URL, a serial number)


class MisspellingMatcher(Matcher):
    """A one-word Latin name with letters changed: 1 for names of 4-5 letters, 2 for longer (Abibas, Adidos)."""

    name = "misspelling"

    def __init__(self, catalogue: Catalogue) -> None:
        super().__init__(catalogue)
        # A deletion index (as SymSpell's): every name under each string left when up to
        # its allowed number of letters are deleted. A word within that distance shares
        # one such string with the name, so a title word looks up its own deletions
        # instead of being compared with every name.
        self._by_deletion: dict[str, list[Variant]] = defaultdict(list)
        for variant in catalogue.variants:
            # Multi-word aliases (Little Sheep, Master Kong) are ordinary English words
            # one letter away from other phrases ("little sheet"): exact matches only.
            one_word = len(variant.name.split()) == 1
            if variant.script == "latin" and one_word and len(variant.folded) >= MIN_LENGTH:
                for key in _deletions(variant.folded, _allowed(variant.folded)):
                    self._by_deletion[key].append(variant)
        self._remembered: dict[str, list[tuple[Variant, int]]] = {}  # word → names it misspells

    def match(self, listing: Probe, *, cutoff: float = 0.0) -> Iterator[Evidence]:
        """Yield each title word within the allowed edit distance of a name, ordinary words excepted."""
        folded = listing.folded
        for start, end in folded.words():
            word = folded.text[start:end]
            if len(word) < MIN_LENGTH - 1 or len(word) > MAX_WORD:
                continue
            near = self._remembered.get(word)
            if near is None:
                near = self._near(word)
            for variant, changed in near:
                if SCORES[changed] < cutoff:
                    continue
                if self.catalogue.is_name(normalise(folded.original(start, end)).text):
                    continue  # Selrix is a watched name itself, not a misspelt Selran
                code = messages.MISSPELLING_ONE if changed == 1 else messages.MISSPELLING
                reason = Reason.of(self.name, code, found=folded.original(start, end), name=variant.name,
                                   changed=changed)
                yield Evidence(variant.mark_id, SCORES[changed], reason, folded.span(start, end))


    def _near(self, word: str) -> list[tuple[Variant, int]]:
        """The names a folded word is a misspelling of, with the letters changed; remembered."""
        candidates: dict[str, Variant] = {}
        for key in _deletions(word, 2 if len(word) >= 5 else 1):
            for variant in self._by_deletion.get(key, ()):
                candidates.setdefault(variant.folded + "\0" + variant.mark_id, variant)
        near = []
        for variant in candidates.values():
            # Knockoffs keep the first letter so that buyers still read the brand (Abibas,
            # Nlke); that also rules out bike, like and mike for Nike.
            if word[0] != variant.folded[0] or word in stopwords():
                continue
            changed = _distance(word, variant.folded)
            if changed is None or (len(variant.folded) <= SHORT and not _typo(word, variant.folded)):
                continue
            near.append((variant, changed))
        if len(self._remembered) >= MAX_WORDS:
            self._remembered.clear()
        self._remembered[word] = near
        return near


def _typo(word: str, name: str) -> bool:
    """Whether `word` is `name` with neighbours swapped, a letter doubled or undoubled, or one
    letter replaced by one drawn like it."""
    if len(word) == len(name):
        diffs = [index for index, (a, b) in enumerate(zip(word, name, strict=True)) if a != b]
        if len(diffs) == 2 and diffs[1] == diffs[0] + 1:
            return word[diffs[0]] == name[diffs[1]] and word[diffs[1]] == name[diffs[0]]
        return len(diffs) == 1 and any(word[diffs[0]] in group and name[diffs[0]] in group for group in _CONFUSED)
    longer, shorter = (word, name) if len(word) > len(name) else (name, word)
    for index in range(len(longer)):
        if longer[:index] + longer[index + 1 :] == shorter:
            neighbours = longer[index - 1 : index] + longer[index + 1 : index + 2]
            return longer[index] in neighbours
    return False


def _allowed(name: str) -> int:
    return 1 if len(name) <= 5 else 2


def _deletions(word: str, depth: int) -> set[str]:
    """`word` and every string left when up to `depth` of its letters are deleted."""
    found = {word}
    layer = {word}
    for _ in range(depth):
        layer = {text[:index] + text[index + 1 :] for text in layer for index in range(len(text))}
        found |= layer
    return found


def _distance(word: str, name: str) -> int | None:
    """Edits (a swap of neighbours counts as one) from `word` to `name`, if 1..allowed."""
    allowed = _allowed(name)
    if abs(len(word) - len(name)) > 1:
        return None
    changed = OSA.distance(word, name, score_cutoff=allowed)
    return changed if 1 <= changed <= allowed else None
