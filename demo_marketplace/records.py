"""The shop's records: a product as listed, and how each of its images is made."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Section = Literal["static", "mall", "gbk"]
Case = Literal["genuine", "knockoff", "gi_misuse", "gi_in_region", "copied_logo", "counterfeit", "unrelated",
               "gi_evocation", "gi_title_origin", "false_heritage", "generic_usage"]
Bad = Literal["no_price", "broken_image", "404"]
ImageKind = Literal["reference", "photo", "copied_logo", "broken"]
SECTIONS: tuple[Section, ...] = ("static", "mall", "gbk")


@dataclass(frozen=True, slots=True)
class ImageSpec:
    """How to make one listing image: a mark's reference file, a drawn photo, a copied logo, broken bytes."""

    kind: ImageKind
    source: str  # the reference file's path, or the seed a photo is drawn from

    @property
    def ext(self) -> str:
        """The file extension the image is served under."""
        return "png" if self.kind == "reference" and not self.source.lower().endswith((".jpg", ".jpeg")) else "jpg"


@dataclass(frozen=True, slots=True)
class Product:
    """One listing, with the ground truth about it."""

    id: str
    section: Section
    title: str
    seller: str
    seller_location: str
    price: str | None  # "123.00" in CNY; None for a listing that shows no price
    category: str
    description: str
    keywords: tuple[str, ...]  # hidden search terms, as sellers supply them
    images: tuple[ImageSpec, ...]
    case: Case
    infringes: tuple[str, ...] = ()
    technique: str | None = None
    brand: str | None = None  # only genuine listings declare a brand
    bad: Bad | None = None

    @property
    def url_path(self) -> str:
        """Where the listing page is served."""
        return f"/gbk/item/{self.id}" if self.section == "gbk" else f"/item/{self.id}"

    def image_path(self, number: int) -> str:
        """Where image `number` (from 1) of this listing is served."""
        return f"/img/{self.id}/{number}.{self.images[number - 1].ext}"
