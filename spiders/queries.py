"""Search terms for a crawl, from the watchlist: every mark's names and aliases, then its most likely
knockoff spellings, de-duplicated, within a per-site budget.

Knockoff spellings come from the matchers: the variants they store under a technique's name in
`mark_variants` (the matchers own every variant source but 'name' and 'alias'), and two spellings
this module derives from the matchers' own data — the traditional-character form (OpenCC, as
`matchers.text.normalise` folds it back) and the Latin look-alike of the name (`matchers/data/
lookalikes.yaml`, read backwards: 'Nike' → 'Nlke', as `normalise.fold` folds 'Nlke' → 'nike').
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from itertools import zip_longest
from pathlib import Path

import opencc
import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..watchlist.records import Mark

LOOKALIKES = Path(__file__).resolve().parent.parent / "matchers" / "data" / "lookalikes.yaml"
OWN_SOURCES = ("name", "alias")  # the watchlist's own spellings; every other source is a matcher's
PER_MARK = 3


def _key(term: str) -> str:
    return "".join(unicodedata.normalize("NFKC", term).casefold().split())


@lru_cache(maxsize=1)
def _s2t() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


@lru_cache(maxsize=1)
def _latin_lookalikes() -> dict[str, str]:
    """ASCII letter → the ASCII character infringers put in its place (a letter before a digit)."""
    table = yaml.safe_load(LOOKALIKES.read_text(encoding="utf-8")).get("single", {})
    swaps: dict[str, str] = {}
    for seen, meant in table.items():
        seen, meant = str(seen), str(meant)
        if seen.isascii() and meant.isascii() and len(seen) == 1 and len(meant) == 1 and seen != meant:
            if meant not in swaps or (seen.isalpha() and not swaps[meant].isalpha()):
                swaps[meant] = seen
    if "i" in swaps:  # 'l' folds to 'i' as '1' does: either stands in for an i
        swaps["l"] = swaps.get("l", "1")
    return swaps


def derived_variants(name: str) -> list[str]:
    """Knockoff spellings derived from a name: its traditional form, its Latin look-alike."""
    variants = []
    traditional = _s2t().convert(name)
    if traditional != name:
        variants.append(traditional)
    swaps = _latin_lookalikes()
    letters = [index for index, char in enumerate(name) if char.lower() in swaps and char.isascii()]
    if letters:
        middle = min(letters, key=lambda index: abs(index - (len(name) - 1) / 2))
        char = name[middle]
        variants.append(name[:middle] + swaps[char.lower()] + name[middle + 1:])
    return variants


def _round_robin(groups: Iterable[Sequence[str]]) -> list[str]:
    return [term for row in zip_longest(*groups) for term in row if term]


def search_terms(marks: Sequence[Mark], *, variants: Mapping[str, Sequence[str]] | None = None,
                 per_mark: int = PER_MARK, budget: int | None = None) -> list[str]:
    """Every mark's name, then aliases, then up to `per_mark` knockoff variants each (given by mark id,
    most likely first), de-duplicated case- and space-insensitively, cut to `budget` terms."""
    names = [mark.name for mark in marks]
    aliases = _round_robin([mark.aliases for mark in marks])
    knockoffs = _round_robin([list(variants.get(mark.id, ()))[:per_mark] for mark in marks]) if variants else []
    seen: set[str] = set()
    terms: list[str] = []
    for term in (*names, *aliases, *knockoffs):
        key = _key(term)
        if key and key not in seen:
            seen.add(key)
            terms.append(term.strip())
    return terms[:budget] if budget else terms


def stored_variants(session: Session) -> dict[str, list[str]]:
    """Mark id → knockoff spellings: the matchers' stored variants, then those derived here."""
    from ..core.storage.models import MarkRow, MarkVariantRow

    found: dict[str, list[str]] = {}
    rows = session.execute(select(MarkVariantRow.mark_id, MarkVariantRow.text)
                           .where(MarkVariantRow.source.not_in(OWN_SOURCES)).order_by(MarkVariantRow.id))
    for mark_id, text in rows:
        found.setdefault(mark_id, []).append(text)
    for mark_id, name in session.execute(select(MarkRow.id, MarkRow.name)):
        found.setdefault(mark_id, []).extend(derived_variants(name))
    return found


def stored_search_terms(session: Session, *, budget: int | None = None, per_mark: int = PER_MARK) -> list[str]:
    """The search terms for the stored watchlist, knockoff variants included, within `budget`."""
    from ..watchlist.store import load_marks

    return search_terms(load_marks(session), variants=stored_variants(session), per_mark=per_mark, budget=budget)
