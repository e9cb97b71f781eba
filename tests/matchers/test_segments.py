"""The fast crop-resistant hash gives imagehash's own hashes (the slow, obvious reference)."""

from __future__ import annotations

from pathlib import Path

import imagehash
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from ipwatch.core.segments import crop_resistant_segments

REPO = Path(__file__).resolve().parents[2]
SIZE, MIN_SEGMENT = 128, 200


def reference(image: Image.Image) -> list[str]:
    found = imagehash.crop_resistant_hash(image, segmentation_image_size=SIZE, min_segment_size=MIN_SEGMENT)
    return [str(h) for h in found.segment_hashes]


def fast(image: Image.Image) -> list[str]:
    return [str(h) for h in crop_resistant_segments(image, segmentation_image_size=SIZE, min_segment_size=MIN_SEGMENT)]


@pytest.mark.parametrize("path", sorted((REPO / "watchlist" / "samples" / "images").glob("*.png")), ids=lambda p: p.name)
def test_the_sample_logos_hash_as_imagehash_hashes_them(path: Path) -> None:
    image = Image.open(path).convert("RGB")
    assert fast(image) == reference(image)


def test_a_flat_image_is_one_segment_the_whole_image() -> None:
    image = Image.new("RGB", (200, 150), (90, 90, 90))
    assert fast(image) == reference(image) and len(fast(image)) == 1


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), blobs=st.integers(0, 30), width=st.integers(40, 400),
       height=st.integers(40, 400), noise=st.booleans())
def test_random_pictures_hash_as_imagehash_hashes_them(seed: int, blobs: int, width: int, height: int,
                                                      noise: bool) -> None:
    rng = np.random.default_rng(seed)
    if noise:
        pixels = rng.integers(0, 256, (height // 8 + 1, width // 8 + 1, 3), dtype=np.uint8)
        image = Image.fromarray(pixels).resize((width, height), Image.Resampling.NEAREST)
    else:
        image = Image.new("RGB", (width, height), tuple(int(v) for v in rng.integers(0, 256, 3)))
    draw = ImageDraw.Draw(image)
    for _ in range(blobs):
        x, y = int(rng.integers(0, width)), int(rng.integers(0, height))
        w, h = int(rng.integers(2, width // 2 + 3)), int(rng.integers(2, height // 2 + 3))
        shape = draw.ellipse if rng.random() < 0.5 else draw.rectangle
        shape((x, y, x + w, y + h), fill=tuple(int(v) for v in rng.integers(0, 256, 3)))
    assert fast(image) == reference(image)
