"""The `Matcher` base class, its registry of techniques, and the `Evidence` a matcher returns."""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Literal

from .records import Reason

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


class Matcher:
    """One matching technique, registered under the `name` users type.

    A subclass sets `name` and a one-line docstring, builds whatever index it needs from
    the `Catalogue` once in `__init__`, and implements `match`, which yields `Evidence`
    whose score is at least `cutoff` (a matcher may stop early below it). Evidence from
    the title carries its `span`; a technique that looks at images sets `looks_at =
    "images"`, and the scorer combines the two kinds as independent signals::

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

    name: ClassVar[str]
    looks_at: ClassVar[Literal["title", "images"]] = "title"  # text and image evidence combine as independent
    registry: ClassVar[dict[str, type[Matcher]]] = {}

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        name = cls.__dict__.get("name")
        if not isinstance(name, str) or not name:
            raise TypeError(f"{cls.__qualname__} must set a class attribute `name`")
        if not (cls.__doc__ or "").strip():
            raise TypeError(f"matcher {name!r} ({cls.__qualname__}) needs a one-line docstring")
        known = Matcher.registry.get(name)
        if known is not None and (known.__module__, known.__qualname__) != (cls.__module__, cls.__qualname__):
            raise TypeError(f"matcher name {name!r} is taken by {known.__module__}.{known.__qualname__}")
        Matcher.registry[name] = cls

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue

    def match(self, listing: Probe, *, cutoff: float = 0.0) -> Iterator[Evidence]:
        """Yield evidence that `listing` uses a mark of the catalogue, each scoring >= `cutoff`."""
        raise NotImplementedError

    @classmethod
    def summary(cls) -> str:
        """The first line of the docstring: what `ipwatch matchers` shows."""
        return (cls.__doc__ or "").strip().splitlines()[0]


_DEFINES_MATCHER = re.compile(r"^class \w+\(Matcher\):", re.MULTILINE)


def discover() -> dict[str, type[Matcher]]:
    """Import each module of the `matchers` package that defines a `Matcher`, so that every
    technique registers itself: a new technique is one new file. Helper modules are not
    imported just to look (some pull in heavy libraries)."""
    package = importlib.import_module(__package__)
    for module in pkgutil.iter_modules(package.__path__):
        source = Path(package.__path__[0], f"{module.name}.py")
        if module.name.startswith("_") or not source.is_file():
            continue
        if _DEFINES_MATCHER.search(source.read_text("utf-8")):
            importlib.import_module(f"{__package__}.{module.name}")
    return dict(Matcher.registry)
