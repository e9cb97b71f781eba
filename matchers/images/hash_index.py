"""`HashIndex`: perceptual hashes within a Hamming distance, found without comparing against all."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

Item = TypeVar("Item")


@dataclass(frozen=True, slots=True)
class Near(Generic[Item]):
    """A stored item whose hash is `distance` bits from the query."""

    item: Item
    distance: int


class HashIndex(Generic[Item]):
    """Multi-index hashing: hashes cut into `max_distance + 1` pieces, one table per piece.

    Two hashes at most `max_distance` bits apart agree exactly on at least one piece (by
    the pigeonhole principle), so a query only compares hashes sharing a piece with it.
    `near_slow` is the obvious reference the tests hold the index to.
    """

    def __init__(self, entries: Iterable[tuple[str, Item]], *, max_distance: int) -> None:
        self.max_distance = max_distance
        self._entries: list[tuple[int, int, Item]] = []  # (bits, value, item)
        self._tables: dict[tuple[int, int, int], list[int]] = defaultdict(list)
        for hex_hash, item in entries:
            value, bits = parse_hash(hex_hash)
            position = len(self._entries)
            self._entries.append((bits, value, item))
            for piece, chunk in enumerate(self._pieces(value, bits)):
                self._tables[(bits, piece, chunk)].append(position)

    def near(self, hex_hash: str) -> list[Near[Item]]:
        """Stored items within `max_distance` bits of `hex_hash`, nearest first."""
        value, bits = parse_hash(hex_hash)
        positions: set[int] = set()
        for piece, chunk in enumerate(self._pieces(value, bits)):
            positions.update(self._tables.get((bits, piece, chunk), ()))
        found = []
        for position in sorted(positions):
            _, stored, item = self._entries[position]
            distance = (stored ^ value).bit_count()
            if distance <= self.max_distance:
                found.append(Near(item, distance))
        return sorted(found, key=lambda near: near.distance)

    def near_slow(self, hex_hash: str) -> list[Near[Item]]:
        """The same answer as `near`, by comparing against every stored hash."""
        value, bits = parse_hash(hex_hash)
        found = [
            Near(item, (stored ^ value).bit_count())
            for stored_bits, stored, item in self._entries
            if stored_bits == bits and (stored ^ value).bit_count() <= self.max_distance
        ]
        return sorted(found, key=lambda near: near.distance)

    def _pieces(self, value: int, bits: int) -> list[int]:
        count = self.max_distance + 1
        bounds = [bits * piece // count for piece in range(count + 1)]
        return [(value >> low) & ((1 << (high - low)) - 1) for low, high in zip(bounds, bounds[1:], strict=False)]


def parse_hash(hex_hash: str) -> tuple[int, int]:
    """(value, bit count) of a hash written as hex digits; raises ValueError on anything else."""
    text = hex_hash.strip().lower()
    if not text or any(char not in "0123456789abcdef" for char in text):
        raise ValueError(f"{hex_hash!r} is not a hash in hex digits")
    return int(text, 16), 4 * len(text)
