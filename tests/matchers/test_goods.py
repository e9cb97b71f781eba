"""The goods a listing names map to Nice classes: from its category, its title's nouns, or a unit."""

from __future__ import annotations

import pytest

from ipwatch.matchers.rules.goods import goods
from ipwatch.matchers.text.normalise import normalise

# title → words found, classes
CASES = [
    ("尹利高钙奶 250ml*16盒", ("钙奶",), {29, 32}),
    ("而克篮球鞋 高帮", ("篮球鞋", "篮球", "鞋"), {25, 28}),
    ("Nike running shoes", ("shoes",), {25}),
    ("雷碧 500ml*24瓶", ("ml",), {3, 29, 32, 33}),  # no noun: what is sold by volume
    ("康帅傅 5斤", ("斤",), {5, 29, 30, 31}),
    ("雷碧 12瓶", ("瓶",), {3, 29, 32, 33}),
    ("面包 早餐", ("面包",), {30}),  # bread: 包 alone is not a bag
    ("xml 文件 500 个", (), set()),
    ("", (), set()),
]


@pytest.mark.parametrize(("title", "words", "classes"), CASES)
def test_goods_named_in_a_title(title: str, words: tuple[str, ...], classes: set[int]) -> None:
    named = goods().in_title(normalise(title))
    assert (named.words, named.classes) == (words, classes)


def test_product_nouns_leave_out_category_words_and_units() -> None:
    assert goods().nouns_in_title(normalise("运动 500ml 小米粥")).words == ()
    assert goods().nouns_in_title(normalise("东北杂粮 五谷")).classes == {30, 31}


def test_near_classes_are_those_grouped_with_a_mark_s_own() -> None:
    assert {29, 30, 32, 43} <= goods().near([32])
    assert 9 not in goods().near([32])
