"""Search terms for a crawl, from the watchlist's marks."""

from __future__ import annotations

from collections.abc import Sequence

from watchlist.records import Mark


def search_terms(marks: Sequence[Mark], *, budget: int | None = None) -> list[str]:
    """Each mark's name and aliases, de-duplicated case-insensitively, in watchlist order."""
    seen: set[str] = set()
    terms: list[str] = []
    for mark in marks:
        for name in mark.names:
            key = "".join(name.casefold().split())
            if key not in seen:
                seen.add(key)
                terms.append(name)
    return terms[:budget] if budget else terms
