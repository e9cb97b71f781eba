"""Shared fixtures: the sample Baotou watchlist, its reference hashes, and a scorer built once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from ipwatch.matchers.base import Evidence, Matcher, discover
from ipwatch.matchers.catalogue import Catalogue
from ipwatch.matchers.images.reference_hashes import hash_reference_images
from ipwatch.matchers.probe import Probe
from ipwatch.matchers.scorer import Scorer
from ipwatch.spiders.records import Listing
from ipwatch.watchlist.loader import load_watchlist
from ipwatch.watchlist.records import Mark

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "watchlist" / "samples" / "baotou.yaml"



def listing(title: str, *, key: str = "1", **fields: object) -> Listing:
    """A listing on a test site with `title` and any other fields given."""
    url = f"http://127.0.0.1/item/{key}"
    return Listing(site="test", listing_key=key, url=url, title=title, **fields)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def make_listing() -> Callable[..., Listing]:
    """`make_listing(title, seller=…, price=…)`: a Listing on the test site."""
    return listing


@pytest.fixture(scope="session")
def marks() -> tuple[Mark, ...]:
    return load_watchlist(SAMPLE).marks


@pytest.fixture(scope="session")
def reference_hashes(marks: tuple[Mark, ...]) -> dict[str, list[tuple[str, str]]]:
    found = hash_reference_images(marks)
    assert not found.problems
    return found.hashes


@pytest.fixture(scope="session")
def catalogue(marks: tuple[Mark, ...], reference_hashes: dict[str, list[tuple[str, str]]]) -> Catalogue:
    return Catalogue.from_marks(marks, reference_hashes)


@pytest.fixture(scope="session")
def scorer(marks: tuple[Mark, ...], reference_hashes: dict[str, list[tuple[str, str]]]) -> Scorer:
    return Scorer.from_marks(marks, reference_hashes=reference_hashes)


@pytest.fixture(scope="session")
def evidence(catalogue: Catalogue) -> Callable[[str, str], list[Evidence]]:
    """`evidence("homophone", title)`: what one matcher alone finds in a title."""
    registry = discover()
    built: dict[str, Matcher] = {}

    def find(technique: str, title: str) -> list[Evidence]:
        if technique not in built:
            built[technique] = registry[technique](catalogue)
        return list(built[technique].match(Probe.of(listing(title))))

    return find
