"""Edited copies of reference images, the way counterfeit listings re-use them, and distractors.

Every transformation takes a reference and a seeded `random.Random` and returns JPEG bytes,
as a marketplace would serve them. Used by `bench/image_robustness.py`; any folder of images
can stand in for the defaults (`--references DIR`, `--distractors DIR`).
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageEnhance, ImageFont, ImageOps

from ipwatch.core.images import BadImage, open_image

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
LISTING_SIDE = 800  # a marketplace product photo: the canvas a logo is pasted on
SAVE_QUALITY = 90  # every variant is re-encoded once, as an upload is
SAMPLE_LOGOS = Path(__file__).resolve().parent.parent / "watchlist" / "samples" / "images"
# scikit-image's sample photographs (shipped inside the wheel, nothing downloaded)
REFERENCE_PHOTOS = ("astronaut", "chelsea", "coffee", "rocket", "camera", "coins", "moon", "page",
                    "hubble_deep_field", "retina", "immunohistochemistry", "horse")
DISTRACTOR_PHOTOS = ("brick", "grass", "gravel", "text", "cell", "microaneurysms", "clock",
                     "motorcycle_right", "logo", "colorwheel", "shepp_logan_phantom", "binary_blobs")
# other brands drawn in the sample logos' style: the hardest negatives for a hash
OTHER_BRANDS = ("统一", "今麦郎", "白象", "农夫山泉", "光明", "海天", "老干妈", "李宁", "安踏", "特步",
                "回力", "五芳斋", "稻香村", "六必居", "张小泉", "Puma", "Lenovo", "Haier", "Anta", "Midea")
WATERMARKS = ("淘宝店铺 优选好货", "正品保证 假一赔十", "© 小王的店", "sample", "微信 abc12345", "官方授权")


@dataclass(frozen=True, slots=True)
class Picture:
    """A named image: a reference, a background or a distractor."""

    name: str
    image: Image.Image


def jpeg(image: Image.Image, quality: int = SAVE_QUALITY) -> bytes:
    """`image` encoded as a baseline JPEG."""
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=quality)
    return out.getvalue()


def fit(image: Image.Image, side: int) -> Image.Image:
    """`image` scaled so that its longer side is `side` pixels."""
    scale = side / max(image.size)
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(FONT, max(8, size))
    except OSError:
        return ImageFont.load_default()


# --- whole-image transformations -------------------------------------------------------------

def resize(image: Image.Image, rng: random.Random) -> bytes:
    scale = rng.uniform(0.3, 2.0)
    size = (max(8, round(image.width * scale)), max(8, round(image.height * scale)))
    return jpeg(image.resize(size, Image.Resampling.LANCZOS if scale < 1 else Image.Resampling.BICUBIC))


def reencode(image: Image.Image, rng: random.Random) -> bytes:
    return jpeg(image, rng.randint(20, 95))


def crop(image: Image.Image, rng: random.Random) -> bytes:
    """Up to 20% of the width and of the height cut away, split at random between the sides."""
    cut_x, cut_y = rng.uniform(0.05, 0.20) * image.width, rng.uniform(0.05, 0.20) * image.height
    left, top = rng.uniform(0, cut_x), rng.uniform(0, cut_y)
    box = (round(left), round(top), round(image.width - (cut_x - left)), round(image.height - (cut_y - top)))
    return jpeg(image.crop(box))


def mirror(image: Image.Image, rng: random.Random) -> bytes:
    return jpeg(ImageOps.mirror(image))


def rotate(image: Image.Image, rng: random.Random) -> bytes:
    angle = rng.choice((-1, 1)) * rng.uniform(1.0, 5.0)
    return jpeg(image.rotate(angle, Image.Resampling.BICUBIC, expand=False, fillcolor="white"))


def brightness_contrast(image: Image.Image, rng: random.Random) -> bytes:
    image = ImageEnhance.Brightness(image).enhance(rng.uniform(0.7, 1.3))
    return jpeg(ImageEnhance.Contrast(image).enhance(rng.uniform(0.7, 1.3)))


def watermark(image: Image.Image, rng: random.Random) -> bytes:
    """A seller's name written across the image, half transparent."""
    layer = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    font = _font(round(min(image.size) * rng.uniform(0.06, 0.12)))
    text = rng.choice(WATERMARKS)
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    x = rng.uniform(0, max(1, image.width - (right - left)))
    y = rng.uniform(0, max(1, image.height - (bottom - top)))
    colour = rng.choice(((255, 255, 255), (0, 0, 0), (220, 30, 30)))
    draw.text((x, y), text, font=font, fill=(*colour, rng.randint(110, 190)))
    return jpeg(Image.alpha_composite(image.convert("RGBA"), layer))


def canvas(image: Image.Image, rng: random.Random) -> bytes:
    """The image placed on a plain canvas 110-160% of its size."""
    grow = rng.uniform(1.1, 1.6)
    size = (round(image.width * grow), round(image.height * grow))
    colour = rng.choice(((255, 255, 255), (240, 240, 240), tuple(rng.randint(180, 255) for _ in range(3))))
    board = Image.new("RGB", size, colour)
    board.paste(image, (rng.randint(0, size[0] - image.width), rng.randint(0, size[1] - image.height)))
    return jpeg(board)


def pasted(image: Image.Image, background: Image.Image, rng: random.Random) -> bytes:
    """The reference scaled so that its longer side is 15-40% of a listing photo's shorter side, pasted on it."""
    board = fit(background, LISTING_SIDE).convert("RGB")
    logo = fit(image, round(min(board.size) * rng.uniform(0.15, 0.40)))
    board.paste(logo, (rng.randint(0, board.width - logo.width), rng.randint(0, board.height - logo.height)))
    return jpeg(board, 85)


