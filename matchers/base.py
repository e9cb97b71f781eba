"""The `Matcher` base class, its registry of techniques, and the `Evidence` a matcher returns."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from ..core.registry import Kind
from .records import Reason
from .signals import Signal, carries

if TYPE_CHECKING:
    from .catalogue import Catalogue
    from .probe import Probe


class NotConfigured(Exception):
    """A matcher that cannot run here declines with the reason and what would turn it on."""


@dataclass(frozen=True, slots=True)
class Evidence:
    """One technique's finding that a listing uses one mark: a score in [0, 1] and why.

    `span` is where in the original title the mark was found (start, end offsets), or
    None when the evidence is not in the title (an image). `weak` evidence (one character
    of a two-character name changed) is moved by whether the goods the listing names fit
    the mark's classes: alone it is a hint, with the right goods a knockoff.
    """

    mark_id: str
    score: float
    reason: Reason
    span: tuple[int, int] | None = None
    weak: bool = False


class Matcher(Kind, family="matcher", package=f"{__package__}.techniques"):
    """One matching technique, registered under the `name` users type.

    A subclass lives in `matchers/techniques/NAME.py`, sets `name` and a one-line docstring,
    builds whatever index it needs from the `Catalogue` once in `__init__` (or declines with
    `NotConfigured`), and implements `match`, which yields `Evidence` whose score is at least
    `cutoff` (a matcher may stop early below it). Evidence from the title carries its `span`;
    a technique that looks at images sets `looks_at = "images"`, and the scorer combines the
    two kinds as independent signals. What its reasons say beyond "looks alike" (a GI
    evoked by "style" wording) it declares in `signals`, which severity reads::

        class HomophoneMatcher(Matcher):
            \"\"\"Chinese names written with other characters that sound the same.\"\"\"

            name = "homophone"

            def match(self, listing: Probe, *, cutoff: float = 0.0) -> Iterator[Evidence]:
                ...

        scorer = Scorer.from_marks(marks)   # builds every registered matcher once
        matcher = Matcher.registry["homophone"](scorer.catalogue)
        [e.reason.text for e in matcher.match(Probe.of(listing))]
        # ['homophone 康师父≈康师傅 (kang shi fu ~ kang shi fu)']

    Defining a second class with a name already registered raises `TypeError` at import.
    """

    looks_at: ClassVar[Literal["title", "images"]] = "title"  # text and image evidence combine as independent
    signals: ClassVar[frozenset[Signal]] = frozenset()  # what every reason of this technique says (signals.py)
    registry: ClassVar[dict[str, type[Matcher]]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.signals:
            carries(cls.name, *cls.signals)

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue

    def match(self, listing: Probe, *, cutoff: float = 0.0) -> Iterator[Evidence]:
        """Yield evidence that `listing` uses a mark of the catalogue, each scoring >= `cutoff`."""
        raise NotImplementedError


discover = Matcher.discover  # every technique by name, each module of techniques/ imported first
