"""Thumbnails: any downloaded image becomes a small JPEG, and hostile bytes become none."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image

from ipwatch.alerts.thumbnail import THUMBNAIL_SIZE, thumbnail_jpeg


def _png(size: tuple[int, int], mode: str = "RGB") -> bytes:
    buffer = BytesIO()
    Image.new(mode, size).save(buffer, "PNG")
    return buffer.getvalue()


CASES = [
    # name, file bytes (None: no file), max_bytes, expect a thumbnail
    ("a photo", _png((1200, 800)), 8_000_000, True),
    ("a palette image with transparency", _png((50, 50), "RGBA"), 8_000_000, True),
    ("no file on disk", None, 8_000_000, False),
    ("empty file", b"", 8_000_000, False),
    ("html saved as .jpg", b"<html><body>blocked</body></html>", 8_000_000, False),
    ("truncated png", _png((300, 300))[:60], 8_000_000, False),
    ("larger than image_max_bytes", _png((300, 300)), 100, False),
    ("decompression bomb (50 megapixels)", _png((10_000, 5_000), "1"), 8_000_000, False),
]


@pytest.mark.parametrize(("name", "data", "max_bytes", "expected"), CASES, ids=[c[0] for c in CASES])
def test_thumbnail_or_nothing(tmp_path: Path, name, data, max_bytes, expected):
    path = tmp_path / "image.jpg"
    if data is not None:
        path.write_bytes(data)
    result = thumbnail_jpeg(path, max_bytes=max_bytes)
    assert (result is not None) == expected
    if expected:
        with Image.open(BytesIO(result)) as thumb:
            assert thumb.format == "JPEG"
            assert max(thumb.size) <= THUMBNAIL_SIZE
