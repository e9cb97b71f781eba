"""Fresh GI goods offered out of season, or more than the region grows, raise the score with the reason."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from ipwatch.matchers.gi.supply import QUANTITY, SEASON, offered, quantity_reason, season_reason
from ipwatch.matchers.probe import Probe
from ipwatch.matchers.scorer import Scorer
from ipwatch.spiders.records import Listing
from ipwatch.watchlist.records import Mark

MakeListing = Callable[..., Listing]
INSIDE = "内蒙古自治区包头市固阳县"
RICE = Mark.model_validate({
    "id": "wuchang-dami", "name": "五常大米", "kind": "gi", "owner": "五常市大米协会", "region": "黑龙江省哈尔滨市五常市",
    "season": {"months": [9, 10], "words": ["新米"]},
    "annual_output": {"amount": 1_000_000, "unit": "t", "source": "illustrative"},
})


def at(year: int, month: int, day: int, hour: int = 4) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


# title, when it was fetched → the season reason for 固阳黄芪 (harvest Mar-Apr, Sep-Nov), or None
SEASONS = [
    ("鲜黄芪 固阳黄芪 现挖", at(2024, 7, 10), "offered fresh (现挖) in Jul, outside 固阳黄芪's harvest season "
                                             "(Mar-Apr, Sep-Nov) (+0.10)"),
    ("固阳黄芪 新鲜 500g", at(2024, 1, 5), "offered fresh (新鲜) in Jan, outside 固阳黄芪's harvest season "
                                          "(Mar-Apr, Sep-Nov) (+0.10)"),
    ("固阳鲜黄芪 500g", at(2024, 6, 1), "offered fresh (鲜黄芪) in Jun, outside 固阳黄芪's harvest season "
                                       "(Mar-Apr, Sep-Nov) (+0.10)"),
    ("固阳黄芪 现挖鲜黄芪", at(2024, 10, 10), None),  # in season
    ("固阳黄芪 现挖", at(2024, 8, 31, 20), None),  # 04:00 on 1 September in China: in season
    ("固阳黄芪 切片 500g", at(2024, 7, 10), None),  # dried slices are sold all year
    ("固阳黄芪 保鲜袋装 500g", at(2024, 7, 10), None),  # 保鲜 keeps fresh; it does not say fresh-dug
]


@pytest.mark.parametrize(("title", "fetched_at", "reason"), SEASONS)
def test_fresh_goods_out_of_season(scorer: Scorer, make_listing: MakeListing, title: str, fetched_at: datetime,
                                   reason: str | None) -> None:
    [found] = scorer.explain(make_listing(title, seller_location=INSIDE, fetched_at=fetched_at))
    assert [r.text for r in found.reasons if r.technique == "gi_season"] == ([reason] if reason else [])
    assert found.score < scorer.threshold, "a grower in the region out of season is raised, not alerted"


def test_a_marks_own_fresh_words_count() -> None:
    probe = Probe.of(Listing(site="t", listing_key="1", url="", title="五常大米 2024新米", fetched_at=at(2024, 5, 1)))
    reason = season_reason(probe, RICE, ["大米"])
    assert reason is not None and reason.delta == SEASON and "新米" in reason.text


@pytest.mark.parametrize(("title", "kilograms"), [
    ("现货3万吨", [30_000_000]), ("年供货300万吨", [3_000_000_000]), ("十万斤", [50_000]),
    ("500g*2袋", [0.5]), ("10,000 tons of rice", [10_000_000]), ("两千五百公斤", [2_500]), ("5kg 装", [5]),
    ("250g tea", [0.25]), ("上万吨", [10_000_000]), ("特级 礼盒", []),
])
def test_quantities_in_titles(title: str, kilograms: list[float]) -> None:
    assert [round(kg, 3) for _, kg in offered(title)] == kilograms


@pytest.mark.parametrize(("title", "expected"), [
    ("五常大米 年供货300万吨", "offers 300万吨 (≈3,000,000 t), more than 五常大米's known yearly output of 1,000,000 t, "
                          "illustrative (+0.10)"),
    ("五常大米 批发 现货3万吨", None),
    ("五常大米 5kg", None),
])
def test_offers_beyond_the_regions_output(title: str, expected: str | None) -> None:
    reason = quantity_reason(Probe.of(Listing(site="t", listing_key="1", url="", title=title)), RICE)
    assert (reason.text if reason else None) == expected
    assert reason is None or reason.delta == QUANTITY


def test_a_mark_without_season_or_output_has_no_supply_reason() -> None:
    plain = RICE.model_copy(update={"season": None, "annual_output": None})
    probe = Probe.of(Listing(site="t", listing_key="1", url="", title="五常大米 新米 现货300万吨", fetched_at=at(2024, 5, 1)))
    assert season_reason(probe, plain, ["大米"]) is None and quantity_reason(probe, plain) is None
