"""`Reason` and `Match`: a listing × mark decision with sentences a brand owner can read in their language."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..core.phrases import MESSAGES, Phrase
from . import messages  # noqa: F401 - declares the reasons' messages


@dataclass(frozen=True, slots=True, init=False)
class Reason:
    """One piece of evidence for or against a match, e.g. `homophone 康帅傅≈康师傅`: a phrase (a message
    code and its parameters, core/phrases.py) rendered in the reader's language, and how it moved the score.

    `Reason("homophone", Phrase.of(...))` is the usual form; `Reason("exact", "some text")` keeps a
    sentence as written (reasons stored before they had codes).
    """

    technique: str  # the matcher or context rule that produced it
    phrase: Phrase
    delta: float  # how it moved the score (0 for the base evidence)

    def __init__(self, technique: str, text: Phrase | str, delta: float = 0.0) -> None:
        object.__setattr__(self, "technique", technique)
        object.__setattr__(self, "phrase", text if isinstance(text, Phrase) else Phrase.stored(text))
        object.__setattr__(self, "delta", delta)

    @classmethod
    def of(cls, technique: str, code: str, delta: float = 0.0, **params: Any) -> Reason:
        """The reason of `technique` saying message `code` with `params`."""
        return cls(technique, Phrase.of(code, **params), delta)

    def render(self, language: str = "en", *, scores: bool = True) -> str:
        """The sentence in `language`; with `scores` (for officers), how it moved the score, e.g. (+0.05).
        Brand owners and notices never see scores."""
        text = self.phrase.render(language)
        declared = MESSAGES.get(self.phrase.code)
        if scores and declared is not None and declared.scored:
            text += f" ({self.delta:+.2f})"
        return text

    @property
    def text(self) -> str:
        """The sentence in English, with its score, as officers and logs read it."""
        return self.render("en")

    def __str__(self) -> str:
        return self.text

    def to_json(self) -> dict[str, Any]:
        """The reason as stored in the `reasons` JSON columns (with its English text, for older readers)."""
        return {"technique": self.technique, "text": self.text, "delta": self.delta, **self.phrase.to_json()}

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | str) -> Reason:
        """A stored reason: a dict with a code, an older dict with only its text, or a plain sentence."""
        if isinstance(data, str):
            return cls("", data)
        if data.get("code"):
            return cls(str(data.get("technique") or ""), Phrase.from_json(data), float(data.get("delta") or 0.0))
        return cls(str(data.get("technique") or ""), str(data.get("text") or ""), float(data.get("delta") or 0.0))


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
