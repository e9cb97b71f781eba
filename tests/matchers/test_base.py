"""Techniques register themselves by name, once, and say in one line what they find."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ipwatch.matchers.base import Evidence, Matcher, discover
from ipwatch.matchers.probe import Probe

BUILT_IN = {"exact", "glyph", "homophone", "lookalike", "misspelling", "phash"}


def test_every_built_in_technique_is_registered_with_a_one_line_summary() -> None:
    registry = discover()
    assert BUILT_IN <= set(registry)
    for name, kind in registry.items():
        assert kind.name == name
        assert kind.summary() and "\n" not in kind.summary()


def test_a_second_matcher_under_a_taken_name_is_refused_at_import() -> None:
    discover()
    taken = "matcher name 'homophone' is taken by ipwatch.matchers.techniques.homophone.HomophoneMatcher"
    with pytest.raises(TypeError, match=taken):
        class Impostor(Matcher):
            """Claims a name already in use."""

            name = "homophone"

    assert Matcher.registry["homophone"].__module__ == "ipwatch.matchers.techniques.homophone"


def test_a_matcher_without_a_name_or_docstring_is_refused() -> None:
    with pytest.raises(TypeError, match="must set a class attribute `name`"):
        class Nameless(Matcher):
            """Has no name."""

    with pytest.raises(TypeError, match="needs a one-line docstring"):
        class Silent(Matcher):
            name = "silent-test-only"


def test_a_new_technique_is_one_class() -> None:
    class Everything(Matcher):
        """Flags every listing for every mark (a test technique)."""

        name = "everything-test-only"

        def match(self, listing: Probe, *, cutoff: float = 0.0) -> Iterator[Evidence]:
            yield from ()

    try:
        assert discover()["everything-test-only"] is Everything
    finally:
        del Matcher.registry["everything-test-only"]
