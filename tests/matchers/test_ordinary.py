"""A knockoff window that is, or runs into, an ordinary word is no name of its own."""

from __future__ import annotations

import pytest

from ipwatch.matchers.text.normalise import normalise
from ipwatch.matchers.text.ordinary import word_across, word_before


def _window(title: str, fragment: str) -> tuple[str, int, int]:
    text = normalise(title).text
    start = text.index(fragment)
    return text, start, start + len(fragment)


@pytest.mark.parametrize(("title", "window", "word"), [
    ("依利用 说明书", "依利", "利用"),  # 利用 runs across the window's end
    ("伊丽莎白圈 宠物", "伊丽", "伊丽莎白"),  # a word containing the window
    ("恰恰舞 教学", "恰恰", "恰恰"),  # the window is a common word
    ("伊犁薰衣草", "伊犁", "伊犁"),  # a place, listed by hand
    ("尹利高钙奶", "尹利", None),
    ("豪牛奶粉", "豪牛", None),  # goods after the name are fine
    ("锡林鄂勒羊肉卷", "锡林鄂勒羊肉", None),
])
def test_word_across(title: str, window: str, word: str | None) -> None:
    assert word_across(*_window(title, window)) == word


@pytest.mark.parametrize(("title", "name", "word"), [
    ("娃娃哈哈 毛绒玩具", "娃哈哈", "娃娃"),
    ("内蒙牛奶 鲜奶", "蒙牛", "内蒙"),
    ("充电宝 家庭装", "宝家", "充电宝"),  # a goods noun before the name
    ("蒙牛奶粉", "蒙牛", None),  # a word beginning with the name is its goods
    ("茅台酒 53度", "茅台", None),
    ("正品康师傅方便面", "康师傅", None),
])
def test_word_before(title: str, name: str, word: str | None) -> None:
    assert word_before(*_window(title, name)) == word
