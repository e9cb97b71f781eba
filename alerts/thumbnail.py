"""Listing thumbnails for email: a downloaded image re-encoded small, or nothing."""

from __future__ import annotations

import io
import logging
import warnings
from pathlib import Path

from PIL import Image

log = logging.getLogger(__name__)

THUMBNAIL_SIZE = 320  # pixels on the longer side: enough to recognise a package
MAX_PIXELS = 40_000_000  # a decompression bomb is refused before it is decoded


def thumbnail_jpeg(path: str | Path, *, max_bytes: int) -> bytes | None:
    """A small JPEG of the image at `path`; None (logged) if it is missing, too big or not an image."""
    file = Path(path)
    try:
        if file.stat().st_size > max_bytes:
            log.warning("thumbnail %s skipped: larger than image_max_bytes=%d", file, max_bytes)
            return None
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise ValueError(f"{image.width}x{image.height} pixels exceeds {MAX_PIXELS}")
                image.thumbnail((THUMBNAIL_SIZE, THUMBNAIL_SIZE))
                buffer = io.BytesIO()
                image.convert("RGB").save(buffer, "JPEG", quality=80)
    except (OSError, SyntaxError, ValueError, EOFError,
            Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        log.warning("thumbnail %s skipped: %s — the email goes out without it", file, exc)
        return None
    return buffer.getvalue()
