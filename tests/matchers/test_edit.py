"""`edit` finds a Chinese name with a character added, left out, swapped or replaced, and not ordinary words."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ipwatch.matchers.base import Evidence

Find = Callable[[str, str], list[Evidence]]

# title → (mark, reason, weak) for every edit found
CASES = [
    ("固阳大黄芪 切片", [("guyang-huangqi", "inserted 固阳大黄芪≈固阳黄芪 (大 added)", False)]),
    ("阿迪大达斯 跑鞋", [("adidas", "inserted 阿迪大达斯≈阿迪达斯 (大 added)", False)]),
    ("固黄芪 500g", [("guyang-huangqi", "dropped 固黄芪≈固阳黄芪 (阳 left out)", True)]),
    ("康傅师 牛肉面", [("kangshifu", "swapped 康傅师≈康师傅 (傅师 for 师傅)", True)]),
    ("牛蒙 纯牛奶", [("mengniu", "swapped 牛蒙≈蒙牛 (牛蒙 for 蒙牛)", True)]),
    ("锡林鄂勒羊肉卷", [("xilinguole-yangrou", "replaced 锡林鄂勒羊肉≈锡林郭勒羊肉 (鄂 for 郭)", True)]),
    # a different product, not a disguise: the product noun or the last character changed
    ("锡林郭勒牛肉干", []),
    ("小肥牛火锅", []),  # 肥牛 is beef, not a disguised 小肥羊火锅
    ("固阳人参", []),
    # the name itself, and names in ordinary words
    ("北京同仁堂", []),
    ("全聚得", []),  # a homophone, not an edit
]


@pytest.mark.parametrize(("title", "expected"), CASES)
def test_edited_names(evidence: Find, title: str, expected: list[tuple[str, str, bool]]) -> None:
    assert [(item.mark_id, item.reason.text, item.weak) for item in evidence("edit", title)] == expected


def test_an_added_character_inside_an_ordinary_word_counts_for_little(evidence: Find) -> None:
    [found] = evidence("edit", "娃娃哈哈 玩具")  # 娃娃 (doll) and 哈哈 (a laugh)
    assert found.weak and found.score < 0.75
