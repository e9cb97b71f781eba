"""The JSON marketplace pages carry in their scripts, and the path language profiles use to read it."""

from __future__ import annotations

import pytest

from ipwatch.spiders.jsonpath import embedded, first, lookup

DATA = {
    "item": {"title": "AMH 牛仔裤", "images": ["a.jpg", "b.jpg"]},
    "props": {"groupProps": [{"基本信息": [{"材质": "棉"}, {"品牌": "AMH"}]}]},
    "data": {"17": {"componentType": "x"}, "18": {"data": [{"name": "产地", "value": "广州"},
                                                          {"name": "品牌", "value": "梵贞"}]}},
    "seller": {"nick": "amh%E5%AE%98%E6%96%B9"}, "group": {"price": 2650}, "title_html": "黑<span class=H>芝麻</span>糊",
}


@pytest.mark.parametrize(("path", "expected"), [
    ("item.title", "AMH 牛仔裤"), ("item.images.1", "b.jpg"), ("item.images", ["a.jpg", "b.jpg"]),
    ("props.groupProps.0.基本信息.*.品牌", "AMH"), ("data.*.data.[name=品牌].value", "梵贞"),
    ("seller.nick|urldecode", "amh官方"), ("group.price|cents", 26.5), ("title_html|text", "黑芝麻糊"),
    ("data.*.data.*.value|all", ["广州", "梵贞"]), ("item.missing", None), ("item.images.9", None), ("", DATA),
])
def test_paths(path: str, expected: object) -> None:
    assert lookup(DATA, path) == expected


def test_first_path_that_leads_somewhere_wins() -> None:
    assert first(DATA, ("item.name", "item.title")) == "AMH 牛仔裤"


@pytest.mark.parametrize(("text", "scripts", "expected"), [
    ('<script>var _DATA_Detail = {"a": 1};\nvar _DATA_Mdskip = {"b": [2]};</script>',
     {"d": r"var\s+_DATA_Detail\s*=\s*", "m": r"var\s+_DATA_Mdskip\s*=\s*"}, {"d": {"a": 1}, "m": {"b": [2]}}),
    ('TShop.Setup(\n  {"itemDO": {"title": "x"}}\n);', {"s": r"TShop\.Setup\(\s*"}, {"s": {"itemDO": {"title": "x"}}}),
    ('{"goods_list": []}', {"api": ""}, {"api": {"goods_list": []}}),
    ('g_page_config = {"broken": ', {"p": r"g_page_config\s*=\s*"}, {}),  # cut short: nothing, no error
    ("<html>not json</html>", {"api": ""}, {}),
])
def test_embedded_json_is_found_after_its_javascript(text: str, scripts: dict[str, str], expected: dict) -> None:
    assert embedded(text, scripts) == expected
