"""`PrefixIndex`: find many names in a text at once, keyed by their first two characters."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import Generic, TypeVar

Entry = TypeVar("Entry")


class PrefixIndex(Generic[Entry]):
    """Entries under the text they are found by; `find` visits each title position once.

    Each position looks up only the keys starting with the title's next two characters,
    grouped by length, so that a few dictionary lookups answer it: the cost grows with the
    title, not with the number of marks (tests/matchers/test_lookup.py holds it to a plain search).
    """

    def __init__(self, entries: Iterable[Entry], key: Callable[[Entry], str]) -> None:
        grouped: dict[str, dict[int, dict[str, list[Entry]]]] = defaultdict(lambda: defaultdict(dict))
        for entry in entries:
            text = key(entry)
            if text:
                grouped[text[:2]][len(text)].setdefault(text, []).append(entry)
        self._by_prefix = {prefix: dict(sorted(by_length.items())) for prefix, by_length in grouped.items()}
        self._firsts = frozenset(prefix[0] for prefix in self._by_prefix)

    def find(self, text: str) -> Iterator[tuple[int, Entry]]:
        """Every (start, entry) whose key occurs in `text` at `start`, shorter keys first."""
        by_prefix, firsts = self._by_prefix, self._firsts
        for start, char in enumerate(text):
            if char not in firsts:
                continue
            for prefix in (text[start : start + 2], char) if start < len(text) - 1 else (char,):
                by_length = by_prefix.get(prefix)
                if by_length is None:
                    continue
                for length, keys in by_length.items():
                    for entry in keys.get(text[start : start + length], ()):
                        yield start, entry
