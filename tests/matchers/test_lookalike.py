"""`lookalike` reads Latin names spelt with digits, letter pairs and foreign letters that imitate them."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ipwatch.matchers.base import Evidence

Find = Callable[[str, str], list[Evidence]]

CASES = [
    ("Nlke 跑鞋", [("nike", "look-alike Nlke≈Nike")]),
    ("N1KE 跑鞋", [("nike", "look-alike N1KE≈Nike")]),
    ("rnengniu 牛奶", [("mengniu", "look-alike rnengniu≈Mengniu")]),
    ("VVAHAHA", [("wahaha", "look-alike VVAHAHA≈Wahaha")]),
    ("аdidas", [("adidas", "look-alike аdidas≈adidas")]),  # Cyrillic а
    ("Y1LI milk", [("yili", "look-alike Y1LI≈Yili")]),
    ("Nike 跑鞋", []),  # the name itself is the exact matcher's
    ("Nile river", []),
    ("unlkey", []),
]


@pytest.mark.parametrize(("title", "expected"), CASES)
def test_look_alike_spellings(evidence: Find, title: str, expected: list[tuple[str, str]]) -> None:
    assert [(item.mark_id, item.reason.text) for item in evidence("lookalike", title)] == expected
