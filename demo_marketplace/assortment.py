"""The shop's stock before it is shelved: every mark's genuine, infringing and look-alike listings, and unrelated goods.

Products come out without id or section; `catalogue.build_catalogue` shuffles and shelves them.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import replace
from pathlib import Path
from typing import cast

from ..watchlist.records import Mark
from . import provenance, titles
from .goods import UNRELATED, Goods, goods_for
from .knockoffs import disguises
from .records import Case, ImageSpec, Product
from .sellers import Shop, growers, misusers, shops_for

SEED = "ipwatch-demo-marketplace-1"
DEFAULT_PRICE = 100.0
PRICE_RANGE: dict[str, tuple[float, float]] = {  # share of the reference price each case asks
    "genuine": (0.92, 1.1), "knockoff": (0.3, 0.7), "counterfeit": (0.1, 0.25),
    "copied_logo": (0.3, 0.6), "gi_misuse": (0.4, 0.8), "gi_in_region": (0.7, 1.0),
    "gi_evocation": (0.4, 0.8), "gi_title_origin": (0.4, 0.8), "false_heritage": (0.6, 0.9),
    "generic_usage": (0.2, 0.4),
}
RELATED_PER_MARK = 6  # unrelated listings a search for a mark also returns, as real platforms do


def fold(text: str) -> str:
    """Text as search compares it: NFKC, casefolded, without spaces."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


class _Stock:
    """Builds one mark's listings with one seeded random source."""

    def __init__(self, mark: Mark, base_dir: Path, avoid: tuple[str, ...]) -> None:
        self.mark, self.avoid = mark, avoid
        self.rng = random.Random(f"{SEED}:{mark.id}")
        self.goods: Goods = goods_for(mark)
        self.base = mark.reference_price.amount if mark.reference_price else DEFAULT_PRICE
        paths = [base_dir / path for path in mark.images]
        found = next((path for path in paths if path.is_file()), None)
        self.reference = ImageSpec("reference", str(found.resolve())) if found else None
        self.count = 0

    def photos(self, count: int) -> tuple[ImageSpec, ...]:
        return tuple(ImageSpec("photo", f"{self.mark.id}:{self.count}:{n}") for n in range(count))

    def product(self, case: Case, title: str, shop: Shop, noun: str, *, images: tuple[ImageSpec, ...] = (),
                technique: str | None = None, infringes: bool = True, item: str = "") -> Product:
        self.count += 1
        low, high = PRICE_RANGE[case]
        images = (images + self.photos(self.rng.randint(2, 4)))[:4]
        text = titles.description(case, name=self.mark.name, noun=noun, item=item or title, location=shop.location)
        return Product(
            id="", section="static", title=title, seller=shop.name, seller_location=shop.location,
            price=f"{self.base * self.rng.uniform(low, high):.2f}", category=self.goods.category,
            description=text, keywords=(*self.mark.names, self.goods.category), images=images, case=case,
            infringes=(self.mark.id,) if infringes else (), technique=technique,
            brand=self.mark.name if case == "genuine" else None,
        )

    def noun(self) -> str:
        return self.rng.choice(self.goods.nouns)

    def genuine(self) -> list[Product]:
        sellers = self.mark.authorized_sellers
        home = self.mark.region or self.goods.home or self.rng.choice(("北京市", "上海市"))
        listings = []
        for index in range(self.rng.randint(2, 3) if sellers else 0):
            noun = self.goods.nouns[index % len(self.goods.nouns)]
            title = titles.titled(titles.GENUINE, self.rng, item=titles.join(self.mark.name, noun), name=self.mark.name,
                                  origin=self.goods.origin, latin=titles.latin_name(self.mark.names))
            images = (self.reference,) if self.reference else ()
            shop = Shop(sellers[index % len(sellers)], home)
            listings.append(self.product("genuine", title, shop, noun, images=images, infringes=False))
        return listings

    def outsider(self) -> Shop:
        return self.rng.choice(shops_for(self.goods.category, self.avoid, self.mark.region))

    def knockoffs(self) -> list[Product]:
        wanted = self.rng.randint(4, 8)
        plans: list[tuple[Case, str, str]] = [("counterfeit", "exact_name", self.mark.name)]
        if self.reference:
            plans.append(("copied_logo", "copied_logo", ""))
        firsts: list[tuple[Case, str, str]] = []
        seconds: list[tuple[Case, str, str]] = []
        for technique, name in disguises(self.mark.names, self.rng):  # every technique once before any twice
            (seconds if any(plan[1] == technique for plan in firsts) else firsts).append(("knockoff", technique, name))
        plans += firsts + seconds
        while len(plans) < wanted:
            plans.append(("counterfeit", "exact_name", self.mark.name))
        return [self.knockoff(case, technique, name) for case, technique, name in plans[:wanted]]

    def knockoff(self, case: Case, technique: str, name: str) -> Product:
        noun, shop = self.noun(), self.outsider()
        if case == "copied_logo":
            title = titles.titled(titles.COPIED_LOGO, self.rng, noun=noun)
            logo = (ImageSpec("copied_logo", self.reference.source),) if self.reference else ()
            return self.product(case, title, shop, noun, images=logo, technique=technique)
        item = titles.join(name, noun)
        templates = titles.COUNTERFEIT if case == "counterfeit" else titles.KNOCKOFF
        title = titles.titled(templates, self.rng, item=item)
        return self.product(case, title, shop, noun, technique=technique, item=item)

    def origin_cases(self) -> tuple[list[Product], list[str]]:
        """GI misuse from outside the region, and true-origin listings from unauthorised growers inside it."""
        region = self.mark.region
        if self.mark.kind != "gi" or not region:
            return [], []
        listings = []
        outside = misusers(self.mark.id, region, self.avoid)
        for shop in self.rng.sample(outside, min(len(outside), self.rng.randint(1, 2))):
            noun = self.noun()
            title = titles.titled(titles.GI_MISUSE, self.rng, item=titles.join(self.mark.name, noun))
            listings.append(self.product("gi_misuse", title, shop, noun, technique="gi_origin"))
        inside = growers(self.mark.id, region, self.mark.authorized_sellers, self.rng)
        for shop in inside:
            noun = self.noun()
            title = titles.titled(titles.GI_REGION, self.rng, item=titles.join(self.mark.name, noun))
            listings.append(self.product("gi_in_region", title, shop, noun, infringes=False))
        return listings, [shop.name for shop in inside]

    def provenance_cases(self) -> list[Product]:
        """GI evocations and title origins, false heritage claims, and generic uses of the name."""
        listings = []
        for case, table in (("gi_evocation", provenance.EVOCATIONS), ("gi_title_origin", provenance.TITLE_ORIGINS),
                            ("false_heritage", provenance.HERITAGE_CLAIMS)):
            for title, shop in table.get(self.mark.id, ()):
                listings.append(self.product(cast(Case, case), title, shop, self.noun(), technique=case, item=title))
        for phrase in self.mark.generic_uses[:1] if self.mark.kind == "old_brand" else ():
            title = provenance.GENERIC_TITLE.format(phrase=phrase)
            generic = self.product("generic_usage", title, provenance.BOOKSHOP, phrase, infringes=False, item=title)
            listings.append(replace(generic, category="图书"))
        return listings


