"""The pixel check behind a logo found by keypoints: a copy agrees cell by cell, another brand in the same
layout does not, and a reference mostly outside the photo or too small in it gives no verdict."""

from __future__ import annotations

import io

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageEnhance, ImageFont, ImageOps

from ipwatch.matchers.images.detail import detail_agreement
from ipwatch.matchers.images.logos import MIN_AGREEMENT, LogoIndex

FONT = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"


def wordmark(name: str, tagline: str = "SINCE 1958", emblem: str = "waves") -> Image.Image:
    """A 480×200 wordmark: an emblem (three waves or two peaks), the name, a rule and a tagline."""
    image = Image.new("RGB", (480, 200), (248, 244, 236))
    draw = ImageDraw.Draw(image)
    if emblem == "waves":
        xs = np.linspace(30, 150, 40)
        for row in range(3):
            draw.line([(x, 60 + 40 * row + 8 * np.sin((x - 30) / 120 * 3 * np.pi + row)) for x in xs],
                      fill=(90, 40, 160), width=8)
    else:
        draw.polygon([(30, 160), (75, 50), (120, 160)], fill=(90, 40, 160))
        draw.polygon([(80, 160), (120, 80), (160, 160)], fill=(60, 30, 50))
    draw.text((180, 112), name, font=ImageFont.truetype(FONT, 72), fill=(60, 30, 50), anchor="ls")
    draw.rectangle((180, 125, 440, 130), fill=(90, 40, 160))
    draw.text((180, 160), tagline, font=ImageFont.truetype(FONT, 20), fill=(60, 30, 50), anchor="ls")
    return image


def grey(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("L"))


