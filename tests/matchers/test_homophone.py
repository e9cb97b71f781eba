"""`homophone` hears names written with other characters, and not ordinary words that sound alike."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ipwatch.matchers.base import Evidence
from ipwatch.matchers.text.readings import fold_syllable

Find = Callable[[str, str], list[Evidence]]

CASES = [
    ("康师父方便面", [("kangshifu", "homophone 康师父≈康师傅 (kang shi fu ~ kang shi fu)")]),
    ("康思傅方便面", [("kangshifu", "homophone 康思傅≈康师傅 (kang si fu ~ kang shi fu)")]),  # s/sh
    ("小肥洋 清汤", [("xiaofeiyang", "homophone 小肥洋≈小肥羊 (xiao fei yang ~ xiao fei yang)")]),
    ("全聚得烤鸭", [("quanjude", "homophone 全聚得≈全聚德 (quan ju de ~ quan ju de)")]),
    ("王致合腐乳", [("wangzhihe", "homophone 王致合≈王致和 (wang zhi he ~ wang zhi he)")]),
    ("蒙扭牛奶", [("mengniu", "homophone 蒙扭≈蒙牛 (meng niu ~ meng niu)")]),
    ("伊莉牛奶", [("yili", "homophone 伊莉≈伊利 (yi li ~ yi li)")]),
    ("康师傅方便面", []),  # the name itself is the exact matcher's
    ("伊犁薰衣草", []),  # a place: listed in data/ordinary_words.yaml
    ("一粒胶囊 毅力", []),  # two-character homophones sharing no character are ordinary words
    ("耐磕碰手机壳", []),
    ("康帅傅", []),  # shuai is not shi: a look-alike, not a homophone
]


@pytest.mark.parametrize(("title", "expected"), CASES)
def test_homophones_of_names(evidence: Find, title: str, expected: list[tuple[str, str]]) -> None:
    assert [(item.mark_id, item.reason.text) for item in evidence("homophone", title)] == expected


@pytest.mark.parametrize(("syllable", "folded"), [
    ("zhi", "zi"), ("chang", "can"), ("shi", "si"), ("niu", "liu"), ("feng", "fen"), ("ying", "yin"),
    ("yang", "yan"), ("kong", "kong"), ("lv", "lv"),
])
def test_confusable_sounds_fold_together(syllable: str, folded: str) -> None:
    assert fold_syllable(syllable) == folded