def mark_products(mark: Mark, base_dir: Path, avoid: tuple[str, ...]) -> tuple[list[Product], list[str]]:
    """All listings that concern `mark`, and the unauthorised sellers inside its GI region."""
    stock = _Stock(mark, base_dir, avoid)
    origin, region_sellers = stock.origin_cases()
    return stock.genuine() + stock.knockoffs() + origin + stock.provenance_cases(), region_sellers


def unrelated_products(avoid: tuple[str, ...]) -> list[Product]:
    """Goods that infringe nothing; items naming any watched name are left out."""
    rng = random.Random(f"{SEED}:unrelated")
    folded = [fold(word) for word in avoid]
    listings: list[Product] = []
    seen: set[str] = set()
    for number, item in enumerate(UNRELATED):
        if any(word in fold(text) for word in folded for text in (item.core, *item.keywords)):
            continue
        for copy in range(1 if item.exact else 2):
            title = item.core if item.exact else titles.unrelated_title(item.core, rng)
            if title in seen:
                continue
            seen.add(title)
            shop = rng.choice(shops_for(item.category, avoid))
            images = tuple(ImageSpec("photo", f"unrelated:{number}:{copy}:{n}") for n in range(rng.randint(2, 4)))
            listings.append(Product(
                id="", section="static", title=title, seller=shop.name, seller_location=shop.location,
                price=f"{rng.uniform(item.low, item.high):.2f}", category=item.category,
                description=titles.description("unrelated", title=title, location=shop.location),
                keywords=(*item.keywords, item.category), images=images, case="unrelated",
            ))
    return listings


def _cjk(text: str) -> set[str]:
    return {char for char in text if "\u4e00" <= char <= "\u9fff"}


def link_related(products: list[Product], marks: tuple[Mark, ...]) -> list[Product]:
    """Let a search for a mark also return a few unrelated listings that share its characters or category.

    Real platforms do this (synonyms, category matches); it is what makes hard negatives such as
    伊犁薰衣草 or 黄芪片 from 陇西 reach a spider that searches for 伊利 or 固阳黄芪.
    """
    extra: dict[int, list[str]] = {}
    for mark in marks:
        goods = goods_for(mark)
        name_chars = set().union(*(_cjk(name) for name in mark.names))
        noun_chars = set().union(*(_cjk(noun) for noun in goods.nouns))

        def score(product: Product, name_chars: set[str] = name_chars, noun_chars: set[str] = noun_chars,
                  goods: Goods = goods) -> int:
            shared = len(name_chars & _cjk(product.title))
            nouns = min(len(noun_chars & _cjk(product.title)), 2)
            return 4 * shared + nouns + (product.category == goods.category) if shared or nouns else 0

        ranked = sorted((index for index, p in enumerate(products) if p.case == "unrelated" and score(p) > 0),
                        key=lambda index: (-score(products[index]), products[index].title))
        for index in ranked[:RELATED_PER_MARK]:
            extra.setdefault(index, []).append(mark.name)
    return [replace(p, keywords=(*p.keywords, *extra[i])) if i in extra else p for i, p in enumerate(products)]
