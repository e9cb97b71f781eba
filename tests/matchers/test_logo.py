"""A reference logo that covers only part of a listing photo is found by keypoints that line up;
a photo that merely shares a character or a frame with a logo is not."""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont, ImageOps

from ipwatch.core.images import ListingImage, compute_hashes, open_image
from ipwatch.matchers.catalogue import Catalogue
from ipwatch.matchers.probe import Probe
from ipwatch.matchers.scorer import Scorer
from ipwatch.matchers.techniques.logo import LogoMatcher
from ipwatch.spiders.records import Listing

SAMPLES = Path(__file__).resolve().parents[2] / "watchlist" / "samples" / "images"
FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
MakeListing = Callable[..., Listing]


def reference(name: str) -> Image.Image:
    return open_image((SAMPLES / f"{name}.png").read_bytes())


def backdrop(seed: int, side: int = 800) -> Image.Image:
    """A busy listing photo: noise, stripes and blobs, so that keypoints are everywhere."""
    rng = random.Random(seed)
    noise = np.random.default_rng(seed).integers(90, 170, size=(side // 8, side // 8, 3), dtype=np.uint8)
    image = Image.fromarray(noise).resize((side, side), Image.Resampling.BICUBIC)
    draw = ImageDraw.Draw(image)
    for _ in range(40):
        x, y, r = rng.uniform(0, side), rng.uniform(0, side), rng.uniform(10, 70)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rng.randint(0, 255) for _ in range(3)))
    return image


def pasted(logo: Image.Image, share: float, seed: int) -> bytes:
    """`logo` scaled to `share` of a listing photo's side, pasted at a random place, saved as JPEG."""
    photo = backdrop(seed)
    side = round(photo.width * share)
    logo = logo.resize((side, round(logo.height * side / logo.width)), Image.Resampling.LANCZOS)
    rng = random.Random(seed)
    photo.paste(logo, (rng.randint(0, photo.width - logo.width), rng.randint(0, photo.height - logo.height)))
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=85)
    return out.getvalue()


def sharing_a_character() -> Image.Image:
    """Another brand, 康乐, drawn in the sample logos' font: it shares 康 with 康师傅 and nothing else."""
    ink = (250, 245, 225)
    image = Image.new("RGB", (320, 320), (60, 120, 100))
    draw = ImageDraw.Draw(image)
    draw.rectangle((10, 10, 310, 310), outline=ink, width=3)
    draw.text((160, 250), "康乐", font=ImageFont.truetype(FONT, 64), fill=ink, anchor="mm")
    return image


CASES: list[tuple[str, Callable[[], bytes], str | None, str]] = [
    ("康师傅 logo at 25% of a busy photo", lambda: pasted(reference("kangshifu"), 0.25, 1), "kangshifu",
     "from reference kangshifu.png"),
    ("Nike logo at 35%, mirrored", lambda: pasted(ImageOps.mirror(reference("nike")), 0.35, 2), "nike",
     "from reference nike.png (mirrored)"),
    ("a logo sharing only the character 康", lambda: pasted(sharing_a_character(), 0.4, 3), None, ""),
    ("the busy photo alone", lambda: pasted(Image.new("RGB", (8, 8), (120, 120, 120)), 0.01, 4), None, ""),
]


@pytest.mark.parametrize(("case", "make", "mark_id", "reason"), CASES, ids=[case for case, *_ in CASES])
def test_logos_inside_photos_are_found(case: str, make: Callable[[], bytes], mark_id: str | None, reason: str,
                                       catalogue: Catalogue, make_listing: MakeListing, tmp_path: Path) -> None:
    file = tmp_path / "photo.jpg"
    file.write_bytes(make())
    probe = Probe.of(make_listing("新品上市 包邮"), images=[ListingImage("photo.jpg", file)])
    found = list(LogoMatcher(catalogue).match(probe))
    assert [evidence.mark_id for evidence in found] == ([mark_id] if mark_id else [])
    if mark_id:
        text = found[0].reason.text
        assert text.startswith("logo found (") and reason in text
        assert int(text.split("(")[1].split()[0]) >= 10


def test_photos_are_not_searched_when_the_title_already_names_the_mark(catalogue: Catalogue,
                                                                      make_listing: MakeListing,
                                                                      tmp_path: Path) -> None:
    file = tmp_path / "photo.jpg"
    file.write_bytes(pasted(reference("nike"), 0.3, 7))
    images = [ListingImage("photo.jpg", file)]
    matcher = LogoMatcher(catalogue)
    assert list(matcher.match(Probe.of(make_listing("Nike 跑步鞋 男款"), images=images))) == []
    assert [e.mark_id for e in matcher.match(Probe.of(make_listing("跑步鞋 男款"), images=images))] == ["nike"]


def test_no_photo_is_searched_once_the_time_budget_is_spent(catalogue: Catalogue, make_listing: MakeListing,
                                                            tmp_path: Path) -> None:
    file = tmp_path / "photo.jpg"
    file.write_bytes(pasted(reference("kangshifu"), 0.3, 5))
    probe = Probe.of(make_listing("新品"), images=[ListingImage("photo.jpg", file)])
    assert list(LogoMatcher(catalogue, budget_seconds=0).match(probe)) == []


def test_a_pasted_logo_alone_makes_a_match(scorer: Scorer, make_listing: MakeListing, tmp_path: Path) -> None:
    file = tmp_path / "photo.jpg"
    file.write_bytes(pasted(reference("tongrentang"), 0.3, 6))
    image = ListingImage("photo.jpg", file, compute_hashes(file.read_bytes()))
    [found] = scorer.match(make_listing("滋补 养生 礼盒"), images=[image])
    assert found.mark_id == "tongrentang" and found.score >= 0.8
    assert any(reason.startswith("logo found (") for reason in found.reason_texts)
