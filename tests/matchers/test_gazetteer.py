"""Places are read into real divisions: short forms, pinyin, ambiguity resolved by context or
reported, never guessed; a seller's location is inside a GI region, outside it, or unknown."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipwatch.matchers.gi.divisions import divisions
from ipwatch.matchers.gi.gazetteer import Region, latin_tokens, locate, tokens
from ipwatch.matchers.text.normalise import normalise

GUYANG = "内蒙古自治区包头市固阳县"
XILINGOL = "内蒙古自治区锡林郭勒盟"

CASES = [
    (GUYANG, "内蒙古自治区包头市固阳县金山镇", True),
    (GUYANG, "内蒙古 包头 固阳", True),
    (GUYANG, "内蒙 包头 固阳县", True),
    (GUYANG, "固阳县", True),
    (GUYANG, "Guyang County, Baotou, Inner Mongolia", True),
    (GUYANG, "河北省安国市", False),
    (GUYANG, "甘肃定西", False),
    (GUYANG, "Dingxi, Gansu, China", False),
    (GUYANG, "内蒙古自治区呼和浩特市", False),
    (GUYANG, "包头 昆都仑区", False),  # the right city, another district
    (GUYANG, "朝阳", False),  # ambiguous, but every reading lies outside
    (GUYANG, "内蒙古自治区包头市", None),  # the right city: is it the county?
    (GUYANG, "内蒙古", None),
    (GUYANG, "包头", None),
    (GUYANG, "", None),
    (GUYANG, "   ", None),
    (GUYANG, "<script>alert(1)</script>", None),
    (GUYANG, "中国大陆", None),
    (GUYANG, "广东省深圳市 东莞", False),  # contradictory, but both outside
    (XILINGOL, "内蒙古自治区锡林郭勒盟锡林浩特市", True),
    (XILINGOL, "內蒙古自治區錫林郭勒盟阿巴嘎旗", True),  # traditional
    (XILINGOL, "Xilinhot, Inner Mongolia", True),
    (XILINGOL, "内蒙古自治区呼伦贝尔市", False),
    ("新疆维吾尔自治区巴音郭楞蒙古自治州", "新疆巴州库尔勒市", True),
    ("新疆维吾尔自治区巴音郭楞蒙古自治州", "新疆阿克苏地区", False),
    ("宁夏回族自治区", "宁夏中宁", True),
    ("甘肃省定西市岷县", "甘肃省定西市岷县", True),  # a one-character county keeps its suffix
    ("甘肃省定西市岷县", "甘肃定西", None),
]


@pytest.mark.parametrize(("region", "location", "inside"), CASES)
def test_locations_inside_and_outside_a_region(region: str, location: str, inside: bool | None) -> None:
    assert Region.parse(region).contains(location) is inside


READINGS = [
    ("内蒙古 包头 固阳", ["内蒙古自治区包头市固阳县"], None),
    ("北京朝阳", ["北京市朝阳区"], None),  # the province decides which 朝阳
    ("辽宁朝阳", ["辽宁省朝阳市"], None),  # the city, not 朝阳县 inside it
    ("吉林朝阳区", ["吉林省长春市朝阳区"], None),
    ("朝阳", ["北京市朝阳区", "辽宁省朝阳市", "吉林省长春市朝阳区"], None),  # ambiguous: no guess
    ("吉林", ["吉林省"], None),  # the province and its city of the same name
    ("海南", ["海南省"], None),  # a province's own name wins over 海南藏族自治州
    ("延边", ["吉林省延边朝鲜族自治州"], None),
    ("察布查尔", ["新疆维吾尔自治区伊犁哈萨克自治州察布查尔锡伯自治县"], None),
    ("达茂旗", ["内蒙古自治区包头市达尔罕茂明安联合旗"], None),
    ("北京市朝阳区中山路88号", ["北京市朝阳区"], None),  # 中山路 is a street, not 中山市
    ("Yichang, Hubei", ["湖北省宜昌市"], None),
    ("Shandong Shouguang", ["山东省潍坊市寿光市"], None),
    ("Hohhot", ["内蒙古自治区呼和浩特市"], None),
    ("甘肃 包头", ["内蒙古自治区包头市", "甘肃省"], "contradictory places 甘肃/包头"),
    ("", [], "empty"),
    ("🐑🐑🐑", [], "no place name"),
    ("x" * 5000, [], "no place name"),
]


@pytest.mark.parametrize(("text", "paths", "problem"), READINGS)
def test_text_reads_into_divisions(text: str, paths: list[str], problem: str | None) -> None:
    location = locate(text)
    table = divisions()
    assert sorted(table.path(reading.code) for reading in location.readings) == sorted(paths)
    assert location.problem == problem


@pytest.mark.parametrize("value", [None, 12, 3.5, b"\xff\xfe", ["固阳"], {"city": "包头"}, "\x00\ufeff", "\ud800"])
def test_a_malformed_location_is_unknown_never_an_error(value: object) -> None:
    location = locate(value)
    assert location.division is None
    assert Region.parse(GUYANG).relation(location) == "unknown"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_any_text_reads_without_raising(text: str) -> None:
    location = locate(text)
    assert location.describe()
    assert Region.parse(GUYANG).relation(location) in ("inside", "outside", "unknown")


def test_the_table_covers_every_province_prefecture_and_county() -> None:
    table = divisions()
    levels = [division.level for division in table.by_code.values()]
    assert levels.count("province") == 34  # with Hong Kong, Macao and Taiwan
    assert levels.count("prefecture") >= 330
    assert levels.count("county") >= 2800
    for division in table.by_code.values():
        assert table.lineage(division.code)[0].level == "province"
    assert table.path("150222") == GUYANG
    assert table.path("429004") == "湖北省仙桃市"  # a county-level city under the province itself


@pytest.mark.parametrize(("code", "short"), [
    ("150000", "内蒙古"), ("150200", "包头"), ("150222", "固阳"), ("152500", "锡林郭勒"), ("222400", "延边"),
    ("653100", "喀什"), ("429021", "神农架"), ("621126", "岷县"), ("450000", "广西"), ("110000", "北京"),
])
def test_short_forms_are_names_as_people_write_them(code: str, short: str) -> None:
    assert divisions().short[code] == short


@pytest.mark.parametrize(("written", "code"), [
    ("guyang", "150222"), ("baotou", "150200"), ("inner mongolia", "150000"), ("xilingol", "152500"),
    ("dingxi", "621100"), ("shaanxi", "610000"),
])
def test_pinyin_and_english_names(written: str, code: str) -> None:
    [token] = latin_tokens(written)
    assert code in token.codes


def test_a_region_may_list_several_areas() -> None:
    region = Region.parse("内蒙古自治区包头市固阳县、达尔罕茂明安联合旗")
    assert [area.name for area in region.areas] == ["固阳县", "达尔罕茂明安联合旗"]
    assert region.contains("内蒙古 包头 达茂旗") is True
    assert region.contains("包头市九原区") is False


def test_a_region_splits_into_units_and_names_its_place() -> None:
    region = Region.parse(GUYANG)
    assert region.units == ("内蒙古自治区", "包头市", "固阳县")
    assert region.place == "固阳"
    assert Region.parse("新疆维吾尔自治区巴音郭楞蒙古自治州").place == "巴音郭楞"


def test_a_region_the_gazetteer_cannot_read_is_compared_by_name() -> None:
    region = Region.parse("阳澄湖")
    assert region.areas == ()
    assert region.contains("江苏苏州阳澄湖镇") is True
    assert region.contains("江苏省泰州市") is None


def _slow_tokens(text: str) -> list[tuple[int, int, frozenset[str]]]:
    """The obvious reference: at each position try every written form, longest first."""
    table = divisions()
    forms = sorted(table.by_name, key=len, reverse=True)
    found, index = [], 0
    while index < len(text):
        for form in forms:
            end = index + len(form)
            if not text.startswith(form, index):
                continue
            if text.startswith(("镇", "乡", "村", "街", "路", "道", "巷", "社区", "小区", "苏木", "嘎查", "号", "大厦",
                                "广场"), end) and not form.endswith(("市", "县", "区", "旗", "盟", "州", "省")):
                continue
            found.append((index, end, table.by_name[form]))
            index = end
            break
        else:
            index += 1
    return found


_PLACE_CHARACTERS = "".join(sorted(set("内蒙古包头固阳县甘肃定西朝阳北京辽宁吉林长春中山路镇金山市区海南延边" "产地直发黄芪")))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=_PLACE_CHARACTERS, max_size=24))
def test_fast_tokens_agree_with_the_slow_reference(text: str) -> None:
    fast = [(token.start, token.end, token.codes) for token in tokens(normalise(text).text)]
    assert fast == _slow_tokens(normalise(text).text)
