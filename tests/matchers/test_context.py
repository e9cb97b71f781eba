"""Context moves scores for reasons a brand owner can check: seller, wording, price, category."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ipwatch.matchers.scorer import Scorer
from ipwatch.spiders.records import Listing

MakeListing = Callable[..., Listing]

# listing fields → the context reason the 固阳黄芪 match carries (None: no context reason)
CASES = [
    (dict(price=9.9), "price ¥9.90 is 8% of reference ¥120 (+0.10)"),
    (dict(price=9.9, currency="cny"), "price ¥9.90 is 8% of reference ¥120 (+0.10)"),
    (dict(price=47.0), "price ¥47 is 39% of reference ¥120 (+0.10)"),
    (dict(price=48.0), None),  # 40%: a discount, not a giveaway
    (dict(price=9.9, currency="USD"), None),  # other currencies are not converted
    (dict(price=0.0), None),  # a price of 0 is a scraping failure, not a bargain
    (dict(category="中药材/滋补"), None),
    (dict(category="生鲜水果"), None),  # class 31 is one of the mark's own
    (dict(category="零食"), None),  # foods are near class 31
    (dict(category="手机壳"), "category 手机壳 (Nice 9) is far from 固阳黄芪's classes 5, 31 (-0.30)"),
    (dict(category="steam cleaner"), None),  # unknown categories say nothing
    (dict(seller="固阳县金山镇黄芪合作社"), "authorised seller 固阳县金山镇黄芪合作社 (score cleared)"),
    (dict(seller="固陽黃芪官方旗艦店"), "authorised seller 固陽黃芪官方旗艦店 (score cleared)"),  # traditional
    (dict(seller="固阳黄芪专卖店"), None),
    (dict(seller_location="内蒙古自治区包头市固阳县金山镇"),
     "seller in the GI region 固阳: 内蒙古自治区包头市固阳县金山镇 (-0.40)"),
    (dict(seller_location="河北省安国市"), "seller outside the GI region 内蒙古自治区包头市固阳县: 河北省安国市 (+0.05)"),
    (dict(seller_location="内蒙古自治区包头市"), None),  # the right city, but is it the county?
]


@pytest.mark.parametrize(("fields", "reason"), CASES)
def test_context_reasons(scorer: Scorer, make_listing: MakeListing, fields: dict, reason: str | None) -> None:
    [found] = scorer.explain(make_listing("固阳黄芪 500g", **fields))
    context = [r.text for r in found.reasons if r.technique != "exact"]
    assert context == ([reason] if reason else [])
    assert round(0.98 + sum(r.delta for r in found.reasons), 3) == found.score or found.score == 1.0


@pytest.mark.parametrize(("title", "cue"), [
    ("适用于耐克鞋带", "适用于"),
    ("适用于新款耐克鞋带", "适用于"),  # up to two characters between
    ("兼容 Nike 表带", "兼容"),
    ("替换 adidas 鞋垫", "替换"),
    ("watch band compatible with Nike", "compatible with"),
    ("insoles fits adidas", "fits"),
    ("charging cable works with Nike watch", "works with"),
])
def test_compatibility_wording_before_the_mark_lowers_the_score(
    scorer: Scorer, make_listing: MakeListing, title: str, cue: str,
) -> None:
    [found] = scorer.explain(make_listing(title))
    assert any(r.technique == "descriptive" and f"descriptive use {cue} before" in r.text for r in found.reasons)
    assert found.score < scorer.threshold


@pytest.mark.parametrize("title", ["耐克运动鞋 适用于跑步", "Nike shoes for running", "comfort Nike"])
def test_the_same_words_elsewhere_change_nothing(scorer: Scorer, make_listing: MakeListing, title: str) -> None:
    [found] = scorer.match(make_listing(title))
    assert all(r.technique != "descriptive" for r in found.reasons)


def test_category_words_map_to_nice_classes(scorer: Scorer) -> None:
    classes_of = scorer.context.classes_of
    assert classes_of("运动鞋") == {25, 28}
    assert classes_of("Sports > Shoes") == {25, 28}
    assert classes_of("面包") == {30}  # bread: 包 alone is not a bag
