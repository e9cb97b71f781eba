"""`glyph` sees one character swapped for a look-alike in names of three or more characters."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from matchers.base import Evidence
from matchers.glyphs import LOOK_ALIKE, cjk_font, shared_part, similarity

pytestmark = pytest.mark.skipif(cjk_font() is None, reason="no CJK font installed (fonts-noto-cjk)")
Find = Callable[[str, str], list[Evidence]]

CASES = [
    ("仝聚德烤鸭", [("quanjude", "look-alike 仝聚德≈全聚德 (仝 looks like 全)")]),
    ("康帅傅方便面", [("kangshifu", "look-alike 康帅傅≈康师傅 (帅 looks like 师)")]),
    ("王到和红腐乳", [("wangzhihe", "look-alike 王到和≈王致和 (到 keeps the left part of 致)")]),
    ("同仨堂 六味地黄丸", [("tongrentang", "look-alike 同仨堂≈同仁堂 (仨 keeps the left part of 仁)")]),
    ("娃恰恰 AD钙奶", [("wahaha", "look-alike 娃恰恰≈娃哈哈 (恰 keeps the right part of 哈)")]),  # one swap, twice
    ("全娶德酱鸭", [("quanjude", "look-alike 全娶德≈全聚德 (娶 keeps the top part of 聚)")]),
    ("小肌羊 清汤底料", [("xiaofeiyang", "look-alike 小肌羊≈小肥羊 (肌 keeps the left part of 肥)")]),
    ("哈哈哈 搞笑", []),  # 哈 does not look like 娃
    ("小尾羊火锅", []),  # 尾 does not look like 肥: 小尾羊 is a brand of its own
    ("康师兄", []),  # 兄 does not look like 傅
    ("全聚德烤鸭", []),  # the name itself
    ("伊刹", []),  # two-character names are left to exact and homophone
    ("恰恰舞 教学", []),  # nothing of 娃哈哈 kept
]


@pytest.mark.parametrize(("title", "expected"), CASES)
def test_look_alike_characters_in_names(evidence: Find, title: str, expected: list[tuple[str, str]]) -> None:
    assert [(item.mark_id, item.reason.text) for item in evidence("glyph", title)] == expected


@pytest.mark.parametrize(("first", "second"), [("仝", "全"), ("帅", "师"), ("己", "已"), ("未", "末")])
def test_known_look_alikes_pass_the_glyph_measure(first: str, second: str) -> None:
    assert similarity(first, second) >= LOOK_ALIKE


@pytest.mark.parametrize(("first", "second", "part"), [("到", "致", "left"), ("恰", "哈", "right"), ("肌", "肥", "left")])
def test_characters_keeping_half_of_another_share_that_part(first: str, second: str, part: str) -> None:
    assert shared_part(first, second) == part


@pytest.mark.parametrize(("first", "second"), [("哈", "娃"), ("尾", "肥"), ("兄", "傅"), ("牛", "羊")])
def test_characters_with_nothing_in_common_share_no_part(first: str, second: str) -> None:
    assert shared_part(first, second) is None


@pytest.mark.parametrize(("first", "second"), [("哈", "娃"), ("肥", "尾"), ("师", "父"), ("伊", "依")])
def test_different_characters_do_not(first: str, second: str) -> None:
    assert similarity(first, second) < LOOK_ALIKE
