"""GI evocation: a geographical indication evoked rather than (or as well as) named: 固阳式黄芪,
仿固阳黄芪, 固阳黄芪同款, "Guyang-style astragalus". TRIPS art. 23 and the EU GI rules treat
"kind, type, style, imitation or the like" as infringement even when the true origin is stated.

`Evocations.split_forms` finds the forms no technique sees (place and product split by a
qualifier), for the `gi_evocation` technique; `Evocations.around` finds a qualifier next to a
name any technique found, knockoffs included, for the provenance rules.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from ...core.phrases import Phrase
from .. import messages
from ..catalogue import Catalogue, script_of
from ..probe import Probe
from ..text.normalise import Normalised, normalise
from .gazetteer import Region, tokens
from .words import words

Where = Literal["before", "after", "between"]


@dataclass(frozen=True, slots=True)
class GiName:
    """One name of a GI split into place and product (固阳 + 黄芪; guyang + astragalus), normalised."""

    name: str
    place: tuple[str, ...]  # one element for Chinese; the words for Latin script
    product: tuple[str, ...]

    @property
    def latin(self) -> bool:
        return len(self.place[0]) > 0 and script_of(self.place[0]) == "latin"


@dataclass(frozen=True, slots=True)
class Evocation:
    """A qualifier evoking a GI: the words as written, their gloss, and where they stood."""

    mark_id: str
    qualifier: str
    gloss: str
    where: Where
    phrase: str  # the evoking phrase as the title writes it
    span: tuple[int, int]  # of the phrase in the original title

    def describe(self, name: str) -> str:
        """`of 固阳黄芪: 仿 (imitation) before the name in 仿古阳黄芪`, `… 式 (style) in 固阳式黄芪`."""
        return self.phrase_of(name).render()

    def phrase_of(self, name: str) -> Phrase:
        """What `describe` says, in the reader's language (the gloss is English: other languages leave it out)."""
        plain = self.gloss == self.qualifier.casefold()
        if self.where == "between":
            code = messages.EVOCATION_IN_PLAIN if plain else messages.EVOCATION_IN
            return Phrase.of(code, name=name, qualifier=self.qualifier, gloss=self.gloss, phrase=self.phrase)
        where = messages.BEFORE_NAME if self.where == "before" else messages.AFTER_NAME
        code = messages.EVOCATION_OF_PLAIN if plain else messages.EVOCATION_OF
        return Phrase.of(code, name=name, qualifier=self.qualifier, gloss=self.gloss, where=where, phrase=self.phrase)


def split_name(name: str, region: Region | None) -> GiName | None:
    """A GI name as place + product: a division's name first (固阳黄芪), else a known product
    noun last (赣南脐橙), else the first two characters; Latin names split after the first word."""
    text = normalise(name)
    if script_of(text.text) == "latin":
        parts = [text.text[start:end] for start, end in text.words()]
        return GiName(name, tuple(parts[:1]), tuple(parts[1:])) if len(parts) >= 2 else None
    if len(text.text) < 3:
        return None
    places = [token for token in tokens(text.text) if token.start == 0 and token.end < len(text.text)]
    if region is not None and text.text.startswith(region.place) and len(region.place) < len(text.text):
        cut = len(region.place)
    elif places:
        cut = places[0].end
    else:
        product = max((p for p in words()["products"] if text.text.endswith(p) and len(p) < len(text.text) - 1),
                      key=len, default=None)
        cut = len(text.text) - len(product) if product else 2
    return GiName(name, (text.text[:cut],), (text.text[cut:],))


