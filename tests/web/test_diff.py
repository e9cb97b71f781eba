"""The mark beside the title: which characters of the listing are the knock-off's."""

from __future__ import annotations

import pytest

from ipwatch.web.diff import compare


def marked(segments, kinds=("changed", "extra", "missing")) -> list[str]:
    return [s.text for s in segments if s.kind in kinds]


@pytest.mark.parametrize(("names", "title", "shown", "in_title", "in_mark"), [
    (["康师傅"], "康帅傅红烧牛肉面 5连包", "康师傅", ["帅"], ["师"]),             # homophone swap
    (["小肥羊", "Little Sheep"], "小-肥-羊 火锅蘸料", "小肥羊", ["-", "-"], []),  # punctuation inserted
    (["Nike"], "NlKE 气垫跑步鞋", "Nike", ["l"], ["i"]),                          # glyph look-alike, any case
    (["伊利"], "尹利高钙奶 250ml", "伊利", ["尹"], ["伊"]),
    (["固阳黄芪"], "正宗固阳黄芪切片", "固阳黄芪", [], []),                        # the mark itself
    (["小肥羊", "Little Sheep"], "Littel Sheep hotpot", "Little Sheep", ["e"], ["e"]),  # alias far closer
])
def test_the_knockoff_characters_are_picked_out(names, title, shown, in_title, in_mark):
    diff = compare(names, title)
    assert diff.mark_text == shown
    assert marked(diff.title) == in_title
    assert marked(diff.mark) == in_mark
    assert "".join(s.text for s in diff.title) == title  # nothing lost, nothing added


def test_a_title_without_the_marks_text_is_shown_whole_and_unaligned():
    diff = compare(["小肥羊"], "羊毛衫 男款 秋冬")
    assert not diff.aligned and [s.kind for s in diff.title] == ["plain"]


def test_hostile_titles_stay_text_and_long_ones_stay_fast():
    title = "<script>alert(1)</script>" + "x" * 20_000 + "同仁堂"
    diff = compare(["同仁堂"], title)
    assert "".join(s.text for s in diff.title) == title
