"""The shop has a listing for each provenance rule, with the truth about it: GI evocations from
inside and outside the region, a title naming another origin, false heritage claims (all
infringing) and a generic use of an old brand's name (not infringing)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from ipwatch.demo_marketplace.catalogue import build_catalogue, load_marks
from ipwatch.demo_marketplace.sellers import inside

SAMPLE = Path(__file__).resolve().parents[2] / "watchlist" / "samples" / "baotou.yaml"
MARKS = {mark.id: mark for mark in load_marks(SAMPLE)}


@pytest.fixture(scope="module")
def catalogue():
    return build_catalogue(SAMPLE)


def test_each_provenance_case_is_in_stock(catalogue) -> None:
    cases = Counter(p.case for p in catalogue.products)
    assert cases["gi_evocation"] >= 4 and cases["gi_title_origin"] >= 1
    assert cases["false_heritage"] == 3 and cases["generic_usage"] == 1


def test_evocations_come_from_inside_and_outside_the_region(catalogue) -> None:
    evocations = [p for p in catalogue.products if p.case == "gi_evocation"]
    places = {inside(p.seller_location, MARKS[p.infringes[0]].region) for p in evocations}
    assert places == {True, False}
    assert all(p.technique == "gi_evocation" and p.seller not in MARKS[p.infringes[0]].authorized_sellers
               for p in evocations)


@pytest.mark.parametrize("case", ["gi_evocation", "gi_title_origin", "false_heritage"])
def test_provenance_misuse_is_infringing(catalogue, case: str) -> None:
    for product in (p for p in catalogue.products if p.case == case):
        [mark_id] = product.infringes
        assert product.technique == case
        assert product.seller not in MARKS[mark_id].authorized_sellers


def test_a_generic_use_is_not_infringing_and_names_the_dish(catalogue) -> None:
    [generic] = [p for p in catalogue.products if p.case == "generic_usage"]
    assert generic.infringes == () and generic.technique is None
    assert MARKS["quanjude"].generic_uses[0] in generic.title
    assert generic.category == "图书"


def test_false_heritage_titles_carry_a_heritage_claim(catalogue) -> None:
    claims = ("老字号", "百年老店", "始创于")
    for product in (p for p in catalogue.products if p.case == "false_heritage"):
        assert MARKS[product.infringes[0]].kind == "old_brand"
        assert any(claim in product.title for claim in claims)
