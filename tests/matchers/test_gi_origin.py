"""A GI used from outside its region is flagged, naming both places; a grower inside it is not;
a title that names another origin is flagged too, a shipping destination is not."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ipwatch.cli import app
from ipwatch.matchers.scorer import Scorer
from ipwatch.spiders.records import Listing

MakeListing = Callable[..., Listing]
REGION = "内蒙古自治区包头市固阳县"

# title, listing fields → the origin reasons on the 固阳黄芪 match, and whether it alerts
CASES = [
    ("正宗固阳黄芪 产地直发", dict(seller_location="甘肃省定西市"),
     [f"seller outside the GI region {REGION}: 甘肃省定西市 (+0.05)"], True),
    ("固阳黄芪 切片 500g", dict(seller_location="Dingxi, Gansu"),
     [f"seller outside the GI region {REGION}: Dingxi, Gansu (甘肃省定西市) (+0.05)"], True),
    ("固阳黄芪 切片 500g", dict(seller_location="包头市昆都仑区"),
     [f"seller outside the GI region {REGION}: 包头市昆都仑区 (+0.05)"], True),
    ("固阳黄芪 500g", dict(seller_location="朝阳"),
     [f"seller outside the GI region {REGION}: 朝阳 (read as any of 北京市朝阳区, 辽宁省朝阳市, "
      f"吉林省长春市朝阳区) (+0.05)"], True),
    ("古阳黄芪 正北芪", dict(seller_location="河北省安国市"),  # a knockoff of the name, from outside
     [f"seller outside the GI region {REGION}: 河北省安国市 (+0.05)"], True),
    ("固阳黄芪 甘肃定西产地直发", dict(),
     [f"title names 甘肃定西 (甘肃省定西市) as the origin, outside the GI region {REGION} (+0.05)"], True),
    ("固阳黄芪 岷县产 500g", dict(seller_location="内蒙古自治区"),
     [f"title names 岷县 (甘肃省定西市岷县) as the origin, outside the GI region {REGION} (+0.05)"], True),
    ("固阳黄芪 达茂旗发货", dict(seller_location="内蒙古自治区包头市固阳县"),  # the next county
     [f"title names 达茂旗 (内蒙古自治区包头市达尔罕茂明安联合旗) as the origin, outside the GI region {REGION} "
      f"(+0.05)"], True),
    ("固阳黄芪切片 500g", dict(seller_location="内蒙古自治区包头市固阳县金山镇"),
     ["seller in the GI region 固阳: 内蒙古自治区包头市固阳县金山镇 (-0.40)"], False),
    ("固阳黄芪 内蒙古包头固阳县农户自产", dict(seller_location="内蒙古 包头 固阳"),
     ["seller in the GI region 固阳: 内蒙古 包头 固阳 (-0.40)"], False),
    ("固阳黄芪 新疆西藏不包邮", dict(seller_location="内蒙古自治区包头市固阳县"),  # destinations, not origins
     ["seller in the GI region 固阳: 内蒙古自治区包头市固阳县 (-0.40)"], False),
    ("固阳黄芪 内蒙古包头固阳县农户自产", dict(), [], True),  # a consistent claim, the seller unknown
    ("固阳黄芪 500g", dict(seller_location="内蒙古自治区包头市"), [], True),  # too vague to tell
    ("固阳黄芪 500g", dict(seller_location="🐑🐑"), [], True),
    ("固阳黄芪 500g", dict(seller_location=""), [], True),
    ("固阳黄芪 500g", dict(seller="固阳黄芪官方旗舰店", seller_location="甘肃省兰州市"), [], False),  # authorised
]


@pytest.mark.parametrize(("title", "fields", "reasons", "alerts"), CASES)
def test_origin_of_a_gi(scorer: Scorer, make_listing: MakeListing, title: str, fields: dict,
                        reasons: list[str], alerts: bool) -> None:
    [found] = [m for m in scorer.explain(make_listing(title, **fields)) if m.mark_id == "guyang-huangqi"]
    assert [r.text for r in found.reasons if r.technique in ("gi_wrong_origin", "gi_in_region")] == reasons
    assert (found.score >= scorer.threshold) is alerts


@pytest.mark.parametrize("title", ["黄芪片 甘肃陇西 500g 泡水煲汤", "正北芪 黄芪切片 山西浑源 250g", "固阳县 马铃薯 农家土豆 5斤",
                                   "锡林郭勒草原 旅游地图"])
def test_places_and_goods_without_the_gi_name_are_not_matched(scorer: Scorer, make_listing: MakeListing,
                                                              title: str) -> None:
    assert scorer.match(make_listing(title, seller_location="甘肃省定西市")) == []


def test_wrong_origin_shows_in_ipwatch_match_output(tmp_path: Path) -> None:
    watchlist = tmp_path / "gi.yaml"
    watchlist.write_text(f"marks:\n  - {{id: guyang-huangqi, name: 固阳黄芪, kind: gi, owner: 固阳县黄芪产业协会, "
                         f"region: {REGION}}}\n", encoding="utf-8")
    listings = tmp_path / "L.jsonl"
    lines = [{"id": "g1", "title": "正宗固阳黄芪 产地直发", "seller_location": "甘肃省定西市"},
             {"id": "g2", "title": "固阳黄芪切片", "seller_location": "内蒙古自治区包头市固阳县金山镇"}]
    listings.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    result = CliRunner().invoke(app, ["match", "--watchlist", str(watchlist), "--listings", str(listings)])
    assert result.exit_code == 0, result.output
    printed = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [(line["listing_id"], line["mark_id"]) for line in printed] == [("g1", "guyang-huangqi")]
    assert f"seller outside the GI region {REGION}: 甘肃省定西市 (+0.05)" in printed[0]["reasons"]
