"""`CopyIndex` tells a copy of a seal from another brand's seal with the same ring: the 64-bit
hashes see the same layout, the 256-bit detail hash sees other characters."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw, ImageFont

from ipwatch.core.images import ImageHashes, compute_hashes, hamming
from ipwatch.matchers.images.copies import COMBINED_BITS, PHASH_BITS, CopyIndex, views_of

SERIF = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc"


def seal(name: str) -> Image.Image:
    """A red round seal with the brand's characters in a column, as old shops stamp."""
    image = Image.new("RGB", (320, 320), (252, 250, 245))
    draw = ImageDraw.Draw(image)
    draw.ellipse((20, 20, 300, 300), outline=(200, 25, 35), width=13)
    font = ImageFont.truetype(SERIF, 62)
    for row, character in enumerate(name):
        draw.text((160, 70 + 62 * row), character, font=font, fill=(200, 25, 35), anchor="mt")
    return image


def jpeg(image: Image.Image, scale: float = 1.0, quality: int = 80) -> bytes:
    size = (round(image.width * scale), round(image.height * scale))
    out = io.BytesIO()
    image.resize(size, Image.Resampling.LANCZOS).save(out, "JPEG", quality=quality)
    return out.getvalue()


@pytest.fixture(scope="module")
def index() -> CopyIndex[str]:
    return CopyIndex([("seal-荣宝斋", views_of(seal("荣宝斋")))])


CASES = [
    ("the seal at 70%, JPEG quality 50", lambda: jpeg(seal("荣宝斋"), 0.7, 50), ["seal-荣宝斋"]),
    ("the seal at 150%", lambda: jpeg(seal("荣宝斋"), 1.5), ["seal-荣宝斋"]),
    ("采芝斋's seal: 4 bits of pHash, 4 of 192 from it", lambda: jpeg(seal("采芝斋")), []),
    ("知味观's seal: 6 bits of pHash, 10 of 192 from it", lambda: jpeg(seal("知味观")), []),
]


@pytest.mark.parametrize(("case", "make", "expected"), CASES, ids=[f"{n}: {c[0]}" for n, c in enumerate(CASES)])
def test_a_copy_is_found_and_a_seal_of_another_brand_is_not(case: str, make, expected: list[str],
                                                           index: CopyIndex[str]) -> None:
    assert [found.item for found in index.find(compute_hashes(make()))] == expected


def test_the_detail_hash_is_what_tells_them_apart() -> None:
    original, other = compute_hashes(jpeg(seal("荣宝斋"))), compute_hashes(jpeg(seal("采芝斋")))
    combined = sum(hamming(getattr(original, h), getattr(other, h)) for h in ("phash", "dhash", "whash"))
    assert hamming(original.phash, other.phash) <= PHASH_BITS and combined <= COMBINED_BITS  # layout alike
    assert len(original.detail) == 64 and hamming(original.detail, other.detail) > 32
    legacy = ImageHashes(**{**{f: getattr(other, f) for f in other.__slots__}, "detail": ""})
    assert CopyIndex([("seal", views_of(seal("荣宝斋")))]).find(legacy)  # stored before detail existed: no check
