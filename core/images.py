"""Safe image decoding and perceptual hashes: hostile bytes in, hashes or `BadImage` out."""

from __future__ import annotations

import io
import logging
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import imagehash
import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from .segments import crop_resistant_segments

log = logging.getLogger(__name__)

MAX_PIXELS = 40_000_000  # a decompression bomb is refused before it is decoded
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
SEGMENTATION_SIZE = 128  # crop-resistant hashing segments a copy this wide (matchers/segments.py)
MIN_SEGMENT = 200  # pixels of that copy (1.2%) a region needs to be hashed
MAX_FILE_BYTES = 64 * 1024 * 1024  # downloads are capped lower (Settings.image_max_bytes); local files here
MARGIN_TOLERANCE = 24  # levels a plain margin may stray from its corners' colour (JPEG noise)
BOARD_SHARE = 0.5  # of the outermost pixels that must share a colour for it to be a board
MIN_CONTENT = 0.2  # what a margin leaves must be this share of each side, or it was no margin
MARGINS = 4  # a board around a logo's own padding: both are trimmed, as from the logo alone
WIDE_MARGIN = 0.04  # a margin narrower than this share of the side on every side is part of the design
HASH_SIDE = 512  # hashes are taken from a copy at most this big: they look at 64x64 pixels or fewer
DETAIL_SIZE = 16  # the detail hash: a pHash of 16x16 DCT terms (256 bits), from 64x64 pixels


class BadImage(Exception):
    """An image that cannot be used: the reason says what was wrong with the bytes."""

    remedy = "the image is skipped; the listing is still matched on its text"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class ImageHashes:
    """Perceptual hashes of one decoded image, as hex strings.

    `phash`, `dhash` and `whash` have 64 bits each, `colorhash` 42; `segments` are the
    64-bit dHashes of the image's largest regions (imagehash's crop-resistant hash); `detail`
    is a 256-bit pHash that sees what the 64-bit ones average away (the characters in a seal).
    Hashes stored before a field existed leave it empty.
    """

    phash: str
    dhash: str
    width: int
    height: int
    format: str
    whash: str = ""
    colorhash: str = ""
    segments: tuple[str, ...] = ()
    detail: str = ""


def open_image(data: bytes) -> Image.Image:
    """Decode `data` (first frame, EXIF orientation applied, transparency on white) or raise `BadImage`."""
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
    except BadImage:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise BadImage(f"decompression bomb refused: {exc}") from None
    except UnidentifiedImageError:
        raise BadImage("not an image in a known format") from None
    except (OSError, SyntaxError, ValueError, EOFError, IndexError) as exc:
        raise BadImage(f"corrupt or truncated image: {exc}") from None
    return _upright_rgb(image)


def _upright_rgb(image: Image.Image) -> Image.Image:
    try:
        image = ImageOps.exif_transpose(image)
    except (OSError, SyntaxError, ValueError, TypeError, KeyError):  # a malformed EXIF block: keep the pixels
        pass
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):  # 16-bit greyscale: scale to 8 bits, not clip
        high = image.getextrema()[1]
        image = image.point(lambda value: value * 255 / max(high, 1)).convert("L")  # type: ignore[arg-type, operator]
    return image.convert("RGB")


def image_format(data: bytes) -> str:
    """The format Pillow reads `data` as ("jpeg", "png", "webp", "gif"…), or "unknown"."""
    try:
        return (Image.open(io.BytesIO(data)).format or "unknown").lower()
    except (OSError, SyntaxError, ValueError):
        return "unknown"


def hash_image(image: Image.Image, fmt: str = "unknown", *, regions: bool = True) -> ImageHashes:
    """Every perceptual hash of a decoded image (the crop-resistant segments only with `regions`)."""
    width, height = image.size
    if max(width, height) > HASH_SIDE:
        image = image.copy()
        image.thumbnail((HASH_SIDE, HASH_SIDE), Image.Resampling.BILINEAR, reducing_gap=2.0)
    segments = crop_resistant_segments(image, segmentation_image_size=SEGMENTATION_SIZE,
                                       min_segment_size=MIN_SEGMENT) if regions else []
    return ImageHashes(
        phash=str(imagehash.phash(image)),
        dhash=str(imagehash.dhash(image)),
        width=width,
        height=height,
        format=fmt,
        whash=str(imagehash.whash(image, image_scale=64)),
        colorhash=str(imagehash.colorhash(image)),
        segments=tuple(dict.fromkeys(str(segment) for segment in segments)),
        detail=str(imagehash.phash(image, hash_size=DETAIL_SIZE)),
    )


