"""Chinese places in free text: a seller's location or a title read into administrative divisions,
and whether they lie inside a GI's region.

`locate("内蒙古 包头 固阳")` reads 内蒙古自治区包头市固阳县. A place name several divisions
share (朝阳: districts of Beijing and Changchun, a city in Liaoning) takes the reading the
other names around it agree with (北京朝阳 → 北京市朝阳区); with none it stays ambiguous,
never a guess. Empty or unreadable text is a `Location` with a `problem`, never an exception.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from ...core.phrases import Phrase
from .. import messages
from ..text.normalise import is_han, normalise
from .divisions import Division, Divisions, divisions

Relation = Literal["inside", "outside", "unknown"]
MAX_TEXT = 200  # a location longer than this is an address or a pasted description: read its start
# A place name followed by one of these is part of a street, town or village name (中山路, 金山镇).
# A written form ending so is a whole division name (固阳县金山镇: the county, then a town); 固镇 (a
# county whose name ends in 镇) followed by 镇 is the town, not the county.
_DIVISION_ENDINGS = ("市", "县", "区", "旗", "盟", "州", "省")
_NOT_A_DIVISION = ("镇", "乡", "村", "街", "路", "道", "巷", "社区", "小区", "苏木", "嘎查", "号", "大厦", "广场")
_LATIN_FILLER = frozenset({
    "china", "prc", "mainland", "province", "city", "county", "district", "prefecture", "region", "autonomous",
    "banner", "league", "municipality", "sar", "the", "of", "shi", "xian", "qu", "sheng", "zhen", "cun",
})
_UNIT = re.compile(r".+?(?:特别行政区|自治区|自治州|自治县|自治旗|地区|苏木|街道|省|市|盟|县|区|旗|镇|乡)")
_SUFFIX = re.compile(r"(?:特别行政区|自治区|自治州|自治县|自治旗|地区|苏木|街道|省|市|盟|县|区|旗|镇|乡)$")
_SEPARATORS = re.compile(r"[、,，;；/|]|及|和")


@dataclass(frozen=True, slots=True)
class Token:
    """A place name found in a normalised text: where, as written, and the divisions it may name."""

    start: int
    end: int
    text: str
    codes: frozenset[str]


@dataclass(frozen=True, slots=True)
class Location:
    """What a piece of text says about place: one reading when known, several when ambiguous, none
    when unknown, with the `problem` in words (empty, no place name, contradictory places)."""

    written: str
    readings: tuple[Division, ...]
    why: Phrase | None = None  # why it is unknown or contradictory

    @property
    def problem(self) -> str | None:
        """Why it is unknown or contradictory, in English."""
        return self.why.render() if self.why is not None else None

    @property
    def division(self) -> Division | None:
        """The one division the text names, or None when it is unknown or ambiguous."""
        return self.readings[0] if len(self.readings) == 1 else None

    def describe(self) -> str:
        """The reading for a reason: 甘肃省定西市, "朝阳 (ambiguous: …)", or "unknown (empty)"."""
        said = self.phrase()
        return said if isinstance(said, str) else said.render()

    def phrase(self) -> Phrase | str:
        """The reading, as `describe` says it, in the reader's language."""
        table = divisions()
        if self.division is not None:
            return table.path(self.division.code)
        if self.readings:
            return Phrase.of(messages.PLACE_AMBIGUOUS, written=self.written,
                             readings=", ".join(table.path(r.code) for r in self.readings))
        return Phrase.of(messages.PLACE_UNKNOWN, problem=self.why or "")


def tokens(text: str, *, in_title: bool = False) -> list[Token]:
    """Place names in a normalised text, longest first from left to right (内蒙古自治区 before 内蒙).

    `in_title`: leave out short forms that are ordinary words in titles (光明 milk, 白银 silver).
    """
    table = divisions()
    found: list[Token] = []
    index = 0
    while index < len(text):
        token = _longest_at(table, text, index, in_title)
        if token is None:
            index += 1
            continue
        found.append(token)
        index = token.end
    return found


def _longest_at(table: Divisions, text: str, index: int, in_title: bool) -> Token | None:
    for end in range(min(len(text), index + table.longest), index + 1, -1):
        form = text[index:end]
        codes = table.by_name.get(form)
        if codes is None or (in_title and form in table.not_in_titles):
            continue
        if text.startswith(_NOT_A_DIVISION, end) and not form.endswith(_DIVISION_ENDINGS):
            continue  # 金山镇, 中山路, 固镇镇: a town or a street, not the division of the same name
        return Token(index, end, form, codes)
    return None


def latin_tokens(text: str) -> list[Token]:
    """Place names written in pinyin or English (Dingxi, Gansu; Inner Mongolia), word by word."""
    table = divisions()
    words = re.findall(r"[a-z]+", unicodedata.normalize("NFKC", text).casefold())
    found: list[Token] = []
    index = 0
    while index < len(words):
        for size in range(min(4, len(words) - index), 0, -1):
            key = "".join(words[index : index + size])
            if (size > 1 or key not in _LATIN_FILLER) and key in table.by_latin:
                found.append(Token(index, index + size, " ".join(words[index : index + size]), table.by_latin[key]))
                index += size
                break
        else:
            index += 1
    return found


