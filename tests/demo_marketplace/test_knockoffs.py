"""Each knockoff technique disguises a protected name the way infringers do."""

from __future__ import annotations

import random
import unicodedata

import pytest

from ipwatch.demo_marketplace.knockoffs import (
    disguises,
    fullwidth,
    homophones,
    latin_edits,
    lookalikes,
    spacing,
    traditional,
)

CASES = [
    (homophones, "康师傅", "康帅傅"),
    (homophones, "小肥羊", "小非羊"),
    (homophones, "固阳黄芪", "固杨黄芪"),
    (homophones, "鹿王", "路王"),
    (homophones, "伊利", "依利"),
    (lookalikes, "洽洽", "治治"),
    (lookalikes, "全聚德", "仝聚德"),
    (lookalikes, "王致和", "王到和"),
    (lookalikes, "娃哈哈", "娃恰恰"),
    (traditional, "固阳黄芪", "固陽黃芪"),
    (traditional, "康师傅", "康師傅"),
    (fullwidth, "adidas", "ａｄｉｄａｓ"),
    (latin_edits, "adidas", "Abibas"),
    (latin_edits, "adidas", "Adidos"),
    (latin_edits, "Nike", "Nlke"),
    (latin_edits, "Nike", "N1ke"),
    (spacing, "康师傅", "康 师 傅"),
    (spacing, "小肥羊", "小·肥·羊"),
    (spacing, "伊利", "伊*利"),
]


@pytest.mark.parametrize(("technique", "name", "expected"), CASES, ids=[f"{t.__name__}-{e}" for t, _, e in CASES])
def test_technique_produces_the_known_disguise(technique, name, expected):
    assert expected in list(technique(name))


@pytest.mark.parametrize(("technique", "name"), [(traditional, "伊利"), (fullwidth, "伊利"), (homophones, "ABC")])
def test_a_technique_that_does_not_apply_yields_nothing(technique, name):
    assert list(technique(name)) == []


def test_fullwidth_disguise_folds_back_to_the_name():
    assert unicodedata.normalize("NFKC", next(fullwidth("Nike"))) == "Nike"


def test_disguises_never_return_the_name_itself_and_cover_script_specific_techniques():
    found = disguises(("adidas", "阿迪达斯"), random.Random(1))
    techniques = {technique for technique, _ in found}
    assert {"homophone", "traditional", "fullwidth", "latin_edit", "spacing"} <= techniques
    assert all(name not in ("adidas", "阿迪达斯") for _, name in found)
