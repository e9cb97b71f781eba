"""`detail_agreement`: how much of a reference a photo repeats where keypoints say it lies.

A few keypoints that line up prove little on their own: two brands drawn by the same hand
share a frame, an emblem or a character, and a smooth photograph (a storm sky, a shaded
icon) gives SIFT only a handful of keypoints even when it is copied whole. So the logo
matcher asks the pixels: the photo is warped back onto the reference by the similarity
transform RANSAC found, both are cut into square cells (64 of them on a square reference, as
many on a wide plaque: 16 by 4), and each cell
of the reference that has something drawn in it must be repeated by the photo — its
shading (normalised correlation ≥ `SHADING`) and, where the reference has fine detail
(strokes, text), that detail too (correlation ≥ `FINE` after taking away a blur of 3% of the
side). Normalised correlation forgives brightness, contrast and JPEG; a watermark spoils a
few cells, another brand's name spoils every cell it covers. Where the reference carries
words (its name, pinyin, a product line: `words`, read by OCR when the index is built), the
cells under them must agree as well as the cells overall: a badge or a plaque of another
brand drawn from the same template shares its frame, emblem and ribbon, so most of its cells
agree, but not the ones that say whose it is.

The bar (`MIN_AGREEMENT` in matchers/images/logos.py, 0.75) was chosen on the calibration set and
held-out sets 1-3. `python bench/logo_agreement.py --set NAME` prints the agreements behind
it: on the calibration set and held-out sets 2 and 3 the most a false candidate reached is
0.23, 0.40 and 0.58, and 9 of 1,465 true candidates fall below the bar.
"""

from __future__ import annotations

import cv2
import numpy as np

WORK_SIDE = 192  # the comparison is made at most this many pixels (squared): cells of 24 pixels
MIN_SIDE = 24  # a reference shown smaller than this (square root of its area) cannot be compared
CELLS_ALONG = 8  # cells along the side of a square of the reference's area
VISIBLE = 0.5  # at least this share of the reference must be inside the photo (a crop leaves 0.64)
CELL_VISIBLE = 0.9
DRAWN = 8.0  # a cell whose grey levels vary less than this is blank paper: not compared
FINE_DRAWN = 4.0
FINE_BLUR = 0.03  # fine detail: what a blur of this share of the side (of the square) takes away
SHADING = 0.5
FINE = 0.6
MIN_CELLS = 4  # fewer drawn cells than this say nothing
WORD_COVER = 0.25  # a cell under words: at least this share of it inside a line of text
MIN_WORD_CELLS = 2
Box = tuple[float, float, float, float]  # left, top, right, bottom


def detail_agreement(reference: np.ndarray, reference_factor: float, photo: np.ndarray,
                     transform: np.ndarray, words: tuple[Box, ...] = ()) -> float | None:
    """Share of the reference's drawn cells that `photo` repeats — or of the cells under its `words`, if
    fewer agree there; None when too little of the reference is in view to say.

    `reference` and `photo` are grey pixels; `reference_factor` is the scale at which
    `reference` was described; `transform` (2×3) carries reference coordinates at scale 1 onto
    `photo`'s pixels, and `words` are boxes of text in the same coordinates.
    """
    scale = float(np.hypot(transform[0, 0], transform[1, 0]))
    width, height = reference.shape[1] / reference_factor, reference.shape[0] / reference_factor
    side = min(WORK_SIDE, scale * np.sqrt(width * height))
    if side < MIN_SIDE:
        return None
    work = side / np.sqrt(width * height)  # working pixels per reference pixel at scale 1
    size = (max(8, round(width * work)), max(8, round(height * work)))
    drawn = cv2.resize(reference, size, interpolation=cv2.INTER_AREA).astype(np.float32)
    onto = np.linalg.inv(np.vstack([transform, (0.0, 0.0, 1.0)]))[:2] * work  # photo → working frame
    shrink = scale / work
    source = cv2.GaussianBlur(photo, (0, 0), 0.5 * shrink) if shrink > 1.5 else photo
    seen = cv2.warpAffine(source.astype(np.float32), onto, size, flags=cv2.INTER_LINEAR)
    inside = cv2.warpAffine(np.full(photo.shape, 255, np.uint8), onto, size, flags=cv2.INTER_NEAREST) > 0
    if inside.mean() < VISIBLE:
        return None
    sigma = np.sqrt(size[0] * size[1]) * FINE_BLUR
    drawn_fine = drawn - cv2.GaussianBlur(drawn, (0, 0), sigma)
    seen_fine = seen - cv2.GaussianBlur(seen, (0, 0), sigma)
    cell = np.sqrt(size[0] * size[1]) / CELLS_ALONG
    rows, columns = max(1, round(size[1] / cell)), max(1, round(size[0] / cell))
    worded = np.zeros((size[1], size[0]), bool)
    for left, top, right, bottom in words:
        worded[round(top * work):round(bottom * work) + 1, round(left * work):round(right * work) + 1] = True
    compared = agreed = word_cells = word_agreed = 0
    for row in range(rows):
        for column in range(columns):
            window = (slice(round(row * size[1] / rows), round((row + 1) * size[1] / rows)),
                      slice(round(column * size[0] / columns), round((column + 1) * size[0] / columns)))
            mask = inside[window]
            if mask.mean() < CELL_VISIBLE:
                continue
            ours = drawn[window][mask]
            if ours.std() < DRAWN:
                continue
            compared += 1
            same = _correlation(ours, seen[window][mask]) >= SHADING
            fine = drawn_fine[window][mask]
            if same and fine.std() >= FINE_DRAWN:
                same = _correlation(fine, seen_fine[window][mask]) >= FINE
            agreed += same
            if worded[window].mean() >= WORD_COVER:
                word_cells += 1
                word_agreed += same
    if compared < MIN_CELLS:
        return None
    overall = agreed / compared
    return min(overall, word_agreed / word_cells) if word_cells >= MIN_WORD_CELLS else overall


def _correlation(ours: np.ndarray, theirs: np.ndarray) -> float:
    """Normalised cross-correlation of two equal-sized pixel runs; 0 when either is flat."""
    spread_ours, spread_theirs = ours.std(), theirs.std()
    if spread_ours < 1e-3 or spread_theirs < 1e-3:
        return 0.0
    return float(((ours - ours.mean()) * (theirs - theirs.mean())).mean() / (spread_ours * spread_theirs))
