"""Site profiles: one YAML file per marketplace in `spiders/profiles/`, validated like the watchlist."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

PROFILES_DIR = Path(__file__).with_name("profiles")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SearchEntry(_Strict):
    """One search form of a site: its URL template and whether it needs a browser."""

    url: str = Field(description="path or URL with {q} for the percent-encoded term")
    needs_javascript: bool = False
    max_pages: int = Field(5, ge=1)


class Selectors(_Strict):
    """CSS selectors for result pages and, as a fallback to structured data, for listing pages."""

    result_link: str
    next_page: str | None = None
    title: str | None = None
    price: str | None = None
    seller: str | None = None
    seller_location: str | None = None
    category: str | None = None
    images: str | None = None


class SiteProfile(_Strict):
    """How to search one marketplace and read its listings."""

    name: str = Field(pattern=r"^[a-z0-9_-]+$")
    base_url: str
    searches: tuple[SearchEntry, ...] = Field(min_length=1)
    selectors: Selectors
    allowed_domains: tuple[str, ...] = ()
    rate_per_min: int = Field(600, ge=1)
    max_images: int = Field(4, ge=0)


def load_profile(name_or_path: str | Path) -> SiteProfile:
    """The profile called `name` in spiders/profiles/, or the one in the given file."""
    path = Path(name_or_path)
    if not path.suffix:
        path = PROFILES_DIR / f"{name_or_path}.yaml"
    with path.open(encoding="utf-8") as handle:
        return SiteProfile.model_validate(yaml.safe_load(handle))


def profile_names() -> list[str]:
    """The names of the shipped site profiles."""
    return sorted(path.stem for path in PROFILES_DIR.glob("*.yaml"))
