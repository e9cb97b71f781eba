"""Listing images, made on demand and the same on every run: drawn product photos, copied logos, broken files."""

from __future__ import annotations

import io
import random
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw

from .records import ImageSpec

PHOTO_SIZE = 400
COPY_SCALE = 0.9  # a copied logo is the reference shrunk a little and re-encoded, as re-uploads are
COPY_QUALITY = 80
BROKEN_KEEP = 0.45  # share of a JPEG's bytes a broken image keeps


def _colour(rng: random.Random, low: int, high: int) -> tuple[int, int, int]:
    return (rng.randint(low, high), rng.randint(low, high), rng.randint(low, high))


def _jpeg(image: Image.Image, quality: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def photo(seed: str, size: int = PHOTO_SIZE) -> bytes:
    """A JPEG 'product shot' drawn from `seed`: a package with a label on a plain backdrop."""
    rng = random.Random(seed)
    image = Image.new("RGB", (size, size), _colour(rng, 200, 250))
    draw = ImageDraw.Draw(image)
    draw.ellipse((size * 0.15, size * 0.78, size * 0.85, size * 0.9), fill=_colour(rng, 150, 190))
    left, top = size * rng.uniform(0.2, 0.3), size * rng.uniform(0.12, 0.25)
    right, bottom = size - left, size * 0.84
    body = _colour(rng, 30, 200)
    if rng.random() < 0.5:
        draw.rounded_rectangle((left, top, right, bottom), radius=int(size * 0.05), fill=body)
    else:
        draw.ellipse((left, top, right, bottom), fill=body)
    band_top = top + (bottom - top) * rng.uniform(0.3, 0.45)
    draw.rectangle((left + 12, band_top, right - 12, band_top + size * 0.18), fill=_colour(rng, 180, 255))
    for _ in range(rng.randint(2, 5)):
        x, y, r = rng.uniform(left, right), rng.uniform(top, bottom), rng.uniform(8, size * 0.08)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=_colour(rng, 0, 255))
    return _jpeg(image, 85)


def _opened(path: Path) -> Image.Image:
    with Image.open(path) as image:
        image.load()
        if image.mode in ("RGBA", "LA", "P"):
            rgba = image.convert("RGBA")
            flat = Image.new("RGB", rgba.size, "white")
            flat.paste(rgba, mask=rgba.getchannel("A"))
            return flat
        return image.convert("RGB")


def reference(path: Path) -> bytes:
    """The mark's reference image as the genuine shop uploads it (PNG and JPEG as they are)."""
    if path.suffix.lower() in (".png", ".jpg", ".jpeg"):
        return path.read_bytes()
    buffer = io.BytesIO()
    _opened(path).save(buffer, "PNG")
    return buffer.getvalue()


def copied_logo(path: Path) -> bytes:
    """The reference image resized to ~90% and re-encoded as JPEG quality ~80."""
    image = _opened(path)
    size = (max(1, round(image.width * COPY_SCALE)), max(1, round(image.height * COPY_SCALE)))
    return _jpeg(image.resize(size, Image.Resampling.LANCZOS), COPY_QUALITY)


def broken(seed: str) -> bytes:
    """A JPEG cut off part-way: the header reads, the pixels do not."""
    data = photo(seed)
    return data[: int(len(data) * BROKEN_KEEP)]


@lru_cache(maxsize=512)
def render(spec: ImageSpec) -> bytes:
    """The bytes of the image `spec` describes."""
    if spec.kind == "reference":
        return reference(Path(spec.source))
    if spec.kind == "copied_logo":
        return copied_logo(Path(spec.source))
    if spec.kind == "broken":
        return broken(spec.source)
    return photo(spec.source)


def content_type(spec: ImageSpec) -> str:
    """The Content-Type the image is served with."""
    return "image/png" if spec.ext == "png" else "image/jpeg"
