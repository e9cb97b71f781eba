"""`glyph` sees a character swapped for one drawn like it; in two-character names only as weak evidence."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ipwatch.matchers.base import Evidence

Find = Callable[[str, str], list[Evidence]]

# title → (mark, reason, weak) for every look-alike found
CASES = [
    ("仝聚德烤鸭", [("quanjude", "look-alike 仝聚德≈全聚德 (仝 looks like 全)", False)]),
    ("康帅傅方便面", [("kangshifu", "look-alike 康帅傅≈康师傅 (帅 looks like 师)", False)]),
    ("康师傳 方便面", [("kangshifu", "look-alike 康师傳≈康师傅 (傳 looks like 傅)", False)]),  # as written, not 传
    ("王到和红腐乳", [("wangzhihe", "look-alike 王到和≈王致和 (到 keeps 至 of 致)", False)]),
    ("同仨堂 六味地黄丸", [("tongrentang", "look-alike 同仨堂≈同仁堂 (仨 looks like 仁)", False)]),
    ("娃恰恰 AD钙奶", [("wahaha", "look-alike 娃恰恰≈娃哈哈 (恰 keeps 合 of 哈)", False)]),  # one swap, twice
    ("小肌羊 清汤底料", [("xiaofeiyang", "look-alike 小肌羊≈小肥羊 (肌 looks like 肥)", False)]),
    ("固阴黄芪", [("guyang-huangqi", "look-alike 固阴黄芪≈固阳黄芪 (阴 looks like 阳)", False)]),
    # two-character names: weak evidence, for the goods named to confirm
    ("尹利高钙奶", [("yili", "look-alike 尹利≈伊利 (尹 is 伊 without 亻)", True)]),
    ("豪牛纯牛奶", [("mengniu", "look-alike 豪牛≈蒙牛 (豪 keeps 冖豕 of 蒙)", True)]),
    ("而克篮球鞋", [("nike", "look-alike 而克≈耐克 (而 is 耐 without 寸)", True)]),
    ("康帅博 牛肉面", [("kangshifu", "look-alike 康帅博≈康师傅 (帅 looks like 师, 博 keeps 甫寸 of 傅)", True)]),
    # nothing drawn alike, ordinary words, the names themselves
    ("小尾羊火锅", []),  # 尾 is not drawn like 肥: 小尾羊 is a brand of its own
    ("康师兄", []),
    ("全聚德烤鸭", []),
    ("便利店 牛奶", []),  # 便 shares only 亻 with 伊
    ("魔王 羊绒衫", []),  # 魔 shares only 广 with 鹿
    ("恰恰舞 教学", []),  # 恰恰 is a common word
    ("哈哈哈 搞笑", []),
]


@pytest.mark.parametrize(("title", "expected"), CASES)
def test_look_alike_characters_in_names(evidence: Find, title: str, expected: list[tuple[str, str, bool]]) -> None:
    assert [(item.mark_id, item.reason.text, item.weak) for item in evidence("glyph", title)] == expected


def test_the_glyph_matcher_needs_no_font_and_is_always_on(scorer: object) -> None:
    assert "glyph" not in scorer.declined  # type: ignore[attr-defined]
