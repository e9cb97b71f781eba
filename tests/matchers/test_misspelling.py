"""`misspelling` catches knockoff spellings of one-word Latin names, not the English words near them."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ipwatch.matchers.base import Evidence

Find = Callable[[str, str], list[Evidence]]

CASES = [
    ("Abibas 跑步鞋", [("adidas", "misspelling Abibas≈adidas (2 letters changed)")]),
    ("Adidos 运动裤", [("adidas", "misspelling Adidos≈adidas (1 letter changed)")]),
    ("Adiddas", [("adidas", "misspelling Adiddas≈adidas (1 letter changed)")]),
    ("Nkie air", [("nike", "misspelling Nkie≈Nike (1 letter changed)")]),  # swapped neighbours
    ("Mengnui 牛奶", [("mengniu", "misspelling Mengnui≈Mengniu (1 letter changed)")]),
    ("nice day T恤", []),  # English, listed in data/latin_stopwords.yaml
    ("nine west", []),
    ("bike like hike mike", []),  # the first letter must agree
    ("Abbdbs", []),  # 3 letters changed
    ("Nikky", []),  # 2 letters from a 4-letter name
    ("little sheet master king", []),  # multi-word aliases are matched exactly only
    ("Nike", []),  # the name itself
]


@pytest.mark.parametrize(("title", "expected"), CASES)
def test_misspelt_names(evidence: Find, title: str, expected: list[tuple[str, str]]) -> None:
    assert [(item.mark_id, item.reason.text) for item in evidence("misspelling", title)] == expected
