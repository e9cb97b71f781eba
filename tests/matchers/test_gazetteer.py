"""A seller's location is inside a GI region, outside it, or too vague to tell."""

from __future__ import annotations

import pytest

from matchers.gazetteer import Region

CASES = [
    ("内蒙古自治区包头市固阳县", "内蒙古自治区包头市固阳县金山镇", True),
    ("内蒙古自治区包头市固阳县", "内蒙古 包头 固阳", True),
    ("内蒙古自治区包头市固阳县", "固阳县", True),
    ("内蒙古自治区包头市固阳县", "河北省安国市", False),
    ("内蒙古自治区包头市固阳县", "内蒙古自治区呼和浩特市", False),
    ("内蒙古自治区包头市固阳县", "内蒙古自治区包头市", None),
    ("内蒙古自治区包头市固阳县", "内蒙古", None),
    ("内蒙古自治区包头市固阳县", "包头", None),
    ("内蒙古自治区包头市固阳县", "", None),
    ("内蒙古自治区锡林郭勒盟", "内蒙古自治区锡林郭勒盟锡林浩特市", True),
    ("内蒙古自治区锡林郭勒盟", "內蒙古自治區錫林郭勒盟阿巴嘎旗", True),  # traditional
    ("内蒙古自治区锡林郭勒盟", "内蒙古自治区呼伦贝尔市", False),
]


@pytest.mark.parametrize(("region", "location", "inside"), CASES)
def test_locations_inside_and_outside_a_region(region: str, location: str, inside: bool | None) -> None:
    assert Region.parse(region).contains(location) is inside


def test_a_region_splits_into_units_and_names_its_place() -> None:
    region = Region.parse("内蒙古自治区包头市固阳县")
    assert region.units == ("内蒙古自治区", "包头市", "固阳县")
    assert region.place == "固阳"
