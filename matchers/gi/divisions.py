"""The PRC's administrative divisions (province → prefecture → county), indexed by every way
people write them: full name (固阳县), short form (固阳, 内蒙), pinyin (guyang) and English
(Inner Mongolia). The table is matchers/data/divisions.tsv; see its header for source and date.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

import yaml
from pypinyin import lazy_pinyin

from .. import DATA
from ..text.normalise import normalise

Level = Literal["province", "prefecture", "county"]

_LEVELS: dict[Level, int] = {"province": 0, "prefecture": 1, "county": 2}
# Suffixes of prefecture- and county-level names, longest first; a short form is the name
# without one of them (固阳县 → 固阳, 锡林郭勒盟 → 锡林郭勒, 阿克苏地区 → 阿克苏).
_SUFFIXES = ("自治州", "自治县", "自治旗", "联合旗", "地区", "林区", "特区", "新区", "盟", "市", "县", "区", "旗")
_AUTONOMOUS = ("自治区", "自治州", "自治县", "自治旗")
_PROVINCE_SUFFIXES = ("特别行政区", "自治区", "省", "市")


@dataclass(frozen=True, slots=True)
class Division:
    """One province-, prefecture- or county-level division, e.g. 150222 固阳县 in 150200 包头市."""

    code: str
    name: str
    level: Level
    parent: str | None

    @property
    def depth(self) -> int:
        """0 for a province, 1 for a prefecture, 2 for a county."""
        return _LEVELS[self.level]


class Divisions:
    """The division table and its indexes: written form → codes, pinyin or English → codes."""

    def __init__(self, rows: Iterable[tuple[str, str]], extra: Mapping[str, Any]) -> None:
        named = dict(rows)
        self.by_code: dict[str, Division] = {code: _division(code, name, named) for code, name in named.items()}
        ethnic = sorted((str(name) for name in extra.get("ethnic_groups", ())), key=len, reverse=True)
        ignore = {str(name) for name in extra.get("ignore", ())}
        written: dict[str, set[str]] = defaultdict(set)
        latin: dict[str, set[str]] = defaultdict(set)
        self.short: dict[str, str] = {}
        for division in self.by_code.values():
            forms = short_forms(division, ethnic)
            self.short[division.code] = forms[0] if forms else division.name
            for form in (division.name, *forms):
                if form not in ignore:
                    written[normalise(form).text].add(division.code)
            latin[_latin_key(" ".join(lazy_pinyin(forms[0] if forms else division.name)))].add(division.code)
        for table, index in (("province_short_forms", written), ("short_forms", written), ("latin", latin)):
            for code, names in dict(extra.get(table) or {}).items():
                for name in names:
                    key = _latin_key(str(name)) if index is latin else normalise(str(name)).text
                    index[key].add(str(code))
        self.by_name = {form: frozenset(codes) for form, codes in written.items() if form}
        self.by_latin = {form: frozenset(codes) for form, codes in latin.items() if form}
        self.not_in_titles = frozenset(normalise(str(word)).text for word in extra.get("not_in_titles", ()))
        self.longest = max(map(len, self.by_name))

    def get(self, code: str) -> Division:
        """The division with this code."""
        return self.by_code[code]

    def lineage(self, code: str) -> tuple[Division, ...]:
        """The division and its parents, province first: 内蒙古自治区, 包头市, 固阳县."""
        chain: list[Division] = []
        current: str | None = code
        while current is not None:
            division = self.by_code[current]
            chain.append(division)
            current = division.parent
        return tuple(reversed(chain))

    def within(self, code: str, area: str) -> bool:
        """True if division `code` is `area` or lies inside it."""
        return any(division.code == area for division in self.lineage(code))

    def related(self, one: str, other: str) -> bool:
        """True if one division contains the other (or they are the same)."""
        return self.within(one, other) or self.within(other, one)

    def path(self, code: str) -> str:
        """The full written address of a division: 内蒙古自治区包头市固阳县."""
        return "".join(division.name for division in self.lineage(code))


def short_forms(division: Division, ethnic_groups: Iterable[str] = ()) -> tuple[str, ...]:
    """The names people write instead of the full one: 固阳县 → 固阳, 延边朝鲜族自治州 → 延边.

    Autonomous divisions lose their ethnic names too (察布查尔锡伯自治县 → 察布查尔); a
    short form of one character (岷县 → 岷) is too ambiguous to use and is left out.
    """
    name = division.name
    suffixes = _PROVINCE_SUFFIXES if division.level == "province" else _SUFFIXES
    suffix = next((end for end in suffixes if name.endswith(end) and len(name) > len(end)), "")
    stem = name[: len(name) - len(suffix)]
    if suffix in _AUTONOMOUS:
        stem = _without_ethnic_names(stem, tuple(ethnic_groups))
    return (stem,) if len(stem) >= 2 and stem != name else ()


def _without_ethnic_names(stem: str, ethnic_groups: tuple[str, ...]) -> str:
    changed = True
    while changed:
        changed = False
        for group in ethnic_groups:
            for ending in (group + "族", group) if len(group) >= 2 else (group + "族",):
                if stem.endswith(ending) and len(stem) - len(ending) >= 2:
                    stem, changed = stem[: -len(ending)], True
                    break
            if changed:
                break
    return stem


def _division(code: str, name: str, named: Mapping[str, str]) -> Division:
    province, prefecture = code[:2] + "0000", code[:4] + "00"
    if code == province:
        return Division(code, name, "province", None)
    if code == prefecture:
        return Division(code, name, "prefecture", province)
    return Division(code, name, "county", prefecture if prefecture in named else province)


def _latin_key(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.casefold().replace("ü", "v"))


@cache
def divisions() -> Divisions:
    """The bundled division table with its indexes, loaded once."""
    rows = []
    for line in (DATA / "divisions.tsv").read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            code, name = line.split("\t")
            rows.append((code, name))
    extra = yaml.safe_load((DATA / "divisions_extra.yaml").read_text("utf-8"))
    return Divisions(rows, extra)
