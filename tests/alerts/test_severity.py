"""Severity: GI misuse and counterfeits at a high score come first; look-alikes wait."""

from __future__ import annotations

import pytest

from alerts.severity import severity_for
from matchers.records import Reason

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
]


@pytest.mark.parametrize(("score", "kind", "reasons", "expected"), CASES)
def test_severity_follows_score_kind_and_counterfeit_signals(score, kind, reasons, expected):
    assert severity_for(score, kind, reasons) == expected
