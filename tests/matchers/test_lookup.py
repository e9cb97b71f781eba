"""The prefix index finds exactly what searching for every name one by one finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ipwatch.matchers.text.lookup import PrefixIndex

LETTERS = st.text(alphabet="康师傅伊利ab", max_size=4)


def occurrences_slow(text: str, names: list[str]) -> set[tuple[int, str]]:
    """The obvious reference: every start of every name, by str.find."""
    found = set()
    for name in names:
        start = text.find(name)
        while name and start != -1:
            found.add((start, name))
            start = text.find(name, start + 1)
    return found


@settings(max_examples=300, deadline=None)
@given(st.lists(LETTERS, max_size=8), st.text(alphabet="康师傅伊利ab ", max_size=30))
def test_the_prefix_index_agrees_with_a_plain_search(names: list[str], text: str) -> None:
    index = PrefixIndex(names, key=lambda name: name)
    found = list(index.find(text))
    assert set(found) == occurrences_slow(text, names)
    assert len(found) == len({(start, name, i) for i, (start, name) in enumerate(found)})


def test_each_occurrence_is_reported_once() -> None:
    index = PrefixIndex(["伊利", "利"], key=lambda name: name)
    assert list(index.find("伊利伊利")) == [(0, "伊利"), (1, "利"), (2, "伊利"), (3, "利")]
