"""The multi-index hashing search finds exactly what the exhaustive XOR-and-popcount scan finds."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipwatch.matchers.images.hamming import HammingIndex, to_uint64

hashes = st.integers(min_value=0, max_value=2**64 - 1)


def flipped(value: int, bits: list[int]) -> int:
    for bit in bits:
        value ^= 1 << bit
    return value


@settings(max_examples=150, deadline=None)
@given(
    stored=st.lists(hashes, min_size=0, max_size=60),
    near=st.lists(st.tuples(st.integers(0, 59), st.lists(st.integers(0, 63), max_size=14)), max_size=6),
    query=hashes,
    radius=st.integers(0, 16),
    pieces=st.integers(1, 8),
)
def test_search_agrees_with_the_exhaustive_scan(stored: list[int], near: list[tuple[int, list[int]]], query: int,
                                                 radius: int, pieces: int) -> None:
    # some stored hashes are the query with a few bits flipped, so that there is something to find
    values = stored + [flipped(query, bits) for _, bits in near]
    index = HammingIndex(np.array(values, dtype=np.uint64), max_distance=radius, pieces=pieces)
    positions, distances = index.search(query)
    expected_positions, expected_distances = index.scan(query)
    assert positions.tolist() == expected_positions.tolist()
    assert distances.tolist() == expected_distances.tolist()
    assert all(bin(values[p] ^ query).count("1") == d <= radius for p, d in zip(positions.tolist(), distances.tolist(), strict=False))


def test_a_wider_radius_can_be_asked_at_query_time() -> None:
    index = HammingIndex(to_uint64(["ffffffffffffffff", "0000000000000000", "000000000000ffff"]), max_distance=4)
    assert index.search(0)[0].tolist() == [1]
    assert index.search(0, max_distance=16)[0].tolist() == [1, 2]
    assert index.search(0, max_distance=64)[0].tolist() == [0, 1, 2]


def test_an_empty_index_finds_nothing() -> None:
    index = HammingIndex(np.zeros(0, dtype=np.uint64), max_distance=10)
    assert index.search(12345)[0].tolist() == [] and len(index) == 0


@pytest.mark.parametrize("text", ["c67ac0dc78c730e", "c67ac0dc78c730e3ff", "zz7ac0dc78c730e3", ""])
def test_only_64_bit_hex_hashes_are_accepted(text: str) -> None:
    with pytest.raises(ValueError, match="64-bit hash"):
        to_uint64([text])
