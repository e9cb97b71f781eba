"""Kinds that register themselves under the name users type: matchers, site hooks, alert channels.

A family of kinds is a base class that subclasses `Kind`, saying what its kinds are called and
which package holds them, one module each, named for the kind::

    class Matcher(Kind, family="matcher", package=f"{__package__}.techniques"):
        ...

    # matchers/techniques/homophone.py
    class HomophoneMatcher(Matcher):
        \"\"\"Chinese names written with other characters that sound the same.\"\"\"

        name = "homophone"

    Matcher.discover()["homophone"]   # imports every module of the package first

A new kind is one new file. Each kind sets `name` and a docstring whose first line is what
`ipwatch matchers`, `ipwatch sites` and `ipwatch channels` show; a middle class that is no kind
itself (a base for several channels) says so with `abstract=True`. A second class under a name
already taken raises `TypeError` at import. tests/test_registry.py holds every kind's module to
its name.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any, ClassVar, Self


class Kind:
    """The base of a family of kinds; records each subclass in the family's `registry` by `name`."""

    family: ClassVar[str]  # what one kind is called in messages: "matcher", "site hook", "channel"
    package: ClassVar[str]  # the package whose modules hold the family's kinds
    registry: ClassVar[dict[str, type[Any]]]  # name → class, one per family
    name: ClassVar[str]

    def __init_subclass__(cls, *, family: str | None = None, package: str | None = None,
                          abstract: bool = False, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if family is not None:
            if package is None:
                raise TypeError(f"the {family} family {cls.__qualname__} must name the package of its kinds")
            cls.family, cls.package, cls.registry = family, package, {}
        elif not abstract:
            cls._register()

    @classmethod
    def _register(cls) -> None:
        name = cls.__dict__.get("name")
        if not isinstance(name, str) or not name:
            raise TypeError(f"{cls.__qualname__} must set a class attribute `name`")
        if not (cls.__doc__ or "").strip():
            raise TypeError(f"{cls.family} {name!r} ({cls.__qualname__}) needs a one-line docstring")
        known = cls.registry.get(name)
        if known is not None and (known.__module__, known.__qualname__) != (cls.__module__, cls.__qualname__):
            raise TypeError(f"{cls.family} name {name!r} is taken by {known.__module__}.{known.__qualname__}")
        cls.registry[name] = cls

    @classmethod
    def discover(cls) -> dict[str, type[Self]]:
        """Import every module of the family's package, so that each kind in it registers itself;
        the kinds by name."""
        package = importlib.import_module(cls.package)
        for module in pkgutil.iter_modules(package.__path__):
            if not module.name.startswith("_"):
                importlib.import_module(f"{cls.package}.{module.name}")
        return dict(cls.registry)

    @classmethod
    def summary(cls) -> str:
        """The first line of the docstring: what the help lists."""
        return (cls.__doc__ or "").strip().partition("\n")[0]
