"""An old brand's heritage claimed by a shop that is not the owner's is flagged; the name in
common use for a dish is not, unless a heritage claim or the owner's logo comes with it."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ipwatch.matchers.probe import Probe
from ipwatch.matchers.rules.heritage import heritage_claim
from ipwatch.matchers.scorer import Scorer
from ipwatch.spiders.records import Listing
from ipwatch.watchlist.records import Mark

MakeListing = Callable[..., Listing]

# title, seller → (mark alerted or None, the provenance reason or None)
CASES = [
    ("全聚德 北京烤鸭 百年老店", "烤鸭小店",
     ("quanjude", "heritage claim 百年老店 for 全聚德 by 烤鸭小店, not the owner's shop (+0.10)")),
    ("全聚德烤鸭 始创于1864", "烤鸭小店",
     ("quanjude", "heritage claim 始创于1864 for 全聚德 by 烤鸭小店, not the owner's shop (+0.10)")),
    ("Quanjude roast duck since 1864", "Duck Shop",
     ("quanjude", "heritage claim since 1864 for 全聚德 by Duck Shop, not the owner's shop (+0.10)")),
    ("中华老字号 同仁堂六味地黄丸", "康源大药房",
     ("tongrentang", "heritage claim 中华老字号 for 同仁堂 by 康源大药房, not the owner's shop (+0.10)")),
    ("王致和 红腐乳 正宗", "调料店", ("wangzhihe", "heritage claim 正宗 for 王致和 by 调料店, not the owner's shop (+0.10)")),
    ("同仁唐 六味地黄丸 老字号", "某药房",  # a knockoff of the name with a heritage claim
     ("tongrentang", "heritage claim 老字号 for 同仁堂 by 某药房, not the owner's shop (+0.10)")),
    ("全聚德烤鸭 真空 含饼酱", "烤鸭小店", ("quanjude", None)),  # the name alone: an alert, no heritage claim
    ("全聚德烤鸭 百年老店", "全聚德官方旗舰店", (None, None)),  # the owner's own shop
    ("全聚德烤鸭做法 家常菜谱 图解", "新华书店",
     (None, "generic use 全聚德烤鸭做法: the common name of a dish or style, no heritage claim or logo (-0.50)")),
    ("全聚德烤鸭做法 百年老店秘方", "烤鸭培训",
     ("quanjude", "heritage claim 百年老店 for 全聚德 by 烤鸭培训, not the owner's shop (+0.10)")),
    ("北京烤鸭 老字号 正宗", "烤鸭小店", (None, None)),  # heritage words without the brand
    ("伊利 纯牛奶 老字号", "乳品店", ("yili", None)),  # a trademark has no heritage rule
]


@pytest.mark.parametrize(("title", "seller", "expected"), CASES)
def test_heritage_claims_and_generic_use(scorer: Scorer, make_listing: MakeListing, title: str, seller: str,
                                         expected: tuple[str | None, str | None]) -> None:
    found = scorer.explain(make_listing(title, seller=seller))
    alerted = [m.mark_id for m in found if m.score >= scorer.threshold]
    reasons = [r.text for m in found for r in m.reasons if r.technique in ("false_heritage", "generic_usage")]
    assert alerted == ([expected[0]] if expected[0] else [])
    assert reasons == ([expected[1]] if expected[1] else [])


def test_the_owners_logo_makes_a_generic_use_an_alert(scorer: Scorer, make_listing: MakeListing,
                                                      reference_hashes: dict[str, list[tuple[str, str]]]) -> None:
    [(_, logo)] = reference_hashes["quanjude"]
    listing = make_listing("全聚德烤鸭做法 家常菜谱 图解", seller="新华书店")
    [plain] = scorer.explain(listing)
    [with_logo] = scorer.explain(listing, image_phashes=[logo])
    assert plain.score < scorer.threshold <= with_logo.score
    assert not any(r.technique == "generic_usage" for r in with_logo.reasons)


def test_a_generic_use_from_another_watchlist() -> None:
    goubuli = Mark.model_validate({"id": "goubuli", "name": "狗不理", "kind": "old_brand", "owner": "天津狗不理食品股份有限公司",
                                   "authorized_sellers": ["狗不理官方旗舰店"], "generic_uses": ["狗不理包子"]})
    scorer = Scorer.from_marks([goubuli])

    def alerted(title: str) -> bool:
        return bool(scorer.match(Listing(site="t", listing_key="1", url="", title=title, seller="包子铺")))

    assert not alerted("狗不理包子 速冻 早餐 12个")
    assert not alerted("狗 不 理 包子 速冻")  # spaced out, still the dish
    assert alerted("狗不理包子 百年老字号 天津")
    assert alerted("狗不理 糕点 礼盒")  # not the dish: the brand on other goods


@pytest.mark.parametrize(("title", "claim"), [
    ("东来顺 始创于1903 手切羊肉", "始创于1903"), ("全聚德1864年创立", "1864年创立"), ("est. 1669 Tongrentang", "est. 1669"),
    ("三百年老店", "三百年老店"), ("300年历史 老字号", "300年历史"), ("祖传秘方", "祖传"),
    ("始创于2015 新品牌", None), ("20年历史", None), ("东来顺 羊肉卷 500g", None), ("Heritagefoods snacks", None),
])
def test_heritage_claim_wording(title: str, claim: str | None) -> None:
    assert heritage_claim(Probe.of(Listing(site="t", listing_key="1", url="", title=title))) == claim
