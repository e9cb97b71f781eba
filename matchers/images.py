"""Safe image decoding and perceptual hashes: hostile bytes in, hashes or `BadImage` out."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

import imagehash
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PIXELS = 40_000_000  # a decompression bomb is refused before it is decoded
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


class BadImage(Exception):
    """An image that cannot be used: the reason says what was wrong with the bytes."""

    remedy = "the image is skipped; the listing is still matched on its text"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class ImageHashes:
    """Perceptual hashes of one decoded image, as 16-hex-digit strings."""

    phash: str
    dhash: str
    width: int
    height: int
    format: str


def open_image(data: bytes) -> Image.Image:
    """Decode `data` (first frame, EXIF orientation applied) or raise `BadImage`."""
    if not data:
        raise BadImage("empty file (0 bytes)")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > MAX_PIXELS:
                raise BadImage(f"{image.width}x{image.height} pixels exceeds the {MAX_PIXELS} limit")
            image.seek(0)
            image.load()
            image = ImageOps.exif_transpose(image)
    except BadImage:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise BadImage(f"decompression bomb refused: {exc}") from None
    except UnidentifiedImageError:
        raise BadImage("not an image in a known format") from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise BadImage(f"corrupt or truncated image: {exc}") from None
    return image.convert("RGB")


def compute_hashes(data: bytes) -> ImageHashes:
    """Decode `data` safely and return its perceptual hashes; raises `BadImage`."""
    image = open_image(data)
    fmt = Image.open(io.BytesIO(data)).format or "unknown"
    return ImageHashes(
        phash=str(imagehash.phash(image)),
        dhash=str(imagehash.dhash(image)),
        width=image.width,
        height=image.height,
        format=fmt.lower(),
    )


def hamming(hex_a: str, hex_b: str) -> int:
    """Bits that differ between two hashes given as hex strings of equal length."""
    return (int(hex_a, 16) ^ int(hex_b, 16)).bit_count()
