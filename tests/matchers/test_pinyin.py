"""`pinyin` reads a Chinese name spelt out in pinyin, whole words only."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ipwatch.matchers.base import Evidence

Find = Callable[[str, str], list[Evidence]]

CASES = [
    ("kangshifu 方便面", [("kangshifu", "pinyin kangshifu≈康师傅 (kang shi fu)", False)]),
    ("Kang Shi Fu 方便面", [("kangshifu", "pinyin Kang Shi Fu≈康师傅 (kang shi fu)", False)]),
    ("KANGSHIFU", [("kangshifu", "pinyin KANGSHIFU≈康师傅 (kang shi fu)", False)]),
    ("ｘｉａｏｆｅｉｙａｎｇ 火锅", [("xiaofeiyang", "pinyin ｘｉａｏｆｅｉｙａｎｇ≈小肥羊 (xiao fei yang)", False)]),
    ("luwang 羊绒", [("luwang", "pinyin luwang≈鹿王 (lu wang)", True)]),  # two syllables: weak
    ("Kan Gshifu", []),  # spaces must fall between syllables
    ("kangshifus", []),  # a whole word
    ("Quanjude 烤鸭", []),  # an alias already: the exact matcher's
]


@pytest.mark.parametrize(("title", "expected"), CASES)
def test_names_spelt_in_pinyin(evidence: Find, title: str, expected: list[tuple[str, str, bool]]) -> None:
    assert [(item.mark_id, item.reason.text, item.weak) for item in evidence("pinyin", title)] == expected