def placed(logo: Image.Image, scale: float, angle: float, offset: tuple[float, float],
           photo_size: tuple[int, int] = (800, 600)) -> tuple[np.ndarray, np.ndarray]:
    """`logo` turned, scaled and moved onto a textured photo; the photo's grey pixels and the transform used."""
    rng = np.random.default_rng(7)
    photo = cv2.resize(rng.integers(60, 200, (photo_size[1] // 20, photo_size[0] // 20), np.uint8), photo_size,
                       interpolation=cv2.INTER_CUBIC)
    transform = cv2.getRotationMatrix2D((0.0, 0.0), angle, scale)
    transform[:, 2] = offset
    size = (photo_size[0], photo_size[1])
    drawn = cv2.warpAffine(grey(logo), transform, size, flags=cv2.INTER_AREA)
    footprint = cv2.warpAffine(np.full(grey(logo).shape, 255, np.uint8), transform, size) > 0
    photo[footprint] = drawn[footprint]
    return photo, transform


def test_a_copy_turned_and_shrunk_agrees() -> None:
    logo = wordmark("蒙草")
    photo, transform = placed(logo, 0.5, 4.0, (200, 150))
    assert detail_agreement(grey(logo), 1.0, photo, transform) >= 0.95


def test_a_copy_with_other_brightness_and_contrast_agrees() -> None:
    logo = wordmark("蒙草")
    edited = ImageEnhance.Contrast(ImageEnhance.Brightness(logo).enhance(1.3)).enhance(0.7)
    photo, transform = placed(edited, 0.8, -3.0, (100, 200))
    assert detail_agreement(grey(logo), 1.0, photo, transform) >= 0.9


def test_another_brand_in_the_same_layout_does_not_agree() -> None:
    """蒙泰 shares the layout, the rule and the character 蒙 with 蒙草: keypoints line up on them."""
    photo, transform = placed(wordmark("蒙泰", "EST. 1984", "peaks"), 0.8, 0.0, (100, 200))
    assert detail_agreement(grey(wordmark("蒙草")), 1.0, photo, transform) < MIN_AGREEMENT


NAME = ((180.0, 40.0, 330.0, 125.0),)  # where wordmark() writes the name, as OCR reads it


def test_the_cells_under_the_words_must_agree_too() -> None:
    """The same template with one character of the name changed agrees on most cells, but not under the name."""
    photo, transform = placed(wordmark("蒙泰"), 0.8, 0.0, (100, 200))
    reference = grey(wordmark("蒙草"))
    assert detail_agreement(reference, 1.0, photo, transform) >= MIN_AGREEMENT
    assert detail_agreement(reference, 1.0, photo, transform, NAME) < MIN_AGREEMENT
    copy, transform = placed(wordmark("蒙草"), 0.8, 0.0, (100, 200))
    assert detail_agreement(reference, 1.0, copy, transform, NAME) >= 0.95


def test_a_reference_described_at_another_scale_is_compared_at_its_own_size() -> None:
    logo = wordmark("蒙草")
    photo, transform = placed(logo, 0.6, 2.0, (150, 150))
    half = logo.resize((240, 100), Image.Resampling.LANCZOS)
    assert detail_agreement(grey(half), 0.5, photo, transform) >= 0.9


@pytest.mark.parametrize(("scale", "offset", "why"), [
    (0.04, (100, 100), "19 pixels wide in the photo: too small to compare"),
    (1.0, (600, 500), "three quarters of it outside the photo"),
])
def test_no_verdict_when_too_little_is_in_view(scale: float, offset: tuple[float, float], why: str) -> None:
    logo = wordmark("蒙草")
    photo, transform = placed(logo, scale, 0.0, offset)
    assert detail_agreement(grey(logo), 1.0, photo, transform) is None, why


def test_a_blank_reference_gives_no_verdict() -> None:
    blank = Image.new("RGB", (300, 300), (250, 250, 250))
    photo, transform = placed(blank, 1.0, 0.0, (100, 100))
    assert detail_agreement(grey(blank), 1.0, photo, transform) is None


def jpeg(image: Image.Image) -> Image.Image:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return Image.open(io.BytesIO(out.getvalue())).convert("RGB")


def smooth_sky(seed: int, size: tuple[int, int] = (1024, 683)) -> Image.Image:
    """A smooth, cloudy picture: low-frequency noise, on which SIFT finds few keypoints."""
    rng = np.random.default_rng(seed)
    field = cv2.resize(rng.normal(0, 1, (6, 9)), size, interpolation=cv2.INTER_CUBIC)
    field += 0.15 * cv2.resize(rng.normal(0, 1, (40, 60)), size, interpolation=cv2.INTER_CUBIC)
    levels = np.clip(110 + 45 * field, 0, 255).astype(np.uint8)
    return Image.fromarray(np.dstack([levels, levels, np.clip(levels.astype(int) + 30, 0, 255).astype(np.uint8)]))


def test_the_logo_index_finds_a_small_wordmark_and_refuses_its_lookalike() -> None:
    index = LogoIndex([("蒙草", wordmark("蒙草")), ("sky", smooth_sky(1))])
    photo = Image.fromarray(np.dstack([placed(wordmark("蒙草"), 0.45, 0.0, (300, 250))[0]] * 3))
    assert [found.item for found in index.find(jpeg(photo))] == ["蒙草"]
    for lookalike in (wordmark("蒙泰", "EST. 1984", "peaks"), wordmark("蒙泰")):  # the second: the same template
        photo = Image.fromarray(np.dstack([placed(lookalike, 0.8, 0.0, (100, 200))[0]] * 3))
        assert index.find(jpeg(photo)) == []


def test_the_logo_index_finds_a_cropped_smooth_picture() -> None:
    sky = smooth_sky(1)
    index = LogoIndex([("sky", sky), ("蒙草", wordmark("蒙草"))])
    cropped = jpeg(ImageOps.mirror(sky.crop((60, 40, 960, 640))))
    [found] = index.find(cropped)
    assert (found.item, found.mirrored) == ("sky", True) and found.agreement >= MIN_AGREEMENT


@pytest.mark.parametrize(("case", "photo"), [
    ("one pixel", Image.new("RGB", (1, 1), (200, 10, 10))),
    ("a 4000×3 strip", Image.new("RGB", (4000, 3), (90, 90, 90))),
    ("flat black", Image.new("RGB", (800, 800), (0, 0, 0))),
    ("noise", Image.fromarray(np.random.default_rng(3).integers(0, 256, (600, 800, 3), np.uint8))),
    ("the wordmark at 2% of a photo", Image.fromarray(np.dstack([placed(wordmark("蒙草"), 0.02, 0.0, (5, 5))[0]] * 3))),
])
def test_hostile_photos_find_nothing_and_raise_nothing(case: str, photo: Image.Image) -> None:
    index = LogoIndex([("蒙草", wordmark("蒙草")), ("sky", smooth_sky(1))])
    assert index.find(jpeg(photo)) == [], case


def test_a_reference_whose_words_cannot_be_read_is_still_checked_cell_by_cell(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    def unreadable(image: Image.Image) -> list[tuple[float, float, float, float]]:
        raise RuntimeError("onnxruntime: bad input")

    monkeypatch.setattr("ipwatch.matchers.images.ocr.text_boxes", unreadable)
    index = LogoIndex([("蒙草", wordmark("蒙草"))])
    assert "could not be read" in caplog.text
    copy = Image.fromarray(np.dstack([placed(wordmark("蒙草"), 0.8, 0.0, (100, 200))[0]] * 3))
    assert [found.item for found in index.find(jpeg(copy))] == ["蒙草"]
