"""Severity: GI misuse and counterfeits at a high score come first; look-alikes wait."""

from __future__ import annotations

import pytest

from ipwatch.alerts.severity import SeverityPolicy, raise_for_history, severity_for
from ipwatch.core.settings import Settings
from ipwatch.matchers.records import Reason

CASES = [
    # score, kind, reasons, expected
    (0.95, "gi", [Reason("homophone", "固羊黄芪≈固阳黄芪")], "high"),
    (0.90, "gi", [], "high"),
    (0.89, "gi", [], "medium"),
    (0.95, "trademark", [Reason("homophone", "康帅傅≈康师傅")], "medium"),
    (0.95, "trademark", [Reason("context", "title says 高仿 (replica)")], "high"),
    (0.93, "old_brand", [Reason("price", "price 9.9 CNY is 8% of the reference 120 CNY")], "high"),
    (0.91, "trademark", [{"technique": "phash", "text": "Counterfeit packaging photo"}], "high"),
    (0.91, "trademark", ["A货 同款"], "high"),
    (0.88, "trademark", [Reason("context", "高仿")], "medium"),
    (0.85, "trademark", [], "medium"),
    (0.849, "gi", [Reason("gi_origin", "shipped from 河北")], "low"),
    (0.5, "trademark", [], "low"),
    # reasons that set a floor: a GI from outside its region is high, evocation and false heritage medium
    (0.76, "gi", [Reason("gi_wrong_origin", "seller outside the GI region 内蒙古自治区包头市固阳县: 甘肃省定西市")], "high"),
    (0.80, "gi", [{"technique": "gi_wrong_origin", "text": "title names 甘肃定西 as the origin"}], "high"),
    (0.80, "gi", [Reason("gi_evocation", "evocation of 固阳黄芪: 仿 (imitation) before the name")], "medium"),
    (0.76, "old_brand", [Reason("false_heritage", "heritage claim 百年老店 for 全聚德")], "medium"),
    (0.76, "gi", [Reason("gi_in_region", "seller in the GI region 固阳")], "low"),
    (0.76, "trademark", ["gi_wrong_origin"], "low"),  # a plain sentence names no technique
]


@pytest.mark.parametrize(("score", "kind", "reasons", "expected"), CASES)
def test_severity_follows_score_kind_and_counterfeit_signals(score, kind, reasons, expected):
    assert severity_for(score, kind, reasons) == expected


POLICY_CASES = [
    # settings.severity, score, kind, reasons, expected
    ({}, 0.91, "gi", [], "high"),
    ({"gi": {"high": 0.95}}, 0.91, "gi", [], "medium"),
    ({"trademark": {"high_needs_signal": False}}, 0.91, "trademark", [], "high"),
    ({"old_brand": {"medium": 0.7, "high": 0.8}}, 0.75, "old_brand", [], "medium"),
    ({"old_brand": {"medium": 0.7, "high": 0.8}}, 0.82, "old_brand", [Reason("price", "price 9.9 CNY")], "high"),
    ({"old_brand": {"medium": 0.7, "high": 0.8}}, 0.75, "trademark", [], "low"),  # other kinds keep defaults
]


@pytest.mark.parametrize(("thresholds", "score", "kind", "reasons", "expected"), POLICY_CASES)
def test_thresholds_per_mark_kind_come_from_settings(thresholds, score, kind, reasons, expected):
    policy = SeverityPolicy.from_settings(Settings(severity=thresholds))
    assert policy.severity(score, kind, reasons) == expected


@pytest.mark.parametrize(("severity", "repeat", "relisting", "expected"), [
    ("low", False, False, "low"),
    ("low", True, False, "medium"),
    ("medium", True, False, "high"),
    ("high", True, False, "high"),
    ("low", False, True, "high"),
])
def test_a_seller_history_raises_severity(severity, repeat, relisting, expected):
    assert raise_for_history(severity, repeat_infringer=repeat, relisting=relisting) == expected
