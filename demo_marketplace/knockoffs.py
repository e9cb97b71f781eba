"""Knockoff names: the disguises infringers give a protected name, one technique at a time.

The tables are test data written for the sample watchlist's characters (2024-11); a mark whose
characters are missing simply gets fewer techniques. Homophones follow pinyin (师→帅 is the
near-homophone of the famous 康帅傅); look-alikes are 形近字; traditional forms are written by
hand because the demo must not depend on OpenCC.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator

HOMOPHONES: dict[str, str] = {
    "师": "帅狮", "傅": "付富", "康": "慷", "肥": "非菲", "羊": "洋杨", "阳": "杨扬", "小": "晓",
    "鹿": "路露", "王": "汪旺", "伊": "依衣", "利": "力立", "蒙": "萌盟", "牛": "妞",
    "娃": "哇", "全": "泉权", "聚": "巨具", "德": "得", "同": "铜桐", "仁": "人任", "堂": "唐棠",
    "致": "志至", "和": "禾合", "固": "古故", "黄": "皇煌", "芪": "其奇", "锡": "西希",
    "林": "琳霖", "郭": "锅国", "勒": "乐", "肉": "柔", "斯": "丝司", "迪": "笛", "达": "答",
    "耐": "奈", "克": "刻", "洽": "恰",
}
LOOKALIKES: dict[str, str] = {
    "洽": "治", "全": "仝", "致": "到", "哈": "恰", "傅": "博", "肥": "肌", "羊": "芈",
    "鹿": "麂", "王": "玉", "伊": "尹", "利": "刺", "蒙": "豪", "牛": "午", "同": "周",
    "仁": "仨", "堂": "常", "固": "困", "芪": "茋", "锡": "钖", "郭": "鄂", "勒": "勤",
    "聚": "娶", "德": "徳", "康": "唐", "阳": "阴", "斯": "欺", "迪": "油", "耐": "而",
}
TRADITIONAL: dict[str, str] = {
    "阳": "陽", "黄": "黃", "圣": "聖", "师": "師", "锡": "錫", "达": "達", "门": "門", "东": "東",
    "龙": "龍", "马": "馬", "鸭": "鴨", "乐": "樂", "宝": "寶", "华": "華", "国": "國", "兰": "蘭",
    "药": "藥", "养": "養", "参": "參", "杨": "楊", "汤": "湯", "鸡": "雞", "鱼": "魚", "园": "園",
    "庆": "慶", "广": "廣", "贵": "貴", "云": "雲", "宁": "寧", "鲜": "鮮", "传": "傳", "万": "萬",
    "绒": "絨", "盟": "盟", "坛": "壇", "酱": "醬", "饭": "飯", "面": "麵", "聪": "聰", "丽": "麗",
}
LATIN_EDITS: dict[str, tuple[str, ...]] = {
    "adidas": ("Abibas", "Adidos", "adldas"),
    "nike": ("Nlke", "N1ke", "Nikke"),
}
_LATIN_SWAPS = (("i", "l"), ("l", "1"), ("o", "0"), ("e", "a"), ("a", "o"), ("s", "z"), ("k", "c"))
_CJK_SEPARATORS = (" ", "·", "*", "-")
_LATIN_SEPARATORS = (".", " ", "-")


def is_cjk(text: str) -> bool:
    """True when `text` contains a CJK ideograph."""
    return any("\u4e00" <= char <= "\u9fff" for char in text)


def is_latin(text: str) -> bool:
    """True when `text` contains an ASCII letter and no CJK ideograph."""
    return any(char.isascii() and char.isalpha() for char in text) and not is_cjk(text)


def _centre_first(text: str) -> list[int]:
    """Positions of `text`, middle ones first: infringers keep the first and last characters."""
    middle = (len(text) - 1) / 2
    return sorted(range(len(text)), key=lambda index: abs(index - middle))


def homophones(name: str) -> Iterator[str]:
    """Names with one character replaced by a same (or near) pinyin character: 康师傅 → 康帅傅."""
    for index in _centre_first(name):
        for substitute in HOMOPHONES.get(name[index], "")[:1]:
            yield name[:index] + substitute + name[index + 1:]


def lookalikes(name: str) -> Iterator[str]:
    """Names with one 形近字 swapped in, every occurrence: 洽洽 → 治治, 全聚德 → 仝聚德."""
    for index in _centre_first(name):
        substitute = LOOKALIKES.get(name[index])
        if substitute:
            yield name.replace(name[index], substitute)


def traditional(name: str) -> Iterator[str]:
    """The name in traditional characters where that changes it: 固阳黄芪 → 固陽黃芪."""
    converted = "".join(TRADITIONAL.get(char, char) for char in name)
    if converted != name:
        yield converted


def fullwidth(name: str) -> Iterator[str]:
    """ASCII letters and digits as their fullwidth forms: adidas → ａｄｉｄａｓ."""
    converted = "".join(chr(ord(char) + 0xFEE0) if char.isascii() and char.isalnum() else char for char in name)
    if converted != name:
        yield converted


def spacing(name: str) -> Iterator[str]:
    """Spaces or symbols between the characters: 康 师 傅, 小·肥·羊, 伊*利."""
    if len(name.replace(" ", "")) < 2:
        return
    separators = _LATIN_SEPARATORS if is_latin(name) else _CJK_SEPARATORS
    for separator in separators:
        yield separator.join(name.replace(" ", ""))


def latin_edits(name: str) -> Iterator[str]:
    """One-letter edits of a Latin name: adidas → Abibas, Nike → N1ke."""
    yield from LATIN_EDITS.get(name.casefold(), ())
    if len(name) < 4:
        return
    for old, new in _LATIN_SWAPS:
        index = name.find(old, 1)
        if index > 0:
            yield name[:index] + new + name[index + 1:]


Technique = Callable[[str], Iterator[str]]
CJK_TECHNIQUES: dict[str, Technique] = {
    "homophone": homophones, "lookalike": lookalikes, "traditional": traditional,
}
LATIN_TECHNIQUES: dict[str, Technique] = {"fullwidth": fullwidth, "latin_edit": latin_edits}
PER_TECHNIQUE = {"homophone": 2, "latin_edit": 2}  # variants kept per technique; others keep one


def disguises(names: tuple[str, ...], rng: random.Random) -> list[tuple[str, str]]:
    """(technique, disguised name) candidates for a mark's names, name first, one list per technique."""
    found: list[tuple[str, str]] = []
    for technique, make in {**CJK_TECHNIQUES, **LATIN_TECHNIQUES}.items():
        wanted = is_cjk if technique in CJK_TECHNIQUES else is_latin
        variants: list[str] = []
        for name in names:
            if wanted(name):
                variants += [variant for variant in make(name) if variant != name and variant not in variants]
        found += [(technique, variant) for variant in variants[: PER_TECHNIQUE.get(technique, 1)]]
    spaced = list(spacing(names[0]))
    if spaced:
        found.append(("spacing", rng.choice(spaced)))
    return found
