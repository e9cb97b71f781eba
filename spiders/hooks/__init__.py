"""Site hooks: the little a marketplace needs that its profile's data cannot say, registered by profile name.

A hook subclasses `SiteHook`, sets `name` to its profile's name, and overrides what it must::

    class AmazonHook(SiteHook):
        \"\"\"Brand from the byline ('Visit the Tefal Store' → Tefal).\"\"\"

        name = "amazon"

        def listing(self, response, found):
            return found.fill(Found.of("hook", brand=byline_brand(response)))

Defining a second hook with a name already registered raises `TypeError` at import.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import ClassVar

from scrapy.http import TextResponse

from ..found import Found


class SiteHook:
    """Site-specific reading of listing pages, applied before the generic sources."""

    name: ClassVar[str]
    registry: ClassVar[dict[str, type[SiteHook]]] = {}

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if cls.name in SiteHook.registry:
            raise TypeError(f"site hook {cls.name!r} is defined twice: {SiteHook.registry[cls.name]} and {cls}")
        SiteHook.registry[cls.name] = cls

    def listing(self, response: TextResponse, found: Found) -> Found:
        """The fields of a listing page, given what the profile's data and selectors found."""
        return found


def discover() -> dict[str, type[SiteHook]]:
    """Import every hook module in this package; the registry by name."""
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    return SiteHook.registry


def hook_for(name: str) -> SiteHook | None:
    """The hook registered for profile `name`, if any."""
    cls = discover().get(name)
    return cls() if cls else None
