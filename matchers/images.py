"""Safe image decoding and perceptual hashes: hostile bytes in, hashes or `BadImage` out."""

from __future__ import annotations

import io
import logging
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import imagehash
from PIL import Image, ImageOps, UnidentifiedImageError

log = logging.getLogger(__name__)

MAX_PIXELS = 40_000_000  # a decompression bomb is refused before it is decoded
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
SEGMENTATION_SIZE = 128  # crop-resistant hashing segments a copy this wide: 180 ms at imagehash's 300 px, 25 here
MIN_SEGMENT = 200  # pixels of that copy (1.2%) a region needs to be hashed
MAX_FILE_BYTES = 64 * 1024 * 1024  # downloads are capped lower (Settings.image_max_bytes); local files here
HASH_SIDE = 512  # hashes are taken from a copy at most this big: they look at 32x32 pixels or fewer


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
    64-bit dHashes of the image's largest regions (imagehash's crop-resistant hash).
    """

    phash: str
    dhash: str
    width: int
    height: int
    format: str
    whash: str = ""
    colorhash: str = ""
    segments: tuple[str, ...] = ()


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


def hash_image(image: Image.Image, fmt: str = "unknown") -> ImageHashes:
    """Every perceptual hash of a decoded image."""
    width, height = image.size
    if max(width, height) > HASH_SIDE:
        image = image.copy()
        image.thumbnail((HASH_SIDE, HASH_SIDE), Image.Resampling.BILINEAR, reducing_gap=2.0)
    segments = imagehash.crop_resistant_hash(image, segmentation_image_size=SEGMENTATION_SIZE,
                                             min_segment_size=MIN_SEGMENT)
    return ImageHashes(
        phash=str(imagehash.phash(image)),
        dhash=str(imagehash.dhash(image)),
        width=width,
        height=height,
        format=fmt,
        whash=str(imagehash.whash(image, image_scale=64)),
        colorhash=str(imagehash.colorhash(image)),
        segments=tuple(dict.fromkeys(str(segment) for segment in segments.segment_hashes)),
    )


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

    def fingerprint(self) -> ImageHashes | None:
        """The stored hashes when they are complete, else those of the decoded file."""
        if self.hashes is not None and self.hashes.whash:
            return self.hashes
        image = self.load()
        return hash_image(image) if image is not None else self.hashes


@lru_cache(maxsize=16)  # the image techniques each read the same few images of one listing
def _decoded(path: str, mtime_ns: int, size: int) -> Image.Image:
    if size > MAX_FILE_BYTES:
        raise BadImage(f"{size} bytes is more than the {MAX_FILE_BYTES} a listing image may have")
    return open_image(Path(path).read_bytes())
