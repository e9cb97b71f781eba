"""Site profiles: one YAML file per marketplace in `spiders/profiles/`, validated like the watchlist.

A profile says how to search a site (URL template, pagination, JavaScript, scrolling), where a
listing's fields are (CSS or XPath selectors, or paths into the JSON the page embeds), how the
site says "blocked", and how politely to crawl it. Selectors starting with `/` or `(` are XPath.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..core.problems import FileProblems
from ..core.yamlfile import FileKind, read_model

PROFILES_DIR = Path(__file__).with_name("profiles")
FIELDS = ("title", "price", "currency", "brand", "seller", "seller_location", "category", "images",
          "availability", "key", "url")
BlockKind = Literal["captcha", "login", "slider", "rate_limit", "forbidden"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _is_regex(value: str | None) -> str | None:
    if value is not None:
        try:
            re.compile(value)
        except re.error as error:
            raise ValueError(f"is not a valid regular expression: {error}") from None
    return value


class SearchEntry(_Strict):
    """One search form of a site: its URL template, pages to follow and what the browser must do.

    The URL has {q} for the percent-encoded term, and may have {page} (1, 2, ...) or {offset}
    ((page - 1) × page_size) when the site pages by URL rather than by a next link."""

    url: str = Field(description="path or URL with {q} for the percent-encoded term")
    query_encoding: str = Field("utf-8", description="how the site expects the term encoded (1688: gbk)")
    needs_javascript: bool = False
    max_pages: int = Field(5, ge=1)
    page_size: int = Field(0, ge=0, description="results per page, for {offset}")
    scroll: int = Field(0, ge=0, le=50, description="infinite scroll: scroll to the bottom up to this many times")
    load_more: str | None = Field(None, description="CSS selector of a 'load more' button, clicked until gone")
    wait_for: str | None = Field(None, description="CSS selector that is present once results are shown")
    wait_ms: int = Field(10_000, ge=0, le=120_000, description="how long to wait for wait_for (an empty search "
                                                               "never shows it)")
    listings_on_page: bool = Field(False, description="listings are read from the results page itself")

    @field_validator("url")
    @classmethod
    def _has_query(cls, value: str) -> str:
        if "{q}" not in value:
            raise ValueError("must contain {q} where the search term goes")
        return value

    @field_validator("query_encoding")
    @classmethod
    def _known_encoding(cls, value: str) -> str:
        import codecs

        try:
            codecs.lookup(value)
        except LookupError:
            raise ValueError(f"'{value}' is not an encoding Python knows (try utf-8, gbk, big5)") from None
        return value

    @property
    def paged_by_url(self) -> bool:
        """True when pages are numbered in the URL rather than linked."""
        return "{page}" in self.url or "{offset}" in self.url

    def page_url(self, base_url: str, term: str, page: int) -> str:
        """The URL of results page `page` (from 1) for `term`."""
        from urllib.parse import quote

        query = quote(term.strip().encode(self.query_encoding, errors="replace"))
        url = self.url.replace("{q}", query).replace("{page}", str(page))
        url = url.replace("{offset}", str((page - 1) * self.page_size))
        return url if url.startswith(("http://", "https://")) else base_url.rstrip("/") + url


Selector = tuple[str, ...]


class Selectors(_Strict):
    """Selectors for result pages and listing pages. Each field takes one selector or a list tried in
    order: the first that picks something wins."""

    result_link: Selector = ()
    next_page: Selector = ()
    title: Selector = ()
    price: Selector = ()
    currency: Selector = ()
    brand: Selector = ()
    seller: Selector = ()
    seller_location: Selector = ()
    category: Selector = ()
    images: Selector = ()
    availability: Selector = ()

    @field_validator("*", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return (value,) if isinstance(value, str) else () if value is None else value


class FieldPaths(_Strict):
    """Where each field is in the page's embedded JSON: paths tried in order (see `spiders.jsonpath`)."""

    title: tuple[str, ...] = ()
    price: tuple[str, ...] = ()
    currency: tuple[str, ...] = ()
    brand: tuple[str, ...] = ()
    seller: tuple[str, ...] = ()
    seller_location: tuple[str, ...] = ()
    category: tuple[str, ...] = ()
    images: tuple[str, ...] = ()
    availability: tuple[str, ...] = ()
    key: tuple[str, ...] = ()
    url: tuple[str, ...] = ()

    @field_validator("*", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return (value,) if isinstance(value, str) else value


class ResultPaths(_Strict):
    """Search results in embedded JSON: the lists of items, and each field relative to one item."""

    items: tuple[str, ...] = Field(min_length=1)
    fields: FieldPaths
    url_template: str | None = Field(None, description="listing URL from its key, e.g. https://x/{key}.html")

    @field_validator("items", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return (value,) if isinstance(value, str) else value


class EmbeddedData(_Strict):
    """JSON a page carries in its scripts (`var _DATA_Detail = {...}`), named for use in paths."""

    scripts: dict[str, str] = Field(description="name → regex that ends just before the JSON value; "
                                                "'' means the whole response is JSON")
    listing: FieldPaths = FieldPaths()
    results: ResultPaths | None = None

    @field_validator("scripts")
    @classmethod
    def _regexes(cls, value: dict[str, str]) -> dict[str, str]:
        for pattern in value.values():
            _is_regex(pattern)
        return value


class BlockRule(_Strict):
    """One way a site says "not you": every condition given must hold for a page to count as blocked."""

    kind: BlockKind
    status: tuple[int, ...] = ()
    url: str | None = Field(None, description="regex on the final URL (after redirects)")
    selector: str | None = Field(None, description="present on the page")
    text: str | None = Field(None, description="regex found in the page's text")

    @field_validator("url", "text")
    @classmethod
    def _regex(cls, value: str | None) -> str | None:
        return _is_regex(value)

    @model_validator(mode="after")
    def _some_condition(self) -> BlockRule:
        if not (self.status or self.url or self.selector or self.text):
            raise ValueError("give at least one of status, url, selector, text")
        return self


class SiteProfile(_Strict):
    """How to search one marketplace, read its listings, recognise blocks, and how fast to go."""

    name: str = Field(pattern=r"^[a-z0-9_-]+$")
    title: str = ""
    source: str = Field("", description="where the page structure was read from, and when")
    base_url: str
    domains: tuple[str, ...] = Field((), description="domains the crawl may visit; default: base_url's host")
    searches: tuple[SearchEntry, ...] = Field(min_length=1)
    selectors: Selectors = Selectors()
    data: EmbeddedData | None = None
    listing_key: str | None = Field(None, description="regex whose first group is the listing id in its URL")
    listing_needs_javascript: bool = False
    currency: str | None = Field(None, min_length=3, max_length=3, description="when pages do not say")
    search_budget: int | None = Field(None, ge=1, description="at most this many search terms per crawl")
    rate_per_min: int = Field(60, ge=1, description="requests per minute to this site at most")
    concurrency: int = Field(2, ge=1, le=32)
    headers: dict[str, str] = {}
    cookies: dict[str, str] = {}
    blocked: tuple[BlockRule, ...] = ()
    max_images: int = Field(4, ge=0)
    private_addresses: bool = Field(False, description="the site is on a private network: its names may "
                                                         "resolve to private or loopback addresses")

    @field_validator("listing_key")
    @classmethod
    def _regex(cls, value: str | None) -> str | None:
        return _is_regex(value)

    @model_validator(mode="after")
    def _results_have_a_source(self) -> SiteProfile:
        for entry in self.searches:
            if entry.listings_on_page and not (self.data and self.data.results):
                raise ValueError("a search with listings_on_page needs data.results")
            if not entry.listings_on_page and not self.selectors.result_link:
                raise ValueError("searches that follow results need selectors.result_link")
        return self

    @property
    def allowed_domains(self) -> list[str]:
        """The domains the crawl may visit: the profile's, else base_url's host."""
        return list(self.domains) or [urlsplit(self.base_url).hostname or ""]

    @property
    def download_delay(self) -> float:
        """Seconds between requests to this site, from `rate_per_min`."""
        return 60.0 / self.rate_per_min

    def key_from_url(self, url: str) -> str | None:
        """The listing id in a listing URL, by `listing_key`."""
        if not self.listing_key:
            return None
        found = re.search(self.listing_key, url)
        return (found.group(1) if found.groups() else found.group(0)) if found else None


def on_domain(url: str, domains: list[str] | tuple[str, ...]) -> bool:
    """Whether `url`'s host is one of `domains` or under one of them."""
    host = (urlsplit(url).hostname or "").lower()
    return any(host == domain or host.endswith("." + domain) for domain in domains)


def profile_path(name_or_path: str | Path) -> Path:
    """The YAML file of profile `name`, or the given path."""
    path = Path(name_or_path)
    return PROFILES_DIR / f"{name_or_path}.yaml" if not path.suffix else path


class ProfileError(FileProblems):
    """A site profile that cannot be used; `problems` lists every thing to fix."""

    remedy = "fix each line listed, then run `ipwatch sites check FILE` again"


_STARTS = "a site profile is a block of 'field: value' lines starting with 'name:'"
PROFILE = FileKind("site profile", top=_STARTS, empty=_STARTS, error=ProfileError)


def read_profile(path: Path) -> SiteProfile:
    """The validated profile in `path`; raises `ProfileError` naming the line and field of each mistake."""
    return read_model(path, SiteProfile, PROFILE)


def load_profile(name_or_path: str | Path) -> SiteProfile:
    """The profile called `name` in spiders/profiles/, or the one in the given file; raises ProfileError."""
    return read_profile(profile_path(name_or_path))


def profile_names() -> list[str]:
    """The names of the shipped site profiles."""
    return sorted(path.stem for path in PROFILES_DIR.glob("*.yaml"))
