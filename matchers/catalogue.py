"""The watchlist prepared once for matching: every name of every mark, normalised and folded."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from ..watchlist.records import Mark
from .text.normalise import fold, is_han, normalise

Script = Literal["han", "latin", "mixed"]


@dataclass(frozen=True, slots=True)
class Variant:
    """One name of a mark (its name or an alias) as the matchers compare it."""

    mark: Mark
    name: str  # as written in the watchlist, quoted in reasons
    normalised: str
    folded: str
    script: Script
    is_alias: bool

    @property
    def mark_id(self) -> str:
        return self.mark.id


@dataclass(frozen=True, slots=True)
class Catalogue:
    """All marks with their name variants and reference image hashes, built once per watchlist."""

    marks: Mapping[str, Mark]
    variants: tuple[Variant, ...]
    reference_hashes: Mapping[str, tuple[tuple[str, str], ...]]
    names: frozenset[str] = frozenset()  # every normalised name and alias

    def is_name(self, text: str) -> bool:
        """Whether normalised `text` is itself a watched name: then it is that mark, not a
        knockoff of another (华源 and 华园 may both be marks)."""
        return text in self.names

    @classmethod
    def from_marks(
        cls,
        marks: Sequence[Mark],
        reference_hashes: Mapping[str, Sequence[tuple[str, str]]] | None = None,
    ) -> Catalogue:
        """Normalise every name and alias; names that normalise to nothing are left out."""
        variants: list[Variant] = []
        for mark in marks:
            seen: set[str] = set()
            for position, name in enumerate(mark.names):
                normalised = normalise(name)
                if not normalised.text or normalised.text in seen:
                    continue
                seen.add(normalised.text)
                variants.append(
                    Variant(
                        mark=mark,
                        name=name,
                        normalised=normalised.text,
                        folded=fold(normalised).text,
                        script=script_of(normalised.text),
                        is_alias=position > 0,
                    )
                )
        hashes = {mark_id: tuple(pairs) for mark_id, pairs in (reference_hashes or {}).items()}
        return cls(marks={mark.id: mark for mark in marks}, variants=tuple(variants), reference_hashes=hashes,
                   names=frozenset(variant.normalised for variant in variants))


def script_of(text: str) -> Script:
    """"han" for all-Chinese text, "latin" for ASCII letters and digits, "mixed" otherwise."""
    if all(is_han(char) for char in text):
        return "han"
    if text.isascii():
        return "latin"
    return "mixed"