class Evocations:
    """Finds evocations of a catalogue's GIs in titles."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.names: dict[str, list[GiName]] = {}
        for mark in catalogue.marks.values():
            if mark.kind == "gi":
                region = Region.parse(mark.region) if mark.region else None
                split = (split_name(name, region) for name in mark.names)
                self.names[mark.id] = [name for name in split if name is not None]
        lists = words()["evocation"]
        self._han = {where: {normalise(str(k)).text: str(v)  # longest first: 高仿 before 仿
                             for k, v in sorted(lists[where].items(), key=lambda pair: -len(str(pair[0])))}
                     for where in ("before", "after", "between")}
        self._latin = {where: frozenset(lists[f"latin_{where}"]) for where in ("before", "after", "between")}

    def split_forms(self, probe: Probe) -> Iterator[Evocation]:
        """Place and product parted by a qualifier (固阳式黄芪, Guyang-style astragalus), or place
        and qualifier with the product elsewhere in the title (固阳风味 正北芪)."""
        for mark_id, names in self.names.items():
            for name in names:
                found = self._latin_split(probe.title, mark_id, name) if name.latin else \
                    self._han_split(probe.title, mark_id, name)
                if found is not None:
                    yield found
                    break

    def _han_split(self, title: Normalised, mark_id: str, name: GiName) -> Evocation | None:
        text, place, product = title.text, name.place[0], name.product[0]
        products = [other.product[0] for other in self.names[mark_id] if not other.latin]
        start = text.find(place)
        while start != -1:
            after = start + len(place)
            for word, gloss in self._han["between"].items():
                if not text.startswith(word, after):
                    continue
                end = after + len(word) + (1 if text.startswith("的", after + len(word)) else 0)
                if text.startswith(product, end):
                    end += len(product)
                elif not _shares_a_character(text[:start] + text[end:], products):
                    continue  # 固阳风味 正北芪 or 锡林郭勒风味羊排, but not 固阳风味土豆
                return Evocation(mark_id, title.original(after, after + len(word)), gloss, "between",
                                 title.original(start, end), title.span(start, end))
            start = text.find(place, start + 1)
        return None

    def _latin_split(self, title: Normalised, mark_id: str, name: GiName) -> Evocation | None:
        spans = title.words()
        found = [title.text[start:end] for start, end in spans]
        size = len(name.place)
        for index in range(len(found) - size):
            if tuple(found[index : index + size]) != name.place or found[index + size] not in self._latin["between"]:
                continue
            rest = index + size + 1
            if _words_at(found, rest, name.product) or _words_in(found, name.product):
                end = spans[rest + len(name.product) - 1][1] if _words_at(found, rest, name.product) \
                    else spans[rest - 1][1]
                start = spans[index][0]
                qualifier = title.original(*spans[index + size])
                return Evocation(mark_id, qualifier, found[index + size], "between",
                                 title.original(start, end), title.span(start, end))
        return None

    def around(self, probe: Probe, mark_id: str, spans: Sequence[tuple[int, int]]) -> Evocation | None:
        """A qualifier right before or after a name found at `spans` (offsets in the original title)."""
        title = probe.title
        for start, end in spans:
            begin, stop = title.index_of(start), title.index_of(end)
            found = self._han_around(title, mark_id, begin, stop) or self._latin_around(title, mark_id, begin, stop)
            if found is not None:
                return found
        return None

    def _han_around(self, title: Normalised, mark_id: str, begin: int, stop: int) -> Evocation | None:
        text = title.text
        for word, gloss in self._han["before"].items():
            if text.endswith(word, 0, begin):
                return _evocation(title, mark_id, word, gloss, "before", begin - len(word), stop)
        for word, gloss in self._han["after"].items():
            gaps = (0, 1) if len(word) >= 2 else (0,)  # 西湖龙井茶同款; but not 固阳黄芪 新式
            for gap in gaps:
                if text.startswith(word, stop + gap):
                    return _evocation(title, mark_id, word, gloss, "after", begin, stop + gap + len(word))
        return None

    def _latin_around(self, title: Normalised, mark_id: str, begin: int, stop: int) -> Evocation | None:
        spans = title.words()
        first = next((i for i, (start, _) in enumerate(spans) if start == begin), None)
        last = next((i for i, (_, end) in enumerate(spans) if end == stop), None)
        if first is None or last is None:
            return None
        text = [title.text[start:end] for start, end in spans]
        if first > 0 and text[first - 1] in self._latin["before"]:
            return _evocation(title, mark_id, text[first - 1], text[first - 1], "before", spans[first - 1][0], stop)
        for gap in (1, 2):  # "West Lake Longjing tea imitation"
            after = last + gap
            if after < len(text) and text[after] in self._latin["after"]:
                return _evocation(title, mark_id, text[after], text[after], "after", begin, spans[after][1])
        return None


def _evocation(title: Normalised, mark_id: str, word: str, gloss: str, where: Where, start: int,
               end: int) -> Evocation:
    qualifier_at = title.text.find(word, start if where == "before" else max(start, end - len(word)))
    qualifier = title.original(qualifier_at, qualifier_at + len(word)) if qualifier_at != -1 else word
    return Evocation(mark_id, qualifier, gloss, where, title.original(start, end), title.span(start, end))


def _shares_a_character(text: str, products: Sequence[str]) -> bool:
    return any(char in text for product in products for char in product)


def _plural(word: str, wanted: str) -> bool:
    return word in (wanted, wanted + "s", wanted + "es")


def _words_at(found: Sequence[str], index: int, wanted: Sequence[str]) -> bool:
    return len(found) >= index + len(wanted) and all(_plural(found[index + n], w) for n, w in enumerate(wanted))


def _words_in(found: Sequence[str], wanted: Sequence[str]) -> bool:
    return any(_words_at(found, index, wanted) for index in range(len(found)))
