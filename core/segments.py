"""Crop-resistant hashing (imagehash's algorithm) with its segmentation done by `scipy.ndimage`.

`imagehash.crop_resistant_hash` finds the bright and dark regions of a blurred 128x128 copy with a
flood fill written in Python: about 70 ms an image, most of the time a crawl spends on an image.
`crop_resistant_segments` labels the same regions with `scipy.ndimage.label` (4-connected, numbered
in the order a raster scan meets them, as imagehash's search finds them) and returns the same
hashes, in the same order, in about 2 ms. imagehash stays the reference: a property test
(tests/matchers/test_segments.py) checks that both give the same hashes.
"""

from __future__ import annotations

import imagehash
import numpy as np
from PIL import Image, ImageFilter
from scipy import ndimage

SEGMENT_THRESHOLD = 128  # imagehash's default: brightness between hills and valleys
FOUR_CONNECTED = np.array([[0, 1, 0], [1, 1, 1], [0, 1, 0]])


def crop_resistant_segments(image: Image.Image, *, segmentation_image_size: int,
                            min_segment_size: int) -> list[imagehash.ImageHash]:
    """The dHash of each region's bounding box, as `imagehash.crop_resistant_hash(...).segment_hashes`."""
    grey = image.convert("L").resize((segmentation_image_size, segmentation_image_size), Image.Resampling.LANCZOS)
    grey = grey.filter(ImageFilter.GaussianBlur()).filter(ImageFilter.MedianFilter())
    hills = np.asarray(grey).astype(np.float32) > SEGMENT_THRESHOLD
    boxes = _regions(hills, min_segment_size)
    if not boxes:  # no region: one segment, the whole image
        boxes = [(0, 0, segmentation_image_size, segmentation_image_size)]
    width, height = image.size
    scale_w, scale_h = width / segmentation_image_size, height / segmentation_image_size
    return [imagehash.dhash(image.crop((left * scale_w, top * scale_h, right * scale_w, bottom * scale_h)))
            for top, left, bottom, right in boxes]


def _regions(hills: np.ndarray, min_segment_size: int) -> list[tuple[int, int, int, int]]:
    """Bounding boxes (top, left, bottom, right) of the regions imagehash would hash: hills first,
    then valleys, each in raster order, larger than `min_segment_size` pixels."""
    rows, columns = hills.shape
    # imagehash stops looking for valleys once the pixels it has assigned, plus the 2(w+h) it
    # places around the image, reach w*h; a region's first pixel counts only if it has others.
    assigned = 2 * (rows + columns)
    boxes: list[tuple[int, int, int, int]] = []
    for mask, is_valley in ((hills, False), (~hills, True)):
        labels, count = ndimage.label(mask, structure=FOUR_CONNECTED)
        if not count:
            continue
        sizes = np.bincount(labels.ravel(), minlength=count + 1)[1:]
        for size, found in zip(sizes.tolist(), ndimage.find_objects(labels), strict=False):
            if is_valley and assigned >= rows * columns:
                break
            assigned += size if size > 1 else 0
            if size > min_segment_size:
                boxes.append((found[0].start, found[1].start, found[0].stop, found[1].stop))
    return boxes
