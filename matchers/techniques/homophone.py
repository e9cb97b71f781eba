"""`homophone`: a Chinese name written with other characters that sound the same (康师父 for 康师傅)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from .. import messages
from ..base import Evidence, Matcher
from ..catalogue import Catalogue, Variant
from ..probe import Probe
from ..records import Reason
from ..text.normalise import Normalised, han_runs
from ..text.ordinary import covering_word, dictionary_words, word_across
from ..text.readings import READINGS, read_in_context, readings, spoken

LONG = 0.88  # three or more characters sounding alike is rarely an accident
# Two-character names: one character must also be the mark's own, the window must not be
# (or run across) a common word (以利于), and the goods the listing names move the score.
SHORT = 0.64  # a little above a look-alike's: it keeps one character and all the sound
CONTEXT = 3
MAX_WINDOWS = 500_000  # remembered windows and the names they sound like; then forgotten


@dataclass(frozen=True, slots=True)
class _Sound:
    variant: Variant
    readings: tuple[frozenset[str], ...]  # every reading of each character: a quick first filter
    spoken: tuple[str, ...]  # the name as read in context: what must match


class HomophoneMatcher(Matcher):
    """A Chinese name written with other characters that sound the same, tones ignored (康师父 for 康师傅)."""

    name = "homophone"

    def __init__(self, catalogue: Catalogue) -> None:
        super().__init__(catalogue)
        dictionary_words()
        # Inverted index: the folded syllables of a name's first two characters (every
        # reading of each) → the names. A title position looks up the readings of its own
        # next two characters, so the cost does not grow with the watchlist.
        self._by_start: dict[tuple[str, str], list[_Sound]] = defaultdict(list)
        for variant in catalogue.variants:
            if variant.script == "han" and len(variant.normalised) >= 2:
                name = variant.normalised
                sound = _Sound(variant, tuple(readings(char) for char in name), read_in_context(name))
                for first in sound.readings[0]:
                    for second in sound.readings[1]:
                        self._by_start[(first, second)].append(sound)
        self._lengths = sorted({len(variant.normalised) for variant in catalogue.variants
                                if variant.script == "han" and len(variant.normalised) >= 2})
        self._passing: dict[str, list[_Sound]] = {}

    def match(self, listing: Probe, *, cutoff: float = 0.0) -> Iterator[Evidence]:
        """Yield each window of the title that sounds like a name but is written differently."""
        if max(LONG, SHORT) < cutoff:
            return
        title = listing.title
        text = title.text
        run = han_runs(text)
        passing, lengths = self._passing, self._lengths
        for start in range(len(text) - 1):
            if run[start] < 2:
                continue
            for length in lengths:
                if length > run[start]:
                    break
                end = start + length
                window = text[start:end]
                sounds = passing.get(window)
                if sounds is None:
                    sounds = self._sounding(window)
                for sound in sounds:
                    # Every reading of every character let it through; the window as read
                    # in its context decides (女王 is nv wang, not a 鹿王 lu wang via 女's
                    # rare "ru"). Three characters either side are context enough.
                    if not _heard_as(text, start, end, sound.spoken):
                        continue
                    if covering_word(text, start, end) or _spans_words(title, start, end):
                        continue
                    short = length == 2
                    score = SHORT if short else LONG
                    if score < cutoff or (short and word_across(text, start, end)):
                        continue
                    name = sound.variant.normalised
                    fragment = title.original(start, end)
                    reason = Reason.of(self.name, messages.HOMOPHONE, found=fragment, name=sound.variant.name,
                                       found_reading=spoken(window), name_reading=spoken(name))
                    yield Evidence(sound.variant.mark_id, score, reason,
                                   title.span(start, end), weak=short)

    def _sounding(self, window: str) -> list[_Sound]:
        """The names a Chinese window may sound like (every reading of each character), other
        than itself; remembered per window, as titles repeat their words."""
        heard = [READINGS.get(char) or readings(char) for char in window]
        found: list[_Sound] = []
        if not self.catalogue.is_name(window):
            for one in heard[0]:
                for two in heard[1]:
                    for sound in self._by_start.get((one, two), ()):
                        if len(sound.variant.normalised) == len(window) and sound not in found \
                                and _sounds_like(window, heard, sound):
                            found.append(sound)
        if len(self._passing) >= MAX_WINDOWS:
            self._passing.clear()
        self._passing[window] = found
        return found


def _heard_as(text: str, start: int, end: int, spoken: tuple[str, ...]) -> bool:
    """Whether `text[start:end]`, read in its context, is read as `spoken`. Characters with a
    single reading need no context (the common case, and no call to pypinyin)."""
    options = [READINGS.get(char) or readings(char) for char in text[start:end]]
    if all(len(option) == 1 for option in options):
        return tuple(next(iter(option)) for option in options) == spoken
    left = max(0, start - CONTEXT)
    return read_in_context(text[left : end + CONTEXT])[start - left : end - left] == spoken


def _spans_words(title: Normalised, start: int, end: int) -> bool:
    """Whether the window runs across a space or symbol from a common word ("包邮 新" is not
    宝优兴); a name spaced out character by character ("康 师 傅") is not."""
    pieces, first = [], start
    for index in range(start + 1, end):
        if title.ends[index - 1] < title.starts[index]:
            pieces.append(title.text[first:index])
            first = index
    pieces.append(title.text[first:end])
    return len(pieces) > 1 and any(len(piece) >= 2 and piece in dictionary_words() for piece in pieces)


def _sounds_like(window: str, heard: list[frozenset[str]], sound: _Sound) -> bool:
    """Whether a Chinese `window` (with every reading of each character) can sound like the name."""
    name = sound.variant.normalised
    if window == name:
        return False
    # Two-character homophones are everywhere (一粒, 毅力 for 伊利); a knockoff keeps one
    # character of the mark (伊莉, 蒙犇) so that buyers still recognise it.
    if len(name) == 2 and window[0] != name[0] and window[1] != name[1]:
        return False
    return all(mine & theirs for mine, theirs in zip(heard, sound.readings, strict=True))
