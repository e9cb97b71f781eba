"""Held-out edition 3: real photographs, none in the repository or used for calibration.

`bench/image_robustness.py --set heldout3` is made the same way as the calibration set
(photographs and logos as references, other photographs, windows of them, drawn product
shots and other brands' logos as distractors, logos pasted on the distractor photographs),
but from pictures that come from package registries when the benchmark runs and are never
committed:

- the 12 photographs of Debian's `mate-backgrounds` (/usr/share/backgrounds/mate/nature);
- matplotlib's bundled `grace_hopper.jpg` (`matplotlib.cbook.get_sample_data`);
- scikit-learn's bundled `china.jpg` and `flower.jpg` (`sklearn.datasets.load_sample_image`).

Install them with

    apt-get install mate-backgrounds
    .venv/bin/pip install matplotlib scikit-learn

Wallpapers are shrunk to a longer side of 1024 pixels (a listing photo's size; the
calibration photographs are 300-1411 pixels). Logos are wordmarks drawn here for brands no
other set uses, in fonts the other sets do not use for logos (DejaVu Serif, Liberation
Serif / Sans Narrow, Noto Serif CJK Regular, DejaVu Sans Mono): an emblem on the left, the name,
a rule and a tagline, wide rather than square (the calibration logos are Noto Sans CJK Bold on
coloured squares); 20 other brands' wordmarks drawn by the same code are distractors.
"""

from __future__ import annotations

import io
import random
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from bench import heldout_kit
from bench.heldout_kit import PHOTO_SIDE, MissingSource, or_exit
from bench.image_variants import Picture, fit
from ipwatch.core.images import open_image

MATE = Path("/usr/share/backgrounds/mate/nature")
INSTALL = "apt-get install mate-backgrounds && .venv/bin/pip install matplotlib scikit-learn"
# (source, name): "mate" files, "matplotlib" sample data, "sklearn" sample images
REFERENCE_PHOTOS = (("mate", "Aqua.jpg"), ("mate", "Dune.jpg"), ("mate", "FreshFlower.jpg"), ("mate", "LadyBird.jpg"),
                    ("mate", "Storm.jpg"), ("mate", "TwoWings.jpg"), ("mate", "YellowFlower.jpg"),
                    ("matplotlib", "grace_hopper.jpg"), ("sklearn", "china.jpg"))
DISTRACTOR_PHOTOS = (("mate", "Blinds.jpg"), ("mate", "Garden.jpg"), ("mate", "GreenMeadow.jpg"),
                     ("mate", "RainDrops.jpg"), ("mate", "Wood.jpg"), ("sklearn", "flower.jpg"))
# brands no other set draws (calibration: sample watchlist + OTHER_BRANDS; heldout1/2: seals)
REFERENCE_BRANDS = ("鄂尔多斯", "小尾羊", "科尔沁", "河套", "德顺源", "塞飞亚", "蒙草", "Erdos", "Bosideng", "Jeanswest")
OTHER_BRANDS = ("草原兴发", "伊泰", "北奔", "东达", "鹿城", "美利达", "金宇", "蒙泰", "亿利", "骑士",
                "Haval", "Geely", "Chery", "Yadea", "Galanz", "Gree", "Tsingtao", "Septwolves", "Semir", "Peacebird")
LATIN_FONTS = ("/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf",
               "/usr/share/fonts/truetype/liberation/LiberationSerif-BoldItalic.ttf",
               "/usr/share/fonts/truetype/liberation/LiberationSansNarrow-Bold.ttf",
               "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf")
CJK_FONTS = ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",)
TAGLINE_FONT = "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"
TAGLINES = ("SINCE 1958", "INNER MONGOLIA", "EST. 1984", "QUALITY FIRST", "GRASSLAND", "ORIGINAL")


def _photo(source: str, name: str) -> Picture:
    if source == "mate":
        path = MATE / name
        if not path.is_file():
            raise MissingSource(f"{path} (Debian package mate-backgrounds)")
        data = path.read_bytes()
    elif source == "matplotlib":
        try:
            from matplotlib import cbook
        except ImportError as exc:
            raise MissingSource("matplotlib (pip)") from exc
        with cbook.get_sample_data(name) as handle:
            data = handle.read()
    else:
        try:
            from sklearn.datasets import load_sample_image
        except ImportError as exc:
            raise MissingSource("scikit-learn (pip)") from exc
        buffer = io.BytesIO()
        Image.fromarray(load_sample_image(name)).save(buffer, "PNG")
        data = buffer.getvalue()
    image = open_image(data)
    return Picture(f"{source}/{name}", fit(image, PHOTO_SIDE) if max(image.size) > PHOTO_SIDE else image)


