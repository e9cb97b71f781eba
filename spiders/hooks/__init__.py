"""Site hooks: the little a marketplace needs that its profile's data cannot say, registered by profile name.

A hook lives in `spiders/hooks/NAME.py`, subclasses `SiteHook`, sets `name` to its profile's
name, and overrides what it must::

    class AmazonHook(SiteHook):
        \"\"\"Brand from the byline ('Visit the Tefal Store' → Tefal).\"\"\"

        name = "amazon"

        def listing(self, response, found):
            return found.fill(Found.of("hook", brand=byline_brand(response)))

Defining a second hook with a name already registered raises `TypeError` at import.
"""

from __future__ import annotations

from typing import ClassVar

from scrapy.http import TextResponse

from ...core.registry import Kind
from ..found import Found


class SiteHook(Kind, family="site hook", package=__name__):
    """Site-specific reading of listing pages, applied before the generic sources."""

    registry: ClassVar[dict[str, type[SiteHook]]]

    def listing(self, response: TextResponse, found: Found) -> Found:
        """The fields of a listing page, given what the profile's data and selectors found."""
        return found

    def results(self, response: TextResponse, items: list[Found]) -> list[Found]:
        """The search results the profile's data found on a page, completed where the data cannot say how."""
        return items


discover = SiteHook.discover  # every hook by name, each module of this package imported first


def hook_for(name: str) -> SiteHook | None:
    """The hook registered for profile `name`, if any."""
    cls = discover().get(name)
    return cls() if cls else None
