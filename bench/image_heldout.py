"""Held-out image sets, made without any image the matchers were calibrated on.

`bench/image_robustness.py --set heldout2` edits these exactly as the calibration set's
references (the same transformations, the same pasting), but from pictures that neither
the repository nor the calibration run contain:

- icons: the 512-pixel "devices" icons of Debian's adwaita-icon-theme
  (/usr/share/icons/Adwaita/512x512/devices, present where GTK is; left out, and said so,
  where it is not). Their "mimetypes", "places" and "emblems" icons, drawn in the same
  style, are distractors;
- seals: red seal-script stamps of old brands drawn here in Noto Serif CJK (the calibration
  logos are Noto Sans CJK on coloured squares); 20 other brands' stamps drawn by the same
  code are distractors, the hardest negatives;
- scenes: pictures with natural images' 1/f spectrum (random phase) under random shapes,
  generated from a seed; other seeds, and windows of them, are distractors, and the
  backgrounds logos are pasted on.

Two editions: `heldout1` was the first, and what it showed shaped the detail check in
matchers/images/copies.py, so its figures are no longer independent; `heldout2` draws seals of
other brands and other scenes (the same icons) and was run only after that change.
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from bench.image_variants import Picture, folder_pictures, product_photo, tiles

ICONS = Path("/usr/share/icons/Adwaita/512x512")
SERIF = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc"
# per edition: (brands whose seals are references, other brands whose seals are distractors)
SEALS = {
    1: (("狗不理", "吴裕泰", "内联升", "瑞蚨祥", "张一元", "东来顺", "便宜坊", "荣宝斋", "月盛斋", "天福号"),
        ("都一处", "馄饨侯", "恒源祥", "老凤祥", "冠生园", "杏花楼", "王老吉", "陈李济", "马应龙", "胡庆余堂",
         "九芝堂", "采芝斋", "楼外楼", "知味观", "谢馥春", "戴春林", "曹素功", "盛锡福", "步瀛斋", "鹤年堂")),
    2: (("谦祥益", "王星记", "孔凤春", "方回春堂", "邵芝岩", "朵云轩", "功德林", "乔家栅", "沈大成", "德兴馆"),
        ("老正兴", "绿波廊", "桂发祥", "耳朵眼", "宝庆银楼", "南翔馒头", "五味和", "玉堂春", "丰泰楼", "泰丰楼",
         "丰泽园", "萃华楼", "同春园", "鸿宾楼", "致美斋", "柳泉居", "砂锅居", "又一顺", "烤肉季", "白魁老号")),
}
SCENES = 6


def seal(name: str, rng: random.Random, side: int = 320) -> Image.Image:
    """A red seal stamp: a round or square border and the brand's characters in a serif face."""
    red = (rng.randint(170, 215), rng.randint(10, 40), rng.randint(20, 50))
    image = Image.new("RGB", (side, side), (252, 250, 245))
    draw = ImageDraw.Draw(image)
    margin = side * rng.uniform(0.04, 0.1)
    box = (margin, margin, side - margin, side - margin)
    if rng.random() < 0.5:
        draw.ellipse(box, outline=red, width=round(side * 0.04))
    else:
        draw.rounded_rectangle(box, radius=round(side * 0.06), outline=red, width=round(side * 0.04))
    columns = 2 if len(name) >= 4 else 1
    per_column = -(-len(name) // columns)
    size = round((side - 2 * margin) * 0.7 / per_column)
    try:
        font: ImageFont.FreeTypeFont | ImageFont.ImageFont = ImageFont.truetype(SERIF, size)
    except OSError:
        font = ImageFont.load_default()
    width = size * columns
    for number, character in enumerate(name):
        column, row = divmod(number, per_column)
        x = (side + width) / 2 - (column + 1) * size  # read right to left, top to bottom
        y = (side - per_column * size) / 2 + row * size - size * 0.1
        draw.text((x, y), character, font=font, fill=red)
    return image


def scene(seed: int, side: int = 512) -> Image.Image:
    """A picture with a natural image's 1/f amplitude spectrum and random phase, with a few shapes on it."""
    rng = np.random.default_rng(seed)
    frequency = np.hypot(*np.meshgrid(np.fft.fftfreq(side), np.fft.fftfreq(side)))
    amplitude = 1 / np.maximum(frequency, 1 / side) ** rng.uniform(1.0, 1.4)
    channels = []
    for _ in range(3):
        phase = np.exp(2j * np.pi * rng.random((side, side)))
        field = np.real(np.fft.ifft2(amplitude * phase))
        channels.append((field - field.min()) / (np.ptp(field) or 1))
    mix = rng.dirichlet(np.ones(3), size=3)  # correlated colour channels, as in photographs
    pixels = np.einsum("chw,dc->hwd", np.array(channels), mix)
    image = Image.fromarray((255 * pixels / pixels.max()).astype(np.uint8))
    draw = ImageDraw.Draw(image)
    for _ in range(int(rng.integers(3, 8))):
        x, y = rng.uniform(0, side, 2)
        r = rng.uniform(side * 0.04, side * 0.18)
        colour = tuple(int(c) for c in rng.integers(0, 256, 3))
        if rng.random() < 0.5:
            draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
        else:
            draw.polygon([(x + r * np.cos(a), y + r * np.sin(a)) for a in np.sort(rng.uniform(0, 2 * np.pi, 5))], fill=colour)
    return image.filter(ImageFilter.GaussianBlur(0.6))


def icons(kinds: tuple[str, ...]) -> list[Picture]:
    """The Adwaita icons of `kinds` (folders under 512x512), or none where the theme is not installed."""
    pictures = []
    for kind in kinds:
        folder = ICONS / kind
        if folder.is_dir():
            pictures += [Picture(f"{kind}/{p.name}", p.image) for p in folder_pictures(folder)]
        else:
            print(f"{folder}: not installed (Debian package adwaita-icon-theme); left out")
    return pictures


def references(edition: int) -> list[Picture]:
    """Held-out references: Adwaita device icons, seal stamps and 1/f scenes."""
    rng = random.Random(f"{_prefix(edition)}-references")
    base = 10_000 * (edition - 1)  # each edition's scenes have seeds of their own
    return (icons(("devices",)) + [Picture(f"seal-{name}", seal(name, rng)) for name in SEALS[edition][0]]
            + [Picture(f"scene-{base + n}", scene(base + n)) for n in range(SCENES)])


def distractors(edition: int, rng: random.Random, count: int) -> list[Picture]:
    """Held-out distractors: the other Adwaita icons, other brands' seals, other scenes, windows of
    them, and drawn product shots with seeds of their own."""
    base = 10_000 * (edition - 1) + 1000
    scenes = [Picture(f"scene-{n}", scene(n)) for n in range(base, base + max(4, count // 10))]
    return (icons(("mimetypes", "places", "emblems"))
            + [Picture(f"seal-{name}", seal(name, rng)) for name in SEALS[edition][1]]
            + scenes + list(tiles(scenes, rng, count // 4))
            + [Picture(f"product-{n}", product_photo(f"{_prefix(edition)}-distractor-{n}"))
               for n in range(count // 6)])


def _prefix(edition: int) -> str:
    return "heldout" if edition == 1 else f"heldout{edition}"  # edition 1 keeps the seeds it was run with


def backgrounds(edition: int) -> list[Picture]:
    """Listing photos to paste held-out references on: 1/f scenes and drawn product shots."""
    base = 10_000 * (edition - 1) + 2000
    return ([Picture(f"backdrop-scene-{n}", scene(n, 800)) for n in range(base, base + 8)]
            + [Picture(f"backdrop-{n}", product_photo(f"{_prefix(edition)}-backdrop-{n}", 800)) for n in range(4)])
