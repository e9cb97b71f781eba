"""`Reason` and `Match`: a listing × mark decision with sentences a brand owner can read."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Reason:
    """One piece of evidence for or against a match, e.g. `homophone 康帅傅≈康师傅`."""

    technique: str  # the matcher or context rule that produced it
    text: str
    delta: float = 0.0  # how it moved the score (0 for the base evidence)

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True)
class Match:
    """A listing that likely uses a mark, with a score in [0, 1] and its reasons."""

    site: str
    listing_key: str
    mark_id: str
    score: float
    reasons: tuple[Reason, ...]

    @property
    def reason_texts(self) -> list[str]:
        return [reason.text for reason in self.reasons]
