"""`PrefixIndex`: find many names in a text at once, keyed by their first two characters."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import Generic, TypeVar

Entry = TypeVar("Entry")


class PrefixIndex(Generic[Entry]):
    """Entries under the text they are found by; `find` visits each title position once.

    Each position looks up only the entries whose key starts with the title's next two
    characters, so the cost grows with the title, not with the number of marks.
    """

    def __init__(self, entries: Iterable[Entry], key: Callable[[Entry], str]) -> None:
        self._key = key
        self._by_prefix: dict[str, list[Entry]] = defaultdict(list)
        for entry in entries:
            text = key(entry)
            if text:
                self._by_prefix[text[:2]].append(entry)

    def find(self, text: str) -> Iterator[tuple[int, Entry]]:
        """Every (start, entry) whose key occurs in `text` at `start`."""
        by_prefix = self._by_prefix
        last = len(text) - 1
        for start in range(len(text)):
            prefixes = (text[start : start + 2], text[start]) if start < last else (text[start],)
            for prefix in prefixes:
                for entry in by_prefix.get(prefix, ()):
                    if text.startswith(self._key(entry), start):
                        yield start, entry
