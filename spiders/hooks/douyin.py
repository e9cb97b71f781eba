"""A Douyin video's products (`aweme_list[].promotions[]`) do not name their shop: the video's author,
whose shop sells them, does. This hook gives each such product its video author as seller."""

from __future__ import annotations

import dataclasses
import json

from scrapy.http import TextResponse

from ..found import Found
from . import SiteHook


def authors_by_product(text: str) -> dict[str, str]:
    """Promotion id → the nickname of the video it is attached to, from an aweme feed response."""
    try:
        root = json.loads(text)
    except ValueError:
        return {}
    data = root.get("data", root) if isinstance(root, dict) else None
    awemes = data.get("aweme_list") if isinstance(data, dict) else None
    sellers: dict[str, str] = {}
    for aweme in awemes if isinstance(awemes, list) else ():
        author = aweme.get("author") if isinstance(aweme, dict) else None
        nickname = author.get("nickname") if isinstance(author, dict) else None
        for promotion in aweme.get("promotions") or () if isinstance(aweme, dict) else ():
            if isinstance(promotion, dict) and nickname and promotion.get("promotion_id"):
                sellers[str(promotion["promotion_id"])] = str(nickname)
    return sellers


class DouyinHook(SiteHook):
    """Seller of a video's products: the video's author."""

    name = "douyin"

    def results(self, response: TextResponse, items: list[Found]) -> list[Found]:
        """Each product without a seller gets the author of the video it hangs on, where there is one."""
        if all(item.seller for item in items):
            return items
        sellers = authors_by_product(response.text)
        return [dataclasses.replace(item, seller=sellers[item.key], sources={**item.sources, "seller": "hook"})
                if not item.seller and item.key in sellers else item for item in items]
