"""A GI evoked by "kind, type, style, imitation" is flagged whatever the seller's origin; words that
describe the genuine goods are not evocation; an unknown location lowers confidence, never silences."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ipwatch.matchers.gi.evocation import split_name
from ipwatch.matchers.gi.gazetteer import Region
from ipwatch.matchers.scorer import Scorer
from ipwatch.spiders.records import Listing

MakeListing = Callable[..., Listing]
INSIDE = "内蒙古自治区包头市固阳县"
OUTSIDE = "甘肃省定西市"

# title, seller location → (mark, the evocation reason's start) or None for no evocation
CASES = [
    ("仿固阳黄芪 正北芪", OUTSIDE, ("guyang-huangqi", "evocation of 固阳黄芪: 仿 (imitation) before the name in 仿固阳黄芪")),
    ("固阳黄芪同款 甘肃黄芪", OUTSIDE, ("guyang-huangqi", "evocation of 固阳黄芪: 同款 (same style) after the name")),
    ("媲美固阳黄芪 500g", OUTSIDE, ("guyang-huangqi", "evocation of 固阳黄芪: 媲美 (rivals) before the name")),
    ("固阳式黄芪 500g", OUTSIDE, ("guyang-huangqi", "evocation of 固阳黄芪: 式 (style) in 固阳式黄芪")),
    ("固阳风味的黄芪 切片", OUTSIDE, ("guyang-huangqi", "evocation of 固阳黄芪: 风味 (flavour) in 固阳风味的黄芪")),
    ("固阳风味 正北芪切片", OUTSIDE, ("guyang-huangqi", "evocation of 固阳黄芪: 风味 (flavour) in 固阳风味")),
    ("固阳式黄芪 500g", INSIDE, ("guyang-huangqi", "evocation of 固阳黄芪: 式 (style) in 固阳式黄芪")),  # from inside too
    ("仿古阳黄芪 切片", OUTSIDE, ("guyang-huangqi", "evocation of 固阳黄芪: 仿 (imitation) before the name in 仿古阳黄芪")),
    ("type Guyang Astragalus root slices", OUTSIDE, ("guyang-huangqi", "evocation of 固阳黄芪: type before the name")),
    ("Imitation Guyang Astragalus", INSIDE, ("guyang-huangqi", "evocation of 固阳黄芪: Imitation before the name")),
    ("Guyang-style astragalus 250g", OUTSIDE, ("guyang-huangqi", "evocation of 固阳黄芪: style in Guyang-style astragalus")),
    ("astragalus slices, Guyang style", OUTSIDE, ("guyang-huangqi", "evocation of 固阳黄芪: style in Guyang style")),
    ("锡林郭勒风味羊排", OUTSIDE, ("xilinguole-yangrou", "evocation of 锡林郭勒羊肉: 风味 (flavour) in 锡林郭勒风味")),
    ("Xilingol-style lamb chops", OUTSIDE, ("xilinguole-yangrou", "evocation of 锡林郭勒羊肉: style in Xilingol-style lamb")),
    # words describing the genuine goods, and places that are not the GI
    ("固阳黄芪风味独特 切片", INSIDE, None),
    ("固阳黄芪 新式包装 500g", INSIDE, None),
    ("正宗固阳黄芪 产地直发", INSIDE, None),
    ("固阳黄芪切片 同款 买二送一", INSIDE, None),  # 同款 about the slices, not next to the name
]


@pytest.mark.parametrize(("title", "location", "expected"), CASES)
def test_evocation(scorer: Scorer, make_listing: MakeListing, title: str, location: str,
                   expected: tuple[str, str] | None) -> None:
    found = scorer.explain(make_listing(title, seller_location=location))
    evoked = [(m.mark_id, r.text) for m in found for r in m.reasons if r.text.startswith("evocation")]
    if expected is None:
        assert evoked == []
        return
    [(mark_id, text)] = evoked
    assert (mark_id, text[: len(expected[1])]) == expected
    assert "whatever the seller's origin (+0.05)" in text
    [match] = [m for m in found if m.mark_id == mark_id]
    assert match.score >= scorer.threshold, "an evocation alerts wherever the seller is"


@pytest.mark.parametrize("title", ["固阳风味土豆 5斤", "固阳县 马铃薯 农家土豆"])
def test_the_place_alone_is_not_the_gi(scorer: Scorer, make_listing: MakeListing, title: str) -> None:
    assert [m for m in scorer.explain(make_listing(title)) if m.mark_id == "guyang-huangqi"] == []


@pytest.mark.parametrize("location", ["", "🐑🐑", "朝阳"])
def test_an_unknown_location_lowers_confidence_but_keeps_the_flag(scorer: Scorer, make_listing: MakeListing,
                                                                  location: str) -> None:
    [unknown] = scorer.match(make_listing("固阳式黄芪 500g", seller_location=location))
    [known] = scorer.match(make_listing("固阳式黄芪 500g", seller_location=OUTSIDE))
    evocation = next(r for r in unknown.reasons if r.technique == "gi_evocation" and r.text.startswith("evocation"))
    assert "seller location unknown" in evocation.text and evocation.delta == 0.0
    assert scorer.threshold <= unknown.score < known.score


def test_an_authorised_seller_evoking_the_gi_is_not_flagged(scorer: Scorer, make_listing: MakeListing) -> None:
    [found] = scorer.explain(make_listing("固阳黄芪同款 礼盒", seller="固阳黄芪官方旗舰店", seller_location=OUTSIDE))
    assert found.score == 0.0
    assert [r.technique for r in found.reasons][-1] == "authorised_seller"
    assert not any(r.technique in ("gi_evocation", "gi_wrong_origin") for r in found.reasons[1:])


@pytest.mark.parametrize(("name", "region", "place", "product"), [
    ("固阳黄芪", "内蒙古自治区包头市固阳县", ("固阳",), ("黄芪",)),
    ("锡林郭勒羊肉", "内蒙古自治区锡林郭勒盟", ("锡林郭勒",), ("羊肉",)),
    ("赣南脐橙", "江西省赣州市", ("赣南",), ("脐橙",)),  # no division called 赣南: a known product noun
    ("阳澄湖大闸蟹", "江苏省苏州市", ("阳澄湖",), ("大闸蟹",)),
    ("岷县当归", "甘肃省定西市岷县", ("岷县",), ("当归",)),
    ("Guyang Astragalus", "内蒙古自治区包头市固阳县", ("guyang",), ("astragalus",)),
])
def test_a_gi_name_splits_into_place_and_product(name: str, region: str, place: tuple[str, ...],
                                                 product: tuple[str, ...]) -> None:
    split = split_name(name, Region.parse(region))
    assert split is not None and (split.place, split.product) == (place, product)
