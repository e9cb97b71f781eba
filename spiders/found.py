"""`Found`: the fields one source on a page gives (JSON-LD, microdata, selectors, ...), and how sources combine."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .prices import to_decimal

# "Brand: Acme", "Visit the Acme Store", "Ver mais artigos da Marca: Acme": the brand is the name in it.
_BRAND_WRAPPERS = (
    re.compile(r"^.*?\b(?:brand|marca|marke|marque|marchio|merk|品牌|бренд)\s*[:：]\s*(?P<name>.+)$", re.IGNORECASE),
    re.compile(r"^(?:visit the|besuchen sie den|visiter la boutique|visita lo store di|visita la tienda de)\s+"
               r"(?P<name>.+?)(?:[- ](?:store|shop))?$", re.IGNORECASE),
)


def brand_name(text: str | None) -> str | None:
    """The brand itself out of a labelled or wrapped brand text."""
    if not text:
        return text
    for pattern in _BRAND_WRAPPERS:
        found = pattern.match(text)
        if found and found.group("name").strip():
            return found.group("name").strip()
    return text


TEXT_FIELDS = ("title", "brand", "seller", "seller_location", "category", "availability", "url", "key")
MAX_TEXT = 2_000  # a field longer than this is not a product field


def _clean(value: Any) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    text = " ".join(str(value).split())
    return text[:MAX_TEXT] if text else None


@dataclass(frozen=True, slots=True)
class Found:
    """Product fields from one source, None where it says nothing; `sources` names where each came from."""

    title: str | None = None
    price: Decimal | None = None
    currency: str | None = None  # as the page writes it ('€', 'EUR', 'Lei'); made ISO later
    brand: str | None = None
    seller: str | None = None
    seller_location: str | None = None
    category: str | None = None
    images: tuple[str, ...] = ()
    availability: str | None = None
    url: str | None = None
    key: str | None = None
    offers: tuple[Decimal, ...] = ()  # every price the source names (other offers, variants)
    struck: tuple[Decimal, ...] = ()  # prices the page shows as old: crossed out, "was", RRP
    sources: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, source: str, **values: Any) -> Found:
        """Fields from `source`, cleaned: text trimmed, prices parsed, empty values dropped."""
        cleaned: dict[str, Any] = {name: _clean(values.get(name)) for name in TEXT_FIELDS}
        cleaned["brand"] = brand_name(cleaned["brand"])
        cleaned["price"] = to_decimal(values.get("price"))
        cleaned["currency"] = _clean(values.get("currency"))
        images = values.get("images") or ()
        images = (images,) if isinstance(images, str) else images
        cleaned["images"] = tuple(dict.fromkeys(str(url).strip() for url in images if url and str(url).strip()))
        sources = {name: source for name, value in cleaned.items() if value not in (None, ())}
        offers, struck = (tuple(price for price in map(to_decimal, values.get(name) or ()) if price is not None)
                          for name in ("offers", "struck"))
        return cls(**cleaned, offers=offers, struck=struck, sources=sources)

    def fill(self, other: Found) -> Found:
        """These fields, with the gaps filled from `other`."""
        updates: dict[str, Any] = {}
        sources = dict(self.sources)
        for name in (*TEXT_FIELDS, "images"):
            if getattr(self, name) in (None, ()) and getattr(other, name) not in (None, ()):
                updates[name] = getattr(other, name)
                sources[name] = other.sources.get(name, "?")
        if self.price is None and other.price is not None:
            updates["price"] = other.price
            sources["price"] = other.sources.get("price", "?")
        if not self.currency and other.currency:  # one page, one currency: any source may name it
            updates["currency"], sources["currency"] = other.currency, other.sources.get("currency", "?")
        return dataclasses.replace(self, **updates, sources=sources) if updates else self

    @property
    def empty(self) -> bool:
        """True when no field was found."""
        return not self.sources
