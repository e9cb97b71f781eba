"""Pages that are only a JavaScript shell: scripts, a skeleton and next to no text, with the listings
loaded later by the browser. Such a page is neither a listing nor an empty result list: it needs rendering
(the search's `needs_javascript`), or the site's API."""

from __future__ import annotations

from scrapy.http import Response, TextResponse

from .found import Found

SHELL_TEXT = 200  # characters of shown text below which a page with scripts is a shell
NOT_SHOWN = ("script", "style", "noscript", "template")
READ_BY = {"embedded", "selectors", "hook", "json-ld", "microdata", "rdfa"}  # sources that read product content


def shown_text(response: TextResponse) -> str:
    """The text a person sees on the page, whitespace collapsed."""
    body = response.xpath("//body")
    if not body:
        return ""
    parts = body[0].xpath(".//text()[not(ancestor::*[" + " or ".join(f"self::{tag}" for tag in NOT_SHOWN) + "])]")
    return " ".join(" ".join(parts.getall()).split())


def is_shell(response: Response, found: Found | None = None) -> bool:
    """Whether the page is a JavaScript shell: HTML with scripts, under SHELL_TEXT characters of shown text,
    and (when `found` is given) no product data read from its scripts or markup."""
    if not isinstance(response, TextResponse) or response.text.lstrip()[:1] in ("{", "["):
        return False
    if found is not None and (found.price is not None or READ_BY & set(found.sources.values())):
        return False
    return bool(response.xpath("//script")) and len(shown_text(response)) < SHELL_TEXT
