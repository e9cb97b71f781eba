"""The catalogue: products built deterministically from a watchlist, shelved in sections, with their ground truth."""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from ..watchlist.records import Mark
from .assortment import SEED, fold, link_related, mark_products, unrelated_products
from .records import Bad, ImageSpec, Product, Section

GBK_INFRINGING = 7  # infringing listings shelved in the GBK section, one per mark
GBK_UNRELATED = 7
MALL_EVERY = 3  # one product in three goes to the JavaScript mall


def load_marks(watchlist_path: Path) -> tuple[Mark, ...]:
    """The marks of a watchlist file, validated as `Mark` records."""
    data = yaml.safe_load(Path(watchlist_path).read_text(encoding="utf-8"))
    return tuple(Mark.model_validate(entry) for entry in data["marks"])


@dataclass(frozen=True)
class Catalogue:
    """Every product of the shop, and what is true about each."""

    products: list[Product]
    region_sellers: dict[str, list[str]] = field(default_factory=dict)  # mark id → unauthorised growers in its region
    _by_id: dict[str, Product] = field(init=False, repr=False, compare=False)
    _folded: dict[str, tuple[str, tuple[str, ...]]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {product.id: product for product in self.products})
        object.__setattr__(self, "_folded", {
            product.id: (fold(product.title), tuple(fold(word) for word in product.keywords))
            for product in self.products
        })

    def product(self, product_id: str) -> Product | None:
        """The product with this id, or None."""
        return self._by_id.get(product_id)

    def search(self, section: Section, query: str) -> list[Product]:
        """Products of `section` whose title or hidden keywords contain `query`; title hits first, then by id."""
        needle = fold(query)
        if not needle:
            return []
        hits = []
        for product in self.products:
            title, keywords = self._folded[product.id]
            if product.section == section and (needle in title or any(needle in word for word in keywords)):
                hits.append((needle not in title, product.id, product))
        return [product for *_, product in sorted(hits)]

    def ground_truth(self) -> list[dict[str, Any]]:
        """One entry per product: where it is, what it shows, and which marks it infringes."""
        return [{
            "id": p.id, "section": p.section, "url_path": p.url_path, "title": p.title, "seller": p.seller,
            "seller_location": p.seller_location, "price": p.price, "infringes": list(p.infringes),
            "case": p.case, "technique": p.technique, "bad": p.bad,
        } for p in self.products]


def _gbk_safe(product: Product) -> bool:
    try:
        "".join((product.title, product.seller, product.seller_location, product.description)).encode("gbk")
    except UnicodeEncodeError:
        return False
    return True


def _gbk_shelf(products: list[Product], marks: tuple[Mark, ...]) -> set[str]:
    """Ids for the GBK section: one infringing listing for several marks, and unrelated goods."""
    names = {fold(mark.name) for mark in marks}
    chosen: list[str] = []
    covered: set[str] = set()
    for product in products:
        if product.infringes and product.infringes[0] not in covered and len(covered) < GBK_INFRINGING \
                and product.case != "copied_logo" and _gbk_safe(product):
            covered.add(product.infringes[0])
            chosen.append(product.id)
    unrelated = [p for p in products if p.case == "unrelated" and _gbk_safe(p)]
    linked = [p.id for p in unrelated if names & {fold(word) for word in p.keywords}]
    plain = [p.id for p in unrelated if p.id not in linked]
    return set(chosen + linked[: GBK_UNRELATED - 2] + plain[:2])


def _shelve(products: list[Product], marks: tuple[Mark, ...]) -> list[Product]:
    gbk = _gbk_shelf(products, marks)
    shelved, rest = [], 0
    for product in products:
        if product.id in gbk:
            section: Section = "gbk"
        else:
            section = "mall" if rest % MALL_EVERY == 1 else "static"
            rest += 1
        shelved.append(replace(product, section=section))
    return shelved


def _spoil(products: list[Product]) -> list[Product]:
    """Make three listings bad, as real pages are: one without price, one with a broken image, one gone (404)."""
    wanted: list[tuple[Bad, Section, str]] = [("no_price", "static", "knockoff"), ("broken_image", "mall", "knockoff"),
                                              ("404", "static", "counterfeit")]
    spoiled = {p.id: p for p in products}
    for bad, section, case in wanted:
        victim = next((p for p in products if p.section == section and p.case == case and spoiled[p.id].bad is None),
                      None) or next(p for p in products if p.infringes and spoiled[p.id].bad is None)
        if bad == "no_price":
            spoiled[victim.id] = replace(victim, price=None, bad=bad)
        elif bad == "broken_image":
            images = list(victim.images)
            images[1] = ImageSpec("broken", images[1].source)
            spoiled[victim.id] = replace(victim, images=tuple(images), bad=bad)
        else:
            spoiled[victim.id] = replace(victim, bad=bad)
    return [spoiled[p.id] for p in products]


def build_catalogue(watchlist_path: Path) -> Catalogue:
    """The catalogue for a watchlist: the same products, ids and sections on every run."""
    marks = load_marks(watchlist_path)
    base_dir = Path(watchlist_path).resolve().parent
    avoid = tuple(name for mark in marks for name in mark.names)
    products: list[Product] = []
    region_sellers: dict[str, list[str]] = {}
    for mark in marks:
        listings, growers = mark_products(mark, base_dir, avoid)
        products += listings
        if growers:
            region_sellers[mark.id] = growers
    products = link_related(products + unrelated_products(avoid), marks)
    random.Random(f"{SEED}:order").shuffle(products)
    products = [replace(p, id=f"p{number:04d}") for number, p in enumerate(products, start=1)]
    return Catalogue(products=_spoil(_shelve(products, marks)), region_sellers=region_sellers)