def resolve(found: Sequence[Token]) -> tuple[tuple[Division, ...], Phrase | None]:
    """The divisions a run of place names reads as, most specific first, and a problem if any.

    Each name keeps only the readings the other names agree with; of one name's nested
    readings the larger one stays (辽宁朝阳 is 朝阳市, not 朝阳县 inside it); a province's
    own name wins over a smaller namesake (海南 is 海南省); then the most specific remain.
    """
    table = divisions()
    if not found:
        return (), Phrase.of(messages.NO_PLACE)
    kept: list[set[str]] = []
    for token in found:
        others = [other.codes for other in found if other is not token]
        agreeing = {code for code in token.codes
                     if all(any(table.related(code, other) for other in codes) for codes in others)}
        if not agreeing:
            everything = {code for item in found for code in item.codes}
            names = "/".join(dict.fromkeys(item.text for item in found))
            return _most_specific(table, everything), Phrase.of(messages.PLACES_CONTRADICT, names=names)
        kept.append(_largest(table, agreeing, token.text))
    return _most_specific(table, set().union(*kept)), None


def _largest(table: Divisions, codes: set[str], written: str) -> set[str]:
    provinces = {code for code in codes if table.get(code).level == "province"}
    if provinces and len(written) >= 2 and written not in {table.get(code).name for code in codes - provinces}:
        return provinces
    return {code for code in codes if not any(other != code and table.within(code, other) for other in codes)}


def _most_specific(table: Divisions, codes: Iterable[str]) -> tuple[Division, ...]:
    codes = set(codes)
    deepest = [code for code in codes if not any(other != code and table.within(other, code) for other in codes)]
    return tuple(table.get(code) for code in sorted(deepest))


def locate(text: object) -> Location:
    """Read a seller's location (any value a page gave) into divisions; never raises."""
    written = text if isinstance(text, str) else ""
    if not written.strip():
        return Location(written, (), Phrase.of(messages.NO_TEXT))
    sample = written[:MAX_TEXT]
    found = tokens(normalise(sample).text)
    if not found and not any(is_han(char) for char in sample):
        found = latin_tokens(sample)
    readings, problem = resolve(found)
    return Location(written, readings, problem)


def relation(location: Location, areas: Sequence[Division]) -> Relation:
    """Whether every reading of `location` lies inside one of `areas`, every one outside them all,
    or neither (unknown, ambiguous, or a larger place that contains an area: 内蒙古 for 固阳县)."""
    if not location.readings or not areas:
        return "unknown"
    table = divisions()
    kinds = set()
    for reading in location.readings:
        if any(table.within(reading.code, area.code) for area in areas):
            kinds.add("inside")
        elif any(table.within(area.code, reading.code) for area in areas):
            kinds.add("vague")
        else:
            kinds.add("outside")
    return kinds.pop() if len(kinds) == 1 and kinds != {"vague"} else "unknown"  # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class Region:
    """A GI's region as the watchlist writes it (内蒙古自治区包头市固阳县), read into divisions.

    Several areas may be listed (…固阳县、达尔罕茂明安联合旗). A region the gazetteer cannot
    read keeps only its text: locations are then compared by name.
    """

    text: str
    units: tuple[str, ...]
    areas: tuple[Division, ...]

    @classmethod
    def parse(cls, text: str) -> Region:
        """Read `text` into the divisions it names, largest unit first in `units`."""
        table = divisions()
        areas: list[Division] = []
        context = ""
        for part in filter(None, (piece.strip() for piece in _SEPARATORS.split(text))):
            area = locate(part).division or locate(context + part).division
            if area is not None:
                areas.append(area)
                context = table.path(area.parent) if area.parent else ""
        if areas:
            units = tuple(division.name for division in table.lineage(areas[0].code))
        else:
            cleaned = normalise(text).text
            units = tuple(_UNIT.findall(cleaned)) or (cleaned,)
        return cls(text=text, units=units, areas=tuple(areas))

    @property
    def place(self) -> str:
        """The most specific unit as people write it: 固阳 for 固阳县."""
        if self.areas:
            return divisions().short[self.areas[0].code]
        last = self.units[-1]
        stem = _SUFFIX.sub("", last)
        return stem if len(stem) >= 2 else last

    def relation(self, location: Location) -> Relation:
        """Inside, outside, or unknown (vague, ambiguous, unreadable)."""
        if self.areas:
            return relation(location, self.areas)
        written = normalise(location.written).text
        return "inside" if written and self.place in written else "unknown"

    def contains(self, location: str) -> bool | None:
        """True if `location` lies inside, False if outside, None if it is too vague to tell
        (only a province, say), ambiguous or empty."""
        return {"inside": True, "outside": False, "unknown": None}[self.relation(locate(location))]
