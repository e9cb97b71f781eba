"""`read_text`: the words printed in an image, by RapidOCR (PP-OCRv4 models shipped in its wheel).

Nothing is downloaded at run time: `rapidocr-onnxruntime` carries its detection and
recognition models (16 MB) and runs them with onnxruntime on the CPU. Reading costs about
55 ms for a 400-pixel product photo and 200 ms for an 800-pixel one (one core), so callers
read only the photos worth it.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
from PIL import Image

DETECTION_SIDE = 960  # photos are read at most this big; the models' default (736 px minimum) is 4x slower
MIN_CONFIDENCE = 0.6  # lines the recogniser is less sure of are noise more often than words
THREADS = 2


@dataclass(frozen=True, slots=True)
class TextLine:
    """One line of text found in an image, with the recogniser's confidence in [0, 1]."""

    text: str
    confidence: float


def unavailable() -> str | None:
    """Why images cannot be read here, with the remedy; None when they can."""
    if importlib.util.find_spec("rapidocr_onnxruntime") is None or importlib.util.find_spec("onnxruntime") is None:
        return "needs an OCR model: pip install rapidocr-onnxruntime (its models ship inside the wheel)"
    return None


@cache
def _engine() -> Any:
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR(det_limit_type="max", det_limit_side_len=DETECTION_SIDE,
                    intra_op_num_threads=THREADS, inter_op_num_threads=1)


def read_text(image: Image.Image) -> list[TextLine]:
    """The lines of text the recogniser reads in `image` with at least `MIN_CONFIDENCE`, top to bottom."""
    return [TextLine(text, confidence) for _, text, confidence in _lines(image)]


def text_boxes(image: Image.Image) -> list[tuple[float, float, float, float]]:
    """Where `image` has lines of text the recogniser reads: (left, top, right, bottom) in its pixels."""
    return [box for box, _, _ in _lines(image)]


def _lines(image: Image.Image) -> list[tuple[tuple[float, float, float, float], str, float]]:
    pixels = np.ascontiguousarray(np.asarray(image.convert("RGB"))[:, :, ::-1])  # the models expect BGR
    found, _ = _engine()(pixels, use_cls=False)
    lines = []
    for corners, text, confidence in sorted(found or [], key=lambda row: (min(p[1] for p in row[0]),
                                                                          min(p[0] for p in row[0]))):
        if text.strip() and float(confidence) >= MIN_CONFIDENCE:
            xs, ys = [float(p[0]) for p in corners], [float(p[1]) for p in corners]
            lines.append(((min(xs), min(ys), max(xs), max(ys)), text.strip(), round(float(confidence), 3)))
    return lines
