"""A Taobao item page keeps its shop in `var g_config = {shopName: '\\u6021…', idata: {item: {auctionImages:
[...]}}}`, a JavaScript object; this hook reads the shop's name (the seller shown on the page) and the item's
images from it. The title and price are in the page's markup (the profile's selectors)."""

from __future__ import annotations

import re

from scrapy.http import TextResponse

from ..found import Found
from ..jsliteral import string, strings
from . import SiteHook

_CONFIG = re.compile(r"var\s+g_config\s*=\s*\{")
WINDOW = 60_000  # g_config is a few kilobytes


class TaobaoHook(SiteHook):
    """Shop name and images from a Taobao item page's `g_config`."""

    name = "taobao"

    def listing(self, response: TextResponse, found: Found) -> Found:
        """The profile's fields, with the gaps filled from g_config."""
        start = _CONFIG.search(response.text)
        if start is None:
            return found
        block = response.text[start.end():start.end() + WINDOW]
        return found.fill(Found.of("hook", seller=string(block, "shopName") or string(block, "sellerNick"),
                                   images=strings(block, "auctionImages")))
