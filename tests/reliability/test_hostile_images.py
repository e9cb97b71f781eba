"""Hostile images: every file of tests/reliability/corpus/images/ is either read as the picture it shows
or refused as a `BadImage` with its reason — polyglots (a GIF that is also HTML and JavaScript, a JPEG
with a ZIP appended, a PNG with HTML after its end), bombs (a GIF or JPEG header claiming billions of
pixels), truncated and empty files, SVG with script. Property tests mutate good images byte by byte.
(tests/matchers/test_images.py covers the classic cases; a crawl of these images is in
test_hostile_pages.py, where each refusal is counted and logged as `bad_image`.)"""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from ipwatch.core.images import BadImage, compute_hashes

CORPUS = Path(__file__).parent / "corpus" / "images"
SLOW_S = 5

# corpus file → the format it is read as, or the reason it is refused
IMAGES: dict[str, tuple[str, str]] = {
    "good.png": ("read", "png"),
    "good.jpg": ("read", "jpeg"),
    "gif_html_js_polyglot.gif": ("read", "gif"),  # a real 10799x1 GIF: its script is never run, only pixels read
    "jpeg_with_zip.jpg": ("read", "jpeg"),  # the appended archive is ignored: the same hashes as good.jpg
    "png_with_html.png": ("read", "png"),
    "svg_with_script.svg": ("refused", "not an image in a known format"),
    "html_named_jpg.jpg": ("refused", "not an image in a known format"),
    "zero_bytes.png": ("refused", "empty file (0 bytes)"),
    "truncated.png": ("refused", "corrupt or truncated image"),
    "gif_screen_65535.gif": ("refused", "decompression bomb refused"),
    "jpeg_header_65500.jpg": ("refused", "decompression bomb refused"),
}


def outcome(data: bytes) -> tuple[str, str]:
    try:
        return "read", compute_hashes(data).format
    except BadImage as refused:
        return "refused", str(refused)


@pytest.mark.reliability("hostile", "images: polyglots, bombs, truncated, zero bytes (corpus)")
def test_the_image_table_covers_every_corpus_file() -> None:
    assert sorted(IMAGES) == sorted(path.name for path in CORPUS.iterdir())


@pytest.mark.reliability("hostile", "images: polyglots, bombs, truncated, zero bytes (corpus)")
@pytest.mark.parametrize("name", sorted(IMAGES))
def test_a_corpus_image_is_read_as_a_picture_or_refused_with_its_reason(name: str) -> None:
    started = time.perf_counter()
    kind, detail = outcome((CORPUS / name).read_bytes())
    assert (kind, detail if kind == "read" else detail[:len(IMAGES[name][1])]) == IMAGES[name]
    assert time.perf_counter() - started < SLOW_S


@pytest.mark.reliability("hostile", "images: polyglots, bombs, truncated, zero bytes (corpus)")
def test_bytes_appended_to_a_picture_change_nothing_it_is_matched_on() -> None:
    plain, appended = (compute_hashes((CORPUS / name).read_bytes()) for name in ("good.jpg", "jpeg_with_zip.jpg"))
    assert (plain.phash, plain.dhash) == (appended.phash, appended.dhash)


def picture(fmt: str) -> bytes:
    image = Image.new("RGB", (48, 40), (230, 220, 200))
    ImageDraw.Draw(image).ellipse((6, 6, 30, 30), fill=(200, 30, 30))
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


GOOD = {fmt: picture(fmt) for fmt in ("PNG", "JPEG", "GIF", "BMP", "WEBP", "TIFF")}
FAST = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.reliability("hostile", "images: random damage to good pictures (hypothesis)")
@FAST
@given(fmt=st.sampled_from(sorted(GOOD)), cut=st.floats(0, 1),
       flips=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), max_size=12), tail=st.binary(max_size=64))
def test_a_damaged_picture_is_read_or_refused_never_a_crash(
        fmt: str, cut: float, flips: list[tuple[float, int]], tail: bytes) -> None:
    data = bytearray(GOOD[fmt][: max(1, int(len(GOOD[fmt]) * cut))])
    for where, value in flips:
        data[int(where * (len(data) - 1))] = value
    started = time.perf_counter()
    kind, detail = outcome(bytes(data) + tail)
    assert kind == "read" or detail  # refused always says why
    assert time.perf_counter() - started < SLOW_S


MAGIC = [b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0", b"GIF89a", b"GIF87a", b"BM", b"RIFF\x00\x00\x00\x00WEBPVP8 ",
         b"II*\x00", b"MM\x00*", b"\x00\x00\x01\x00", b"<svg", b"%PDF-", b"PK\x03\x04", b""]


@pytest.mark.reliability("hostile", "images: random damage to good pictures (hypothesis)")
@FAST
@given(magic=st.sampled_from(MAGIC), body=st.binary(max_size=2048))
def test_any_bytes_behind_an_image_signature_are_read_or_refused(magic: bytes, body: bytes) -> None:
    started = time.perf_counter()
    kind, detail = outcome(magic + body)
    assert kind == "read" or detail
    assert time.perf_counter() - started < SLOW_S
