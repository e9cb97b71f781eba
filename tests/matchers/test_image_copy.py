"""A listing image that copies a reference image is found by its hashes together, mirrored too;
another brand's logo drawn in the same style, or an unrelated photo, is not."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageEnhance, ImageFont, ImageOps

from ipwatch.core.images import ListingImage, compute_hashes, open_image
from ipwatch.matchers.catalogue import Catalogue
from ipwatch.matchers.probe import Probe
from ipwatch.matchers.scorer import Scorer
from ipwatch.matchers.techniques.image_copy import ImageCopyMatcher
from ipwatch.spiders.records import Listing

SAMPLES = Path(__file__).resolve().parents[2] / "watchlist" / "samples" / "images"
FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
MakeListing = Callable[..., Listing]


def reference(name: str) -> Image.Image:
    return open_image((SAMPLES / f"{name}.png").read_bytes())


def jpeg(image: Image.Image, quality: int = 85) -> bytes:
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=quality)
    return out.getvalue()


def resized(image: Image.Image, scale: float) -> Image.Image:
    return image.resize((round(image.width * scale), round(image.height * scale)), Image.Resampling.LANCZOS)


def on_board(image: Image.Image, grow: float) -> Image.Image:
    board = Image.new("RGB", (round(image.width * grow), round(image.height * grow)), "white")
    board.paste(image, (board.width - image.width - 5, 20))
    return board


def same_style_logo(name: str) -> Image.Image:
    """Another brand drawn like the sample logos: frame, triangle, dots, the name below."""
    ink = (250, 245, 225)
    image = Image.new("RGB", (320, 320), (62, 100, 70))
    draw = ImageDraw.Draw(image)
    draw.rectangle((10, 10, 310, 310), outline=ink, width=3)
    draw.polygon([(160, 40), (220, 170), (100, 170)], outline=ink, width=8)
    for x, y in ((50, 40), (270, 45), (60, 60)):
        draw.ellipse((x - 7, y - 7, x + 7, y + 7), fill=ink)
    draw.text((160, 250), name, font=ImageFont.truetype(FONT, 64), fill=ink, anchor="mm")
    return image


def product_photo() -> Image.Image:
    image = Image.new("RGB", (400, 400), (235, 228, 215))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((110, 70, 290, 340), radius=20, fill=(150, 40, 40))
    draw.rectangle((122, 170, 278, 240), fill=(240, 220, 120))
    return image


CASES: list[tuple[str, Callable[[], bytes], str | None, str]] = [
    ("a copy at 60%, JPEG quality 40", lambda: jpeg(resized(reference("kangshifu"), 0.6), 40), "kangshifu",
     "image phash distance "),
    ("a copy at 180%", lambda: jpeg(resized(reference("guyang-huangqi"), 1.8)), "guyang-huangqi",
     "to reference guyang-huangqi.png"),
    ("a mirrored copy", lambda: jpeg(ImageOps.mirror(reference("wahaha"))), "wahaha", "to reference wahaha.png (mirrored)"),
    ("a copy 25% brighter", lambda: jpeg(ImageEnhance.Brightness(reference("yili")).enhance(1.25)), "yili",
     "to reference yili.png"),
    ("placed on a white board 40% larger", lambda: jpeg(on_board(reference("luwang"), 1.4)), "luwang",
     "to reference luwang.png"),
    ("another brand in the wahaha logo's style", lambda: jpeg(same_style_logo("今麦郎")), None, ""),
    ("a product photo", lambda: jpeg(product_photo()), None, ""),
]


@pytest.mark.parametrize(("case", "make", "mark_id", "reason"), CASES, ids=[case for case, *_ in CASES])
def test_copies_are_found_and_lookalikes_are_not(case: str, make: Callable[[], bytes], mark_id: str | None,
                                                  reason: str, catalogue: Catalogue, make_listing: MakeListing,
                                                  tmp_path: Path) -> None:
    data = make()
    file = tmp_path / "listing.jpg"
    file.write_bytes(data)
    image = ListingImage("listing.jpg", file, compute_hashes(data))
    found = list(ImageCopyMatcher(catalogue).match(Probe.of(make_listing("精选好物 包邮"), images=[image])))
    assert [evidence.mark_id for evidence in found] == ([mark_id] if mark_id else [])
    if mark_id:
        assert reason in found[0].reason.text and found[0].score >= 0.85


def test_hashes_stored_at_crawl_time_are_enough(catalogue: Catalogue, make_listing: MakeListing) -> None:
    hashes = compute_hashes(jpeg(resized(reference("mengniu"), 0.5), 60))
    image = ListingImage("https://shop.example/1.jpg", None, hashes)  # no file: the stored hashes decide
    [found] = ImageCopyMatcher(catalogue).match(Probe.of(make_listing("牛奶"), images=[image]))
    assert found.mark_id == "mengniu"


def test_a_copied_image_alone_makes_a_match(scorer: Scorer, make_listing: MakeListing, tmp_path: Path) -> None:
    file = tmp_path / "copy.jpg"
    file.write_bytes(jpeg(resized(reference("xiaofeiyang"), 0.7), 50))
    image = ListingImage("copy.jpg", file, compute_hashes(file.read_bytes()))
    [found] = scorer.match(make_listing("火锅底料 麻辣 家用"), images=[image])
    assert found.mark_id == "xiaofeiyang" and found.score >= 0.85
