"""JD item pages keep their product in `var pageConfig = {product: {...}}`, a JavaScript object
(unquoted keys, single-quoted strings) that JSON paths cannot read; this hook reads the few fields
it needs from it. The price is not there: JD fills it in from a separate call, which Chromium runs
(the profile sets listing_needs_javascript) and the profile's selectors read."""

from __future__ import annotations

import re

from scrapy.http import TextResponse

from ..found import Found
from ..jsliteral import STRING, unescape
from . import SiteHook

IMAGE_BASE = "https://img14.360buyimg.com/n1/"
_CONFIG = re.compile(r"var\s+pageConfig\s*=\s*\{")
_STRING = STRING
_FIELDS = {"title": re.compile(rf"\bname\s*:\s*(?:{_STRING})"), "key": re.compile(r"\bskuid\s*:\s*'?(\d+)")}
_IMAGES = re.compile(r"\bimageList\s*:\s*\[([^\]]*)\]")
WINDOW = 50_000  # pageConfig sits near the top of the page


def page_config(text: str) -> dict[str, object]:
    """Title, sku and images from a JD item page's pageConfig, where present."""
    start = _CONFIG.search(text)
    if start is None:
        return {}
    block = text[start.end():start.end() + WINDOW]
    found: dict[str, object] = {}
    for name, pattern in _FIELDS.items():
        match = pattern.search(block)
        if match:
            found[name] = unescape(next(group for group in match.groups() if group is not None))
    images = _IMAGES.search(block)
    if images:
        paths = [unescape(a or b) for a, b in re.findall(_STRING, images.group(1))]
        found["images"] = tuple(path if path.startswith(("http", "//")) else IMAGE_BASE + path for path in paths)
    return found


class JdHook(SiteHook):
    """Title, sku and images from a JD item page's `pageConfig` JavaScript object."""

    name = "jd"

    def listing(self, response: TextResponse, found: Found) -> Found:
        """The profile's fields, with the gaps filled from pageConfig."""
        config = page_config(response.text)
        return found.fill(Found.of("hook", **config)) if config else found