def content_of(image: Image.Image) -> Image.Image | None:
    """What is left of `image` once every wide plain margin is trimmed, or None when it has none."""
    inner = image
    for _ in range(MARGINS):
        trimmed = without_margin(inner)
        if trimmed is inner:
            break
        inner = trimmed
    return None if inner is image else inner


def without_margin(image: Image.Image) -> Image.Image:
    """`image` without a wide plain margin: the board a copy was placed on.

    The board's colour is the one most of the outermost pixels share; what differs from it
    is kept. An image without a dominant border colour, whose margins are all narrow (a
    frame), or whose content would be a sliver is returned as it is.
    """
    pixels = np.asarray(image, dtype=np.int16)
    height, width = pixels.shape[:2]
    border = np.concatenate([pixels[0], pixels[-1], pixels[:, 0], pixels[:, -1]])
    board = np.median(border, axis=0)  # the board's colour when it holds most of the border
    if (np.abs(border - board).max(axis=1) <= MARGIN_TOLERANCE).mean() < BOARD_SHARE:
        return image
    differs = (np.abs(pixels - board).max(axis=2) > MARGIN_TOLERANCE)
    rows, columns = np.flatnonzero(differs.any(axis=1)), np.flatnonzero(differs.any(axis=0))
    if not len(rows):
        return image
    top, bottom, left, right = rows[0], rows[-1] + 1, columns[0], columns[-1] + 1
    if right - left < MIN_CONTENT * width or bottom - top < MIN_CONTENT * height:
        return image
    if max(left / width, (width - right) / width, top / height, (height - bottom) / height) < WIDE_MARGIN:
        return image  # a logo's own narrow border, not a board it was put on
    return image.crop((int(left), int(top), int(right), int(bottom)))


def compute_hashes(data: bytes) -> ImageHashes:
    """Decode `data` safely and return its perceptual hashes; raises `BadImage`."""
    return hash_image(open_image(data), image_format(data))


def hamming(hex_a: str, hex_b: str) -> int:
    """Bits that differ between two hashes given as hex strings of equal length."""
    return (int(hex_a, 16) ^ int(hex_b, 16)).bit_count()


@dataclass(frozen=True, slots=True)
class ListingImage:
    """A listing image as the image matchers read it: its stored hashes, and where its file lies.

    `path` is needed by the techniques that look at pixels (logo search, text in images);
    `hashes` saves decoding when they were stored at crawl time.
    """

    name: str  # the URL or file name, quoted in reasons
    path: Path | None = None
    hashes: ImageHashes | None = None

    def load(self) -> Image.Image | None:
        """The decoded image, or None when there is no file or it cannot be used (logged once)."""
        if self.path is None:
            return None
        try:
            stat = self.path.stat()
            return _decoded(str(self.path), stat.st_mtime_ns, stat.st_size)
        except (OSError, BadImage) as exc:
            log.info("listing image %s: %s; not searched", self.name, getattr(exc, "reason", exc))
            return None

    def fingerprints(self) -> list[ImageHashes]:
        """The image's hashes (stored ones when complete, else the decoded file's), then, when the
        file shows a picture on a plain board, the hashes of that picture alone."""
        image = self.load()
        whole = self.hashes if self.hashes is not None and self.hashes.detail else None
        if whole is None and image is not None:
            whole = hash_image(image)
        views = [whole] if whole is not None else ([self.hashes] if self.hashes is not None else [])
        inner = content_of(image) if image is not None else None
        return views + ([hash_image(inner)] if inner is not None else [])


@lru_cache(maxsize=16)  # the image techniques each read the same few images of one listing
def _decoded(path: str, mtime_ns: int, size: int) -> Image.Image:
    if size > MAX_FILE_BYTES:
        raise BadImage(f"{size} bytes is more than the {MAX_FILE_BYTES} a listing image may have")
    return open_image(Path(path).read_bytes())
