"""What every held-out image set is made of, so that each set's file holds only its own pictures and
drawing code: pictures from an installed package (or an exit naming the package to install), and
distractors and backgrounds in the calibration set's proportions."""

from __future__ import annotations

import random
import sys
from collections.abc import Callable
from pathlib import Path

from PIL import ImageFont

from bench.image_variants import Picture, fit, product_photo, tiles
from ipwatch.core.images import open_image

PHOTO_SIDE = 1024  # pictures are shrunk to a listing photo's size


class MissingSource(Exception):
    """A picture, font or package a set needs is not installed."""


def package_picture(path: Path, package: str, name: str) -> Picture:
    """The picture at `path`, which Debian's `package` installs, no longer than `PHOTO_SIDE`."""
    if not path.is_file():
        raise MissingSource(f"{path} (Debian package {package})")
    image = open_image(path.read_bytes())
    return Picture(name, fit(image, PHOTO_SIDE) if max(image.size) > PHOTO_SIDE else image)


def or_exit(edition: str, install: str, load: Callable[[], list[Picture]]) -> list[Picture]:
    """`load()`, or exit saying what `edition` needs and the command that installs it."""
    try:
        return load()
    except MissingSource as missing:
        sys.exit(f"{edition} needs {missing}; install with: {install}")


def distractors(edition: str, others: list[Picture], rng: random.Random, count: int,
                logos: list[Picture]) -> list[Picture]:
    """As the calibration set's: the other pictures, `count // 2` windows of them, `count // 4` drawn
    product shots, and other brands' logos drawn by the set's own code."""
    drawn = [Picture(f"product-{n}", product_photo(f"{edition}-distractor-{n}")) for n in range(count // 4)]
    return others + list(tiles(others, rng, count // 2)) + drawn + logos


def backgrounds(edition: str, others: list[Picture]) -> list[Picture]:
    """As the calibration set's: the distractor pictures and four drawn product shots, to paste logos on."""
    return others + [Picture(f"backdrop-{n}", product_photo(f"{edition}-backdrop-{n}", 800)) for n in range(4)]


def font(edition: str, install: str, path: str, size: int) -> ImageFont.FreeTypeFont:
    """The font at `path` in `size` (at least 8), or exit saying what `edition` needs."""
    try:
        return ImageFont.truetype(path, max(8, size))
    except OSError:
        sys.exit(f"{edition} needs the font {path}; install with: {install}")


def fitted(edition: str, install: str, path: str, text: str, width: float, size: int) -> ImageFont.FreeTypeFont:
    """The font at `size`, or smaller until `text` is at most `width` wide."""
    chosen = font(edition, install, path, size)
    while size > 10 and chosen.getlength(text) > width:
        size -= 2
        chosen = font(edition, install, path, size)
    return chosen


def scaled(colour: tuple[int, int, int], factor: float) -> tuple[int, int, int]:
    """`colour` darker (factor < 1) or lighter, each channel kept within 0-255."""
    red, green, blue = (max(0, min(255, round(factor * value))) for value in colour)
    return red, green, blue
