"""Characters are alike when a knockoff would pass for the original, judged from their parts and corners."""

from __future__ import annotations

import pytest

from ipwatch.matchers.text.glyphs import resemblance, strokes

# Pairs from documented knockoffs (the knockoff's character first): every one must be seen.
KNOCKOFF_PAIRS = [
    ("到", "致"), ("仨", "仁"), ("肌", "肥"), ("豪", "蒙"), ("尹", "伊"), ("治", "洽"), ("仝", "全"),
    ("恰", "哈"), ("油", "迪"), ("帅", "师"), ("雷", "雪"), ("粤", "奥"), ("博", "傅"), ("而", "耐"),
    ("土", "士"), ("丸", "九"), ("季", "李"), ("持", "特"), ("玉", "王"), ("午", "牛"), ("免", "兔"),
    ("挑", "桃"), ("昧", "味"), ("日", "白"), ("像", "象"), ("渔", "鱼"), ("每", "海"), ("如", "加"),
    ("恰", "怡"), ("令", "今"), ("宇", "守"), ("已", "己"), ("末", "未"), ("麂", "鹿"), ("傳", "傅"),
]
# Pairs that share a radical or a few strokes but no one would take for each other.
APART = [
    ("便", "伊"), ("魔", "鹿"), ("尾", "肥"), ("哈", "娃"), ("兄", "傅"), ("羊", "牛"), ("父", "师"),
    ("依", "伊"), ("路", "鹿"), ("朗", "明"), ("海", "河"), ("湖", "江"), ("喝", "吃"), ("秋", "利"),
    ("刻", "克"), ("利", "便"), ("大", "小"),
]
STRONG = [("尹", "伊"), ("雷", "雪"), ("豪", "蒙"), ("而", "耐"), ("治", "洽"), ("帅", "师"), ("午", "牛")]


@pytest.mark.parametrize(("seen", "meant"), KNOCKOFF_PAIRS)
def test_characters_from_real_knockoffs_are_seen_as_look_alikes(seen: str, meant: str) -> None:
    found = resemblance(seen, meant)
    assert found is not None and seen in found.words and meant in found.words


@pytest.mark.parametrize(("seen", "meant"), STRONG)
def test_the_swaps_two_character_knockoffs_use_are_strong(seen: str, meant: str) -> None:
    found = resemblance(seen, meant)
    assert found is not None and found.strength == "strong"


@pytest.mark.parametrize(("seen", "meant"), APART)
def test_characters_sharing_only_a_radical_are_not_alike(seen: str, meant: str) -> None:
    assert resemblance(seen, meant) is None


@pytest.mark.parametrize(("seen", "meant", "words"), [
    ("尹", "伊", "尹 is 伊 without 亻"),
    ("莉", "利", "莉 is 利 with 艹 added"),
    ("到", "致", "到 keeps 至 of 致"),
    ("帅", "师", "帅 looks like 师"),
])
def test_a_resemblance_says_how_the_characters_differ(seen: str, meant: str, words: str) -> None:
    assert resemblance(seen, meant).words == words  # type: ignore[union-attr]


def test_a_character_is_not_its_own_look_alike_and_unknown_ones_resemble_nothing() -> None:
    assert resemblance("伊", "伊") is None
    assert resemblance("a", "伊") is None and resemblance("😀", "伊") is None


@pytest.mark.parametrize(("char", "count"), [("一", 1), ("人", 2), ("口", 3), ("王", 4), ("伊", 6), ("德", 15)])
def test_strokes_are_counted_through_the_decomposition(char: str, count: int) -> None:
    assert abs(strokes(char) - count) <= 1
