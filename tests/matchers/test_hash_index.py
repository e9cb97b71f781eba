"""The image hash index finds every reference within the distance, as comparing against all does."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipwatch.matchers.images.hash_index import HashIndex, parse_hash

HASHES = st.integers(min_value=0, max_value=2**64 - 1).map(lambda value: f"{value:016x}")


def flip(hex_hash: str, bits: list[int]) -> str:
    value = int(hex_hash, 16)
    for bit in bits:
        value ^= 1 << bit
    return f"{value:016x}"


@settings(max_examples=300, deadline=None)
@given(st.lists(HASHES, max_size=30), HASHES, st.lists(st.integers(0, 63), max_size=8), st.integers(0, 10))
def test_the_index_agrees_with_the_slow_scan(stored: list[str], query: str, flips: list[int], limit: int) -> None:
    stored = [*stored, flip(query, flips)]  # one near neighbour, so the answer is rarely empty
    index = HashIndex(((value, position) for position, value in enumerate(stored)), max_distance=limit)
    assert index.near(query) == index.near_slow(query)


def test_a_hash_six_bits_away_is_found_and_seven_is_not() -> None:
    reference = "db0ee0c92cf136b4"
    index = HashIndex([(reference, "guyang-huangqi.png")], max_distance=6)
    [near] = index.near(flip(reference, [0, 9, 18, 27, 36, 63]))
    assert (near.item, near.distance) == ("guyang-huangqi.png", 6)
    assert index.near(flip(reference, [0, 9, 18, 27, 36, 45, 63])) == []


@pytest.mark.parametrize("bad", ["", "xyz", "12 34", "０１"])
def test_a_hash_that_is_not_hex_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="not a hash in hex digits"):
        parse_hash(bad)
