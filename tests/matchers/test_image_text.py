"""A brand kept out of the title but printed in the photo is read (OCR) and matched like a title,
with its own reason; photos are read only where useful."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from ipwatch.core.images import ListingImage
from ipwatch.matchers.catalogue import Catalogue
from ipwatch.matchers.probe import Probe
from ipwatch.matchers.scorer import Scorer
from ipwatch.matchers.techniques.image_text import ImageTextMatcher
from ipwatch.spiders.records import Listing

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
MakeListing = Callable[..., Listing]


def package(text: str) -> bytes:
    """A product shot with `text` printed on its label, as a JPEG."""
    image = Image.new("RGB", (400, 400), (236, 230, 218))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((70, 60, 330, 350), radius=18, fill=(170, 35, 30))
    draw.rectangle((85, 150, 315, 250), fill=(250, 236, 180))
    draw.text((200, 200), text, font=ImageFont.truetype(FONT, 52), fill=(120, 20, 20), anchor="mm")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88)
    return out.getvalue()


@pytest.fixture(scope="module")
def reader(catalogue: Catalogue) -> ImageTextMatcher:
    return ImageTextMatcher(catalogue)


CASES = [
    ("the brand printed on the package", "康师傅", "kangshifu", "brand in image text: 康师傅"),
    ("a knockoff spelling printed on the package", "康帅傅", "kangshifu", "brand in image text: 康帅傅 ("),
    ("a Latin mark", "adidas", "adidas", "brand in image text: adidas"),
    ("a generic word", "好吃面", None, ""),
]


@pytest.mark.parametrize(("case", "printed", "mark_id", "reason"), CASES, ids=[case for case, *_ in CASES])
def test_text_in_a_photo_is_matched_with_its_own_reason(case: str, printed: str, mark_id: str | None, reason: str,
                                                         reader: ImageTextMatcher, make_listing: MakeListing,
                                                         tmp_path: Path) -> None:
    file = tmp_path / "photo.jpg"
    file.write_bytes(package(printed))
    probe = Probe.of(make_listing("红烧牛肉面 五连包 整箱"), images=[ListingImage("photo.jpg", file)])
    found = list(reader.match(probe))
    assert [evidence.mark_id for evidence in found] == ([mark_id] if mark_id else [])
    if mark_id:
        assert found[0].reason.text.startswith(reason) and found[0].reason.technique == "image_text"


def test_photos_are_not_read_when_the_title_already_names_the_mark(catalogue: Catalogue, make_listing: MakeListing,
                                                                   tmp_path: Path) -> None:
    file = tmp_path / "photo.jpg"
    file.write_bytes(package("伊利"))
    matcher = ImageTextMatcher(catalogue)
    assert list(matcher.match(Probe.of(make_listing("康师傅红烧牛肉面"), images=[ListingImage("p", file)]))) == []
    assert list(ImageTextMatcher(catalogue, budget_seconds=0).match(
        Probe.of(make_listing("纯牛奶 整箱"), images=[ListingImage("p", file)]))) == []
    [found] = matcher.match(Probe.of(make_listing("纯牛奶 整箱"), images=[ListingImage("p", file)]))
    assert found.mark_id == "yili"


def test_the_brand_in_a_photo_makes_a_match(scorer: Scorer, make_listing: MakeListing, tmp_path: Path) -> None:
    file = tmp_path / "photo.jpg"
    file.write_bytes(package("娃哈哈"))
    [found] = scorer.match(make_listing("儿童饮品 AD钙奶 整箱"), images=[ListingImage("photo.jpg", file)])
    assert found.mark_id == "wahaha" and "brand in image text: 娃哈哈" in found.reason_texts
