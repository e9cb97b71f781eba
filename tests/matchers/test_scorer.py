"""The scorer flags the knockoffs sellers really use and leaves genuine and ordinary listings alone."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ipwatch.matchers.scorer import Scorer
from ipwatch.spiders.records import Listing
from ipwatch.watchlist.records import Mark

MakeListing = Callable[..., Listing]

# title, seller, category, price (CNY) → the one mark flagged (or None), a reason it gives
CASES = [
    ("康帅傅红烧牛肉面 24袋", None, None, None, "kangshifu", "look-alike 康帅傅≈康师傅 (帅 looks like 师)"),
    ("康师父方便面 五连包", None, None, None, "kangshifu", "homophone 康师父≈康师傅 (kang shi fu ~ kang shi fu)"),
    ("固陽黃芪 切片 500g", None, None, None, "guyang-huangqi", "traditional 固陽黃芪→固阳黄芪"),
    ("ａｄｉｄａｓ 三叶草 卫衣", None, None, None, "adidas", "full-width ａｄｉｄａｓ→adidas"),
    ("ＭＡＳＴＥＲ ＫＯＮＧ 红烧牛肉面", None, None, None, "kangshifu", "full-width+spacing ＭＡＳＴＥＲ ＫＯＮＧ→Master Kong"),
    ("康 师 傅 方便面", None, None, None, "kangshifu", "spacing 康 师 傅→康师傅"),
    ("康\u200b师傅 方便面", None, None, None, "kangshifu", "hidden characters 康\u200b师傅→康师傅"),
    ("Abibas 跑步鞋 男款", None, None, None, "adidas", "misspelling Abibas≈adidas (2 letters changed)"),
    ("Adidos 运动裤", None, None, None, "adidas", "misspelling Adidos≈adidas (1 letter changed)"),
    ("Nlke 气垫跑鞋", None, None, None, "nike", "look-alike Nlke≈Nike"),
    ("\u0410didas 三叶草", None, None, None, "adidas", "look-alike \u0410didas≈adidas"),  # Cyrillic А
    ("NIKE Air 跑鞋", None, None, None, "nike", "exact name Nike in title as NIKE"),
    ("adidasoriginals 三叶草 卫衣", None, None, None, "adidas", "exact name adidas in title"),
    ("小肥羊火锅底料 清汤", "包头市某食品店", None, None, "xiaofeiyang", "exact name 小肥羊 in title"),
    ("固阳黄芪 500g 特价", None, None, 9.9, "guyang-huangqi", "price ¥9.90 is 8% of reference ¥120 (+0.10)"),
    ("仝聚德 北京烤鸭", None, None, None, "quanjude", "look-alike 仝聚德≈全聚德 (仝 looks like 全)"),
    ("伊莉纯牛奶 24盒", None, None, None, "yili", "homophone 伊莉≈伊利 (yi li ~ yi li)"),
    ("同仁唐 六味地黄丸", None, None, None, "tongrentang", "homophone 同仁唐≈同仁堂"),
    ("娃哈哈AD钙奶 24瓶", None, None, None, "wahaha", "exact name 娃哈哈 in title"),
    # one character of a two-character name swapped: a knockoff when the goods are the mark's
    ("尹利高钙奶 250ml", None, None, None, "yili", "goods 钙奶 in the title are in 伊利's classes 29, 32 (+0.20)"),
    ("豪牛纯牛奶 16盒", None, None, None, "mengniu", "look-alike 豪牛≈蒙牛 (豪 keeps 冖豕 of 蒙)"),
    ("而克篮球鞋 高帮", None, None, None, "nike", "look-alike 而克≈耐克 (而 is 耐 without 寸)"),
    ("麂王 羊绒衫", None, None, None, "luwang", "look-alike 麂王≈鹿王 (麂 is 鹿 with 几 added)"),
    ("耐克原装鞋带", None, None, None, "nike", "exact alias 耐克 in title"),  # claims to be Nike's own
    # genuine, descriptive or ordinary: nothing flagged
    ("小肥羊火锅底料 清汤", "小肥羊官方旗舰店", None, None, None, "authorised seller 小肥羊官方旗舰店 (score cleared)"),
    ("适用于耐克鞋带 替换", None, None, None, None, "descriptive use 适用于 before 耐克 (-0.50)"),
    ("兼容Nike手表表带 硅胶", None, None, None, None, "descriptive use 兼容 before Nike (-0.50)"),
    ("silicone strap for Nike watch", None, None, None, None, "descriptive use for before Nike (-0.50)"),
    ("伊利纯牛奶", None, "手机壳", None, None, "category 手机壳 (Nice 9) is far from 伊利's classes 29, 32 (-0.30)"),
    ("伊犁薰衣草精油 10ml", None, None, None, None, None),
    ("nice day T恤 纯棉", None, None, None, None, None),
    ("黄芪片 500g 内蒙古", None, None, None, None, None),
    ("羊肉卷 火锅 2斤", None, None, None, None, None),
    ("哈哈哈 搞笑T恤", None, None, None, None, None),
    ("小尾羊火锅底料", None, None, None, None, None),  # a different Baotou brand, one character from 小肥羊
    ("一粒 胶囊 60粒", None, None, None, None, None),
    ("耐磕碰手机壳", None, None, None, None, None),
    ("unikey 机械键盘 bike like hike", None, None, None, None, None),
    ("", None, None, None, None, None),
    ("尹利 24盒", None, None, None, None, "look-alike 尹利≈伊利"),  # no goods named: a hint only
    ("伊力特白酒 52度", None, None, None, None, "goods 白酒 in the title (Nice 33) are outside 伊利's classes"),
    ("便利店 纯牛奶", None, None, None, None, None),  # 便 is not drawn like 伊
    ("魔王 羊绒衫", None, None, None, None, None),  # 魔 is not drawn like 鹿
    ("耐克鞋带 圆形 白色", None, None, None, None, "accessory 鞋带 after 耐克: names what it fits (-0.50)"),
    ("娃娃 哈哈 毛绒玩具", None, None, None, None, None),  # a doll and a laugh
    ("东北黄小米 5斤", None, None, None, None, None),
]


@pytest.mark.parametrize(("title", "seller", "category", "price", "expected", "reason"), CASES)
def test_the_scorer_flags_exactly_the_expected_mark_with_its_reason(
    scorer: Scorer, make_listing: MakeListing, title: str, seller: str | None, category: str | None,
    price: float | None, expected: str | None, reason: str | None,
) -> None:
    item = make_listing(title, seller=seller, category=category, price=price)
    flagged = scorer.match(item)
    assert [found.mark_id for found in flagged] == ([expected] if expected else [])
    if reason is not None:
        explained = scorer.explain(item)
        assert any(reason in text for found in explained for text in found.reason_texts), explained


@pytest.mark.parametrize(("title", "lowest"), [
    ("小肥羊火锅底料", 0.95), ("固陽黃芪", 0.95), ("ａｄｉｄａｓ", 0.95), ("康 师 傅", 0.95),
    ("康师父", 0.85), ("Nlke", 0.80),
])
def test_scores_rank_exact_above_homophone_above_look_alike(
    scorer: Scorer, make_listing: MakeListing, title: str, lowest: float,
) -> None:
    [found] = scorer.match(make_listing(title))
    assert lowest <= found.score <= 1.0


def test_a_cleared_match_is_explained_but_not_returned(scorer: Scorer, make_listing: MakeListing) -> None:
    item = make_listing("小肥羊火锅底料", seller="小肥羊官方旗舰店", price=5.0)
    [explained] = scorer.explain(item)
    assert explained.score == 0.0
    assert explained.reasons[-1].technique == "authorised_seller"
    assert scorer.match(item) == []


def test_a_match_carries_the_listing_identity(scorer: Scorer, make_listing: MakeListing) -> None:
    [found] = scorer.match(make_listing("蒙牛纯牛奶", key="jd-42"))
    assert (found.site, found.listing_key, found.mark_id) == ("test", "jd-42", "mengniu")


def test_the_threshold_decides_what_match_returns(marks: tuple[Mark, ...], make_listing: MakeListing) -> None:
    item = make_listing("伊莉纯牛奶")  # 0.64 for the homophone, +0.20 for the milk
    assert Scorer.from_marks(marks, threshold=0.9).match(item) == []
    assert [m.mark_id for m in Scorer.from_marks(marks, threshold=0.8).match(item)] == ["yili"]


def test_unknown_techniques_and_thresholds_are_refused(marks: tuple[Mark, ...]) -> None:
    with pytest.raises(ValueError, match="unknown matcher soundex"):
        Scorer.from_marks(marks, techniques=["exact", "soundex"])
    with pytest.raises(ValueError, match="not between 0 and 1"):
        Scorer.from_marks(marks, threshold=1.5)


def test_techniques_can_be_chosen(marks: tuple[Mark, ...], make_listing: MakeListing) -> None:
    only_exact = Scorer.from_marks(marks, techniques=["exact"])
    assert [matcher.name for matcher in only_exact.matchers] == ["exact"]
    assert only_exact.match(make_listing("康师父方便面")) == []


def test_the_scorer_docstring_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    import doctest
    from pathlib import Path

    from ipwatch.matchers import scorer

    monkeypatch.chdir(Path(__file__).resolve().parents[2])
    outcome = doctest.testmod(scorer, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert outcome.attempted >= 5 and outcome.failed == 0


def test_a_matcher_that_cannot_run_here_is_switched_off_with_its_reason(marks: tuple[Mark, ...]) -> None:
    from ipwatch.matchers.base import Matcher, NotConfigured

    class NeedsService(Matcher):
        """Would ask an outside service (a test technique that always declines)."""

        name = "needs-service-test-only"

        def __init__(self, catalogue: object) -> None:
            raise NotConfigured("no service URL set: set IPWATCH_SERVICE_URL")

    try:
        scorer = Scorer.from_marks(marks, techniques=["exact", "needs-service-test-only"])
    finally:
        del Matcher.registry["needs-service-test-only"]
    assert [matcher.name for matcher in scorer.matchers] == ["exact"]
    assert scorer.declined == {"needs-service-test-only": "no service URL set: set IPWATCH_SERVICE_URL"}


# Titles built from marks' names, their disguises and arbitrary text, so that the context
# rules run on hostile prices, sellers and categories too.
TITLE_PARTS = st.one_of(
    st.sampled_from(["固阳黄芪", "固陽黃芪", "康帅傅", "康 师 傅", "Nlke", "ａｄｉｄａｓ", "伊利", "伊犁", "适用于", "for "]),
    st.text(max_size=6),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=st.lists(TITLE_PARTS, max_size=6).map("".join),
       seller=st.one_of(st.none(), st.text(max_size=20)),
       category=st.one_of(st.none(), st.text(max_size=20)),
       price=st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True)))
@example(title="固阳黄芪", seller=None, category=None, price=float("nan"))
@example(title="适用于 Nlke", seller="", category="", price=-1.0)
def test_any_scraped_listing_is_scored_without_error(
    scorer: Scorer, make_listing: MakeListing, title: str, seller: str | None, category: str | None,
    price: float | None,
) -> None:
    item = make_listing(title, seller=seller, category=category, price=price, seller_location=seller)
    for found in scorer.explain(item, image_phashes=["zz", "0" * 16]):
        assert 0.0 <= found.score <= 1.0
        assert found.reasons and all(reason.text for reason in found.reasons)


def test_a_name_inside_a_longer_watched_name_is_that_longer_mark(make_listing: MakeListing) -> None:
    marks = [Mark(id="tianqing", name="天庆", kind="trademark", owner="o"),
             Mark(id="tianqingxian", name="天庆鲜", kind="trademark", owner="o"),
             Mark(id="huayuan", name="华园", kind="trademark", owner="o"),
             Mark(id="huayuan2", name="华源", kind="trademark", owner="o")]
    scorer = Scorer.from_marks(marks)
    assert [m.mark_id for m in scorer.match(make_listing("天庆鲜 火腿肠"))] == ["tianqingxian"]
    assert [m.mark_id for m in scorer.match(make_listing("天庆 火腿肠"))] == ["tianqing"]
    # a watched name is that mark, not a homophone of another: 华源 both are marks
    assert [m.mark_id for m in scorer.match(make_listing("华源 矿泉水"))] == ["huayuan2"]
