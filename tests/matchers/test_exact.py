"""`exact` finds names and aliases however they are dressed up, and Latin names only as words."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ipwatch.matchers.base import Evidence

Find = Callable[[str, str], list[Evidence]]

# title → (mark, reason) for every name found, or nothing
CASES = [
    ("小肥羊 清汤底料", [("xiaofeiyang", "exact name 小肥羊 in title")]),
    ("小肥羊火锅 清汤", [("xiaofeiyang", "exact name 小肥羊 in title"), ("xiaofeiyang", "exact alias 小肥羊火锅 in title")]),
    ("Little Sheep hotpot", [("xiaofeiyang", "exact alias Little Sheep in title")]),
    ("littlesheep 火锅", [("xiaofeiyang", "exact alias Little Sheep in title as littlesheep")]),
    ("固 陽 黃 芪 500g", [("guyang-huangqi", "traditional+spacing 固 陽 黃 芪→固阳黄芪")]),
    ("ＡＤＩＤＡＳ 卫衣", [("adidas", "full-width ＡＤＩＤＡＳ→adidas")]),
    ("Nike's 新款", [("nike", "exact name Nike in title")]),
    ("nikes 2024", [("nike", "exact name Nike in title as nike")]),
    ("Nikeboy unikey", []),  # a short Latin name must stand as a word
    ("originalsadidas", []),  # and start one
    ("伊利诺伊州 地图", []),  # Illinois, an ordinary word containing 伊利
    ("黄芪片", []),
]


@pytest.mark.parametrize(("title", "expected"), CASES)
def test_exact_names_in_titles(evidence: Find, title: str, expected: list[tuple[str, str]]) -> None:
    found = [(item.mark_id, item.reason.text) for item in evidence("exact", title)]
    assert found == expected


def test_scores_put_literal_above_recased_above_disguised(evidence: Find) -> None:
    [literal] = evidence("exact", "Nike")
    [recased] = evidence("exact", "NIKE")
    [disguised] = evidence("exact", "Ｎｉｋｅ")
    assert literal.score > recased.score > disguised.score >= 0.95


def test_the_span_points_at_the_title_as_written(evidence: Find) -> None:
    title = "正品 康 师 傅 方便面"
    [found] = evidence("exact", title)
    assert found.span is not None and title[found.span[0]:found.span[1]] == "康 师 傅"
