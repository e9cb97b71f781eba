"""`homophone`: a Chinese name written with other characters that sound the same (康师父 for 康师傅)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from matchers.base import Evidence, Matcher
from matchers.catalogue import Catalogue, Variant
from matchers.normalise import is_han
from matchers.ordinary import covering_word
from matchers.pinyin import read_in_context, readings, spoken
from matchers.probe import Probe
from matchers.records import Reason

LONG = 0.88  # three or more characters sounding alike is rarely an accident
SHORT = 0.85  # two-character names: one character must also be the mark's own


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
        # Inverted index: a folded syllable → the names whose first character can be read so.
        self._by_first: dict[str, list[_Sound]] = defaultdict(list)
        for variant in catalogue.variants:
            if variant.script == "han" and len(variant.normalised) >= 2:
                name = variant.normalised
                sound = _Sound(variant, tuple(readings(char) for char in name), read_in_context(name))
                for syllable in sound.readings[0]:
                    self._by_first[syllable].append(sound)

    def match(self, listing: Probe, *, cutoff: float = 0.0) -> Iterator[Evidence]:
        """Yield each window of the title that sounds like a name but is written differently."""
        title = listing.title
        text = title.text
        heard: tuple[str, ...] | None = None  # the title read in context, once a candidate needs it
        for start, char in enumerate(text):
            if not is_han(char):
                continue
            seen: set[str] = set()
            for syllable in readings(char):
                for sound in self._by_first.get(syllable, ()):
                    name = sound.variant.normalised
                    if name in seen:
                        continue
                    seen.add(name)
                    end = start + len(name)
                    window = text[start:end]
                    if not _sounds_like(window, sound) or covering_word(text, start, end):
                        continue
                    # Every reading of every character let it through; the title as read
                    # in context decides (女王 is nv wang, not a 鹿王 lu wang via 女's rare "ru").
                    heard = heard or read_in_context(text)
                    if heard[start:end] != sound.spoken:
                        continue
                    score = LONG if len(name) >= 3 else SHORT
                    if score < cutoff:
                        continue
                    fragment = title.original(start, end)
                    reason = f"homophone {fragment}≈{sound.variant.name} ({spoken(window)} ~ {spoken(name)})"
                    yield Evidence(sound.variant.mark_id, score, Reason(self.name, reason), title.span(start, end))


def _sounds_like(window: str, sound: _Sound) -> bool:
    name = sound.variant.normalised
    if len(window) != len(name) or window == name or not all(is_han(char) for char in window):
        return False
    # Two-character homophones are everywhere (一粒, 毅力 for 伊利); a knockoff keeps one
    # character of the mark (伊莉, 蒙犇) so that buyers still recognise it.
    if len(name) == 2 and window[0] != name[0] and window[1] != name[1]:
        return False
    return all(readings(char) & heard for char, heard in zip(window, sound.readings, strict=True))
