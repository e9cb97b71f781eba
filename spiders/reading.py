"""Read one product page from a file or a URL into a `Listing`: what `ipwatch extract` does."""

from __future__ import annotations

import dataclasses
import gzip
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from .blocking import blocked_by
from .config import USER_AGENT
from .encoding import html_response
from .extract import extract_fields, listing_from, profile_for_url
from .profile import SiteProfile
from .records import Listing
from .shell import is_shell

FETCH_TIMEOUT_S = 30


class PageUnreadable(Exception):
    """The page could not be read: missing file, too large, not HTTP(S), or the fetch failed."""


NEEDS_RENDERING = "the page is only a JavaScript shell: its listings are drawn by the browser. Crawl it with " \
    "needs_javascript: true in the site's profile, or save the page as the browser shows it and read that"


class NotAListing(PageUnreadable):
    """The page is no listing: a block page (`state` 'blocked', `kind` captcha, login, ...) or a JavaScript
    shell ('needs_rendering'). Never a listing titled "Robot or human?", never "no results"."""

    def __init__(self, state: str, kind: str | None, url: str, remedy: str, how: dict[str, Any]) -> None:
        super().__init__(f"{url}: {state}{f' ({kind})' if kind else ''}: {remedy}")
        self.state, self.kind, self.url, self.remedy, self.how = state, kind, url, remedy, how

    def as_json(self) -> dict[str, Any]:
        """What `ipwatch extract` prints for such a page."""
        return {"state": self.state, "kind": self.kind, "url": self.url, "remedy": self.remedy, **self.how}


def _cap(data: bytes, limit: int, source: str) -> bytes:
    if len(data) > limit:
        raise PageUnreadable(f"{source}: {len(data)} bytes is more than the page limit of {limit} bytes "
                             "(IPWATCH_PAGE_MAX_BYTES); raise it if the page is genuine")
    return data


def read_file(path: Path, limit: int) -> bytes:
    """A saved page's bytes (.gz files decompressed), at most `limit` bytes."""
    try:
        with path.open("rb") as handle:
            head = handle.read(2)
        if head == b"\x1f\x8b":
            with gzip.open(path, "rb") as handle:
                return _cap(handle.read(limit + 1), limit, str(path))
        with path.open("rb") as handle:
            return _cap(handle.read(limit + 1), limit, str(path))
    except (OSError, EOFError) as error:
        raise PageUnreadable(f"{path}: cannot be read ({error})") from None


def fetch(url: str, limit: int) -> tuple[bytes, str | None, str]:
    """Bytes, Content-Type and final URL of `url`, at most `limit` bytes."""
    if not url.startswith(("http://", "https://")):
        raise PageUnreadable(f"{url}: only http:// and https:// URLs can be fetched")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_S) as response:
            return _cap(response.read(limit + 1), limit, url), response.headers.get("Content-Type"), response.url
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise PageUnreadable(f"{url}: fetch failed ({error})") from None


def read_page(source: str, *, url: str | None, limit: int, profile: SiteProfile | None = None
              ) -> tuple[Listing, dict[str, Any]]:
    """The listing on a page (file path or URL) and how it was read (encoding, profile, field sources).
    Raises `NotAListing` for a block page or a JavaScript shell."""
    if source.startswith(("http://", "https://")):
        body, content_type, final = fetch(source, limit)
        url = url or final
    else:
        path = Path(source)
        body, content_type = read_file(path, limit), None
        url = url or path.resolve().as_uri()
    response = html_response(url, body, content_type)
    profile = profile or profile_for_url(url)
    how: dict[str, Any] = {"encoding": response.encoding, "profile": profile.name if profile else None}
    blocked = blocked_by(response, profile)
    if blocked is not None:
        raise NotAListing("blocked", blocked.kind, url, blocked.remedy, how)
    found = extract_fields(response, profile)
    if is_shell(response, found):
        raise NotAListing("needs_rendering", None, url, NEEDS_RENDERING, how)
    listing = listing_from(found, url, profile)
    return listing, {"state": "listing", **how, "sources": found.sources}


def as_json(listing: Listing, how: dict[str, Any]) -> dict[str, Any]:
    """A listing as `ipwatch extract` prints it: the public fields, then how they were found."""
    data = dataclasses.asdict(listing)
    for internal in ("images", "raw", "fetched_at"):
        data.pop(internal, None)
    data["images"] = list(data.pop("image_urls"))
    data["problems"] = list(data["problems"])
    return {**data, **how}
