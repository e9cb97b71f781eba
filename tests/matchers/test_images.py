"""Hostile image bytes give a named `BadImage` (never a crash, never a hang); good ones of every
common format decode upright, first frame only, with every hash."""

from __future__ import annotations

import io
import struct
import time
import zlib
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from ipwatch.core.images import BadImage, ListingImage, compute_hashes, content_of, hamming, image_format, open_image

REPO = Path(__file__).resolve().parents[2]
LOGO = REPO / "watchlist" / "samples" / "images" / "kangshifu.png"


def encoded(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def photo(size: tuple[int, int] = (240, 160)) -> Image.Image:
    """A small picture with structure, so that its hashes mean something."""
    image = Image.new("RGB", size, (230, 220, 200))
    draw = ImageDraw.Draw(image)
    draw.ellipse((20, 20, size[0] // 2, size[1] - 20), fill=(200, 30, 30))
    draw.rectangle((size[0] // 2, 40, size[0] - 20, size[1] - 40), fill=(20, 60, 180))
    return image


def sixteen_bit(image: Image.Image) -> Image.Image:
    """The picture as a 16-bit greyscale image using the whole 0-65535 range, as scanners save."""
    return Image.fromarray(np.asarray(image.convert("L")).astype(np.uint16) * 257)


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width` x `height` pixels: the classic decompression bomb."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", pixels) + png_chunk(b"IEND", b"")


def truncated_jpeg() -> bytes:
    data = encoded(photo((400, 300)), "JPEG", quality=90)
    return data[: len(data) // 3]


def huge_animated_gif() -> bytes:
    """400 frames of 600x600: every frame decoded would take seconds and 140 MB."""
    frames = [Image.new("P", (600, 600), index % 200) for index in range(400)]
    frames[0] = photo((600, 600)).convert("P")
    return encoded(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=20, loop=0)


BAD: list[tuple[str, Callable[[], bytes], str]] = [
    ("zero bytes", lambda: b"", "empty file (0 bytes)"),
    ("truncated JPEG", truncated_jpeg, "corrupt or truncated image"),
    ("HTML page served as .jpg", lambda: b"<!doctype html><html><body>captcha</body></html>", "not an image"),
    ("bomb: PNG header claiming 100,000 x 100,000", lambda: png_claiming(100_000, 100_000), "decompression bomb"),
    ("bomb: 7,000 x 7,000 is over the 40 M pixel limit", lambda: png_claiming(7_000, 7_000), "decompression bomb"),
    ("PNG signature then garbage", lambda: b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "not an image"),
    ("GIF header only", lambda: b"GIF89a\x10\x00\x10\x00", "not an image"),
    ("JPEG header only", lambda: encoded(photo(), "JPEG")[:200], "corrupt or truncated image"),
]


@pytest.mark.parametrize(("case", "make", "reason"), BAD, ids=[case for case, _, _ in BAD])
def test_a_bad_image_is_refused_with_a_reason(case: str, make: Callable[[], bytes], reason: str) -> None:
    with pytest.raises(BadImage) as refused:
        compute_hashes(make())
    assert reason in refused.value.reason


GOOD: list[tuple[str, Callable[[], bytes], str]] = [
    ("JPEG", lambda: encoded(photo(), "JPEG", quality=85), "jpeg"),
    ("PNG", lambda: encoded(photo(), "PNG"), "png"),
    ("WebP", lambda: encoded(photo(), "WEBP", quality=80), "webp"),
    ("GIF", lambda: encoded(photo().convert("P"), "GIF"), "gif"),
    ("PNG saved with a .jpg name (the name is never read)", lambda: encoded(photo(), "PNG"), "png"),
    ("16-bit greyscale PNG", lambda: encoded(sixteen_bit(photo()), "PNG"), "png"),
]


@pytest.mark.parametrize(("case", "make", "fmt"), GOOD, ids=[case for case, _, _ in GOOD])
def test_common_formats_decode_with_every_hash(case: str, make: Callable[[], bytes], fmt: str) -> None:
    hashes = compute_hashes(make())
    assert (hashes.width, hashes.height, hashes.format) == (240, 160, fmt)
    assert all(len(value) == 16 for value in (hashes.phash, hashes.dhash, hashes.whash))
    assert hashes.colorhash and hashes.segments
    assert hamming(hashes.phash, compute_hashes(encoded(photo(), "PNG")).phash) <= 6


def test_a_huge_animated_gif_is_read_by_its_first_frame_only() -> None:
    data = huge_animated_gif()
    started = time.perf_counter()
    hashes = compute_hashes(data)
    assert time.perf_counter() - started < 3.0
    first = compute_hashes(encoded(photo((600, 600)).convert("P"), "GIF"))
    assert hashes.format == "gif" and hamming(hashes.phash, first.phash) <= 4


def test_exif_orientation_is_applied() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # stored sideways: turn 90 degrees clockwise to view
    image = open_image(encoded(photo((240, 160)), "JPEG", exif=exif))
    assert image.size == (160, 240)


def test_transparency_is_shown_on_white() -> None:
    clear = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    assert open_image(encoded(clear, "PNG")).getpixel((10, 10)) == (255, 255, 255)


@pytest.mark.parametrize(("name", "fmt"), [("photo.jpg", "PNG"), ("photo.png", "WEBP"), ("photo.gif", "JPEG")])
def test_a_file_with_the_wrong_extension_is_read_by_its_content(name: str, fmt: str, tmp_path: Path) -> None:
    file = tmp_path / name
    file.write_bytes(encoded(photo(), fmt))
    image = ListingImage(name, file).load()
    assert image is not None and image.size == (240, 160)
    assert image_format(file.read_bytes()) == fmt.lower()


def test_a_listing_image_without_a_readable_file_is_skipped(tmp_path: Path) -> None:
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(truncated_jpeg())
    assert ListingImage("gone.jpg", tmp_path / "gone.jpg").load() is None
    assert ListingImage("broken.jpg", broken).load() is None
    assert ListingImage("broken.jpg", broken).fingerprints() == []
    assert image_format(b"not an image") == "unknown"


def test_stored_hashes_are_used_without_decoding(tmp_path: Path) -> None:
    hashes = compute_hashes(LOGO.read_bytes())
    assert ListingImage("logo.png", tmp_path / "not-there.png", hashes).fingerprints() == [hashes]


def test_a_picture_on_a_plain_board_is_also_hashed_alone(tmp_path: Path) -> None:
    logo = open_image(LOGO.read_bytes())
    board = Image.new("RGB", (560, 420), (250, 250, 250))
    board.paste(logo, (0, 60))  # flush with the left edge: the board is most of the border still
    file = tmp_path / "board.jpg"
    file.write_bytes(encoded(board, "JPEG", quality=85))
    whole, alone = ListingImage("board.jpg", file).fingerprints()
    assert hamming(whole.phash, compute_hashes(LOGO.read_bytes()).phash) > 10
    assert hamming(alone.phash, compute_hashes(LOGO.read_bytes()).phash) <= 4
    assert content_of(logo) is None  # its own narrow frame is part of the design
    assert content_of(Image.linear_gradient("L").convert("RGB")) is None  # no plain border at all