WHOLE: dict[str, Callable[[Image.Image, random.Random], bytes]] = {
    "resize 30-200%": resize,
    "jpeg q20-95": reencode,
    "crop <=20%": crop,
    "mirror": mirror,
    "rotate +-5deg": rotate,
    "brightness/contrast +-30%": brightness_contrast,
    "text watermark": watermark,
    "larger canvas": canvas,
}
PASTED = "logo pasted at 15-40%"


# --- image sources -----------------------------------------------------------------------------

def skimage_pictures(names: tuple[str, ...]) -> list[Picture]:
    """scikit-image's sample photographs that ship with it, as RGB pictures."""
    from skimage import data

    pictures = []
    for name in names:
        try:
            array = data.stereo_motorcycle()[1] if name == "motorcycle_right" else getattr(data, name)()
        except Exception as exc:  # noqa: BLE001 - a sample that would need a download is left out, and said so
            print(f"scikit-image sample {name}: {exc!r}; left out")
            continue
        array = np.asarray(array)
        if array.dtype == bool:
            array = array.astype(np.uint8) * 255
        elif array.dtype != np.uint8:
            array = (255 * (array.astype(float) - array.min()) / max(1e-9, float(np.ptp(array)))).astype(np.uint8)
        buffer = io.BytesIO()
        Image.fromarray(array).save(buffer, "PNG")
        pictures.append(Picture(name, open_image(buffer.getvalue())))  # transparency on white, as a listing shows it
    return pictures


def folder_pictures(folder: Path) -> list[Picture]:
    """Every decodable image in `folder` (sorted by name); the rest are named and skipped."""
    pictures = []
    for path in sorted(folder.iterdir()):
        if not path.is_file():
            continue
        try:
            pictures.append(Picture(path.name, open_image(path.read_bytes())))
        except BadImage as bad:
            print(f"{path}: {bad.reason}; skipped")
    return pictures


def drawn_logo(name: str, rng: random.Random, side: int = 320) -> Image.Image:
    """A logo in the sample watchlist's style (frame, a shape, dots, the name) for a brand not on it."""
    background = tuple(rng.randint(40, 130) for _ in range(3))
    ink = (250, 245, 225)
    image = Image.new("RGB", (side, side), background)
    draw = ImageDraw.Draw(image)
    draw.rectangle((10, 10, side - 10, side - 10), outline=ink, width=3)
    box = (side * 0.3, side * 0.1, side * 0.7, side * 0.55)
    shape = rng.choice(("circle", "square", "triangle", "diamond"))
    if shape == "circle":
        draw.ellipse(box, outline=ink, width=8)
    elif shape == "square":
        draw.rectangle(box, outline=ink, width=8)
    elif shape == "triangle":
        draw.polygon([((box[0] + box[2]) / 2, box[1]), (box[2], box[3]), (box[0], box[3])], outline=ink, width=8)
    else:
        cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        draw.polygon([(cx, box[1]), (box[2], cy), (cx, box[3]), (box[0], cy)], outline=ink, width=8)
    for _ in range(rng.randint(2, 5)):
        x, y, r = rng.uniform(20, side - 20), rng.uniform(15, side * 0.2), rng.uniform(5, 9)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=ink)
    font = _font(round(side * (0.2 if len(name) <= 3 else 0.16)))
    left, _, right, _ = draw.textbbox((0, 0), name, font=font)
    draw.text(((side - (right - left)) / 2, side * 0.64), name, font=font, fill=ink)
    return image


def product_photo(seed: str, side: int = 400) -> Image.Image:
    """A drawn product shot (a package with a label on a plain backdrop), as the demo marketplace makes."""
    rng = random.Random(seed)
    image = Image.new("RGB", (side, side), tuple(rng.randint(200, 250) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    draw.ellipse((side * 0.15, side * 0.78, side * 0.85, side * 0.9), fill=tuple(rng.randint(150, 190) for _ in range(3)))
    left, top = side * rng.uniform(0.2, 0.3), side * rng.uniform(0.12, 0.25)
    body = tuple(rng.randint(30, 200) for _ in range(3))
    if rng.random() < 0.5:
        draw.rounded_rectangle((left, top, side - left, side * 0.84), radius=int(side * 0.05), fill=body)
    else:
        draw.ellipse((left, top, side - left, side * 0.84), fill=body)
    band = top + (side * 0.84 - top) * rng.uniform(0.3, 0.45)
    draw.rectangle((left + 12, band, side - left - 12, band + side * 0.18), fill=tuple(rng.randint(180, 255) for _ in range(3)))
    for _ in range(rng.randint(2, 5)):
        x, y, r = rng.uniform(left, side - left), rng.uniform(top, side * 0.84), rng.uniform(8, side * 0.08)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rng.randint(0, 255) for _ in range(3)))
    return image


def tiles(pictures: list[Picture], rng: random.Random, count: int) -> Iterator[Picture]:
    """Random windows (40-90% of each side) of `pictures`: more photographs unlike any reference."""
    for number in range(count):
        source = pictures[number % len(pictures)]
        width, height = source.image.size
        w, h = round(width * rng.uniform(0.4, 0.9)), round(height * rng.uniform(0.4, 0.9))
        x, y = rng.randint(0, width - w), rng.randint(0, height - h)
        yield Picture(f"{source.name}[{x},{y},{w}x{h}]", source.image.crop((x, y, x + w, y + h)))