def photos(which: tuple[tuple[str, str], ...]) -> list[Picture]:
    """The photographs named, or exit with the install command when a source is missing."""
    return or_exit("heldout3", INSTALL, lambda: [_photo(source, name) for source, name in which])


def _font(path: str, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(path, size)
    except OSError:
        return ImageFont.load_default()


def wordmark(name: str, width: int = 480, height: int = 200) -> Image.Image:
    """A wide wordmark: an emblem (ring with the first letter, mountains or waves), the name, a rule, a tagline."""
    rng = random.Random(f"heldout3-wordmark-{name}")
    latin = name.isascii()
    font_path = rng.choice(LATIN_FONTS if latin else CJK_FONTS)
    paper = rng.choice(((255, 255, 255), (248, 244, 236), (236, 242, 248)))
    ink = tuple(rng.randint(10, 120) for _ in range(3))
    accent = tuple(rng.randint(0, 255) for _ in range(3))
    image = Image.new("RGB", (width, height), paper)
    draw = ImageDraw.Draw(image)
    side = round(height * 0.62)
    left, top = round(height * 0.16), (height - side) // 2
    box = (left, top, left + side, top + side)
    emblem = rng.choice(("ring", "mountains", "waves"))
    if emblem == "ring":
        draw.ellipse(box, fill=accent)
        draw.ellipse((box[0] + 8, box[1] + 8, box[2] - 8, box[3] - 8), outline=paper, width=4)
        letter = _font(font_path, round(side * 0.55))
        draw.text(((box[0] + box[2]) / 2, (box[1] + box[3]) / 2), name[0], font=letter, fill=paper, anchor="mm")
    elif emblem == "mountains":
        for shift, shade in ((0.0, accent), (0.35, ink)):
            x0 = box[0] + shift * side
            draw.polygon([(x0, box[3]), (x0 + side * 0.35, box[1] + side * shift * 0.5), (x0 + side * 0.65, box[3])], fill=shade)
    else:
        xs = np.linspace(box[0], box[2], 40)
        for row in range(3):
            y = box[1] + side * (0.25 + 0.25 * row)
            points = [(x, y + side * 0.08 * np.sin((x - box[0]) / side * 2 * np.pi * 1.5 + row)) for x in xs]
            draw.line(points, fill=accent if row != 1 else ink, width=max(3, side // 14))
    text_left = box[2] + round(height * 0.12)
    room = width - text_left - round(height * 0.1)
    size = round(height * 0.36)
    font = _font(font_path, size)
    while size > 12 and draw.textlength(name, font=font) > room:
        size -= 2
        font = _font(font_path, size)
    baseline = height * 0.56
    draw.text((text_left, baseline), name, font=font, fill=ink, anchor="ls")
    draw.rectangle((text_left, baseline + height * 0.06, text_left + room * rng.uniform(0.6, 1.0), baseline + height * 0.08),
                   fill=accent)
    draw.text((text_left, baseline + height * 0.22), rng.choice(TAGLINES), font=_font(TAGLINE_FONT, round(height * 0.1)),
              fill=ink, anchor="ls")
    return image


def references() -> list[Picture]:
    """Held-out references: nine real photographs and ten wordmarks."""
    return photos(REFERENCE_PHOTOS) + [Picture(f"wordmark-{name}", wordmark(name)) for name in REFERENCE_BRANDS]


def distractor_photos() -> list[Picture]:
    return photos(DISTRACTOR_PHOTOS)


def distractors(rng: random.Random, count: int) -> list[Picture]:
    """As the calibration set's: the other photographs, windows of them, drawn product shots,
    and wordmarks of other brands drawn by the same code."""
    brands = [Picture(f"wordmark-{name}", wordmark(name)) for name in OTHER_BRANDS]
    return heldout_kit.distractors("heldout3", distractor_photos(), rng, count, brands)


def backgrounds() -> list[Picture]:
    """As the calibration set's: the distractor photographs and four drawn product shots, to paste logos on."""
    return heldout_kit.backgrounds("heldout3", distractor_photos())
