"""Search terms from the watchlist: names, aliases, then the likeliest knockoff spellings, de-duplicated,
within a per-site budget."""

from __future__ import annotations

import pytest

from ipwatch.core.storage.engine import Database
from ipwatch.core.storage.models import MarkRow, MarkVariantRow
from ipwatch.spiders.queries import derived_variants, search_terms, stored_search_terms
from ipwatch.watchlist.records import Mark, Watchlist
from ipwatch.watchlist.store import upsert_marks


def mark(mark_id: str, name: str, *aliases: str) -> Mark:
    return Mark(id=mark_id, name=name, kind="trademark", aliases=aliases, owner="o")


MARKS = [mark("xiaofeiyang", "小肥羊", "Little Sheep", "小肥羊火锅"), mark("nike", "Nike", "耐克", "NIKE")]


def test_names_then_aliases_then_knockoffs_without_duplicates() -> None:
    variants = {"xiaofeiyang": ["小肥洋", "小肥羊"], "nike": ["Nlke", "N1ke"]}
    assert search_terms(MARKS, variants=variants) == [
        "小肥羊", "Nike", "Little Sheep", "耐克", "小肥羊火锅", "小肥洋", "Nlke", "N1ke"]


@pytest.mark.parametrize(("budget", "expected"), [
    (1, ["小肥羊"]), (2, ["小肥羊", "Nike"]), (4, ["小肥羊", "Nike", "Little Sheep", "耐克"]),
])
def test_a_budget_keeps_every_mark_s_name_before_any_alias(budget: int, expected: list[str]) -> None:
    assert search_terms(MARKS, variants={"nike": ["Nlke"]}, budget=budget) == expected


def test_per_mark_limits_the_knockoffs_of_each_mark() -> None:
    terms = search_terms(MARKS, variants={"nike": ["Nlke", "N1ke", "Nikke"]}, per_mark=1)
    assert "Nlke" in terms and "N1ke" not in terms


@pytest.mark.parametrize(("name", "expected"), [
    ("固阳黄芪", ["固陽黃芪"]), ("Nike", ["Nlke"]), ("adidas", ["adldas"]), ("小肥羊", []),
])
def test_knockoffs_derived_from_the_matchers_data(name: str, expected: list[str]) -> None:
    assert derived_variants(name) == expected


def test_stored_terms_include_the_matchers_generated_variants(database: Database) -> None:
    with database.session() as session:
        upsert_marks(session, Watchlist(marks=tuple(MARKS)))
        session.add(MarkVariantRow(mark_id="xiaofeiyang", text="小肥洋", source="homophone"))
    with database.session() as session:
        terms = stored_search_terms(session)
        assert session.get(MarkRow, "nike") is not None
    assert terms[:2] == ["Nike", "小肥羊"] and {"小肥洋", "Nlke"} <= set(terms)
