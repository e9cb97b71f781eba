"""Held-out edition 6: real photographs and packaging fronts nobody had run the matcher on.

`bench/image_robustness.py --set heldout6` is made the way `heldout5` is (pictures and logos
as references; the other pictures, windows of them, drawn product shots and other brands'
packs as distractors; logos pasted on the distractor pictures), from pictures that come from
Debian packages when the benchmark runs and are never committed:

- `stellarium-data` (/usr/share/stellarium): photographs of an observatory garden in Vienna,
  a wall of red stone slabs, a Babylonian clay tablet (MUL.APIN) and the Farnese Atlas statue,
  telescope photographs of the Whirlpool galaxy and the RCW 32 nebula, and two smooth ones:
  the solar corona at an eclipse and a calm sea. Distractors: a wall of grey stones, the
  Apollo 17 and Mars landscapes, photo panoramas of a rape field, a meadow at Grossmugl and a
  lawn, a birch tree, a moon map, the Orion nebula, the Andromeda galaxy, the North America
  nebula, the Horsehead nebula and a dark nebula. Its drawn sky-culture figures are left out;
- `marble-data` (/usr/share/marble/data/maps/earth): the Blue Marble satellite mosaic of the
  Earth and one tile of the photographed Behaim globe of 1492 as references, the scanned
  Schagen world map of 1689 as a distractor. The city-lights map (the Blue Marble's layout
  at night) and the Behaim globe's other tiles (which overlap the one used) are left out;
- `mypaint-data-extras` (/usr/share/mypaint/backgrounds): a photographed cork board, a distractor.

All are photographs or scans of real things; ten are references (eight textured, two smooth),
fifteen are distractors. Install them with

    apt-get install stellarium-data marble-data mypaint-data-extras fonts-wqy-zenhei fonts-dejavu-extra

Pictures are shrunk to a longer side of 1024 pixels, as heldout5's are. Logos are drawn here in
a kind no other set draws, for names no other set uses: packaging fronts as sellers photograph
them (a tea tin, a milk carton or a gift box on a light backdrop with a shadow: a coloured band,
the brand in WenQuanYi Zen Hei, a product name, a net weight 净含量, a small pictogram and a
barcode). Ten are references; twenty other brands drawn by the same code, several sharing
characters, a product or a template with a reference, are distractors. The set was built by
looking at the pictures and packs only: no matcher was run on it before its first benchmark run.
"""

from __future__ import annotations

import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from bench import heldout_kit
from bench.heldout_kit import or_exit, package_picture
from bench.image_variants import Picture

INSTALL = "apt-get install stellarium-data marble-data mypaint-data-extras fonts-wqy-zenhei fonts-dejavu-extra"
STELLARIUM, MARBLE, MYPAINT = "stellarium-data", "marble-data", "mypaint-data-extras"
ROOTS = {STELLARIUM: Path("/usr/share/stellarium"), MARBLE: Path("/usr/share/marble/data/maps/earth"),
         MYPAINT: Path("/usr/share/mypaint/backgrounds")}
# (Debian package, path under its folder in ROOTS)
REFERENCE_PICTURES = ((STELLARIUM, "scenery3d/Sterngarten/Sterngarten_20100320.png"),
                      (STELLARIUM, "scenery3d/Testscene/TX_Stellarium-Testscene_withGrid/Stein_Platte_Quaderstein.png"),
                      (STELLARIUM, "skycultures/babylonian_mulapin/800px-MulApin-BritishMuseum.jpg"),
                      (STELLARIUM, "skycultures/greek_farnese/Atlas_(Farnese_Globe).jpg"),
                      (STELLARIUM, "nebulae/default/m51-vasey.png"), (STELLARIUM, "nebulae/default/rcw32.png"),
                      (MARBLE, "bluemarble/bluemarble.jpg"), (MARBLE, "behaim1492/0/000000/000000_000000.jpg"),
                      (STELLARIUM, "textures/corona.png"), (STELLARIUM, "landscapes/ocean/ocean9.png"))
DISTRACTOR_PICTURES = ((STELLARIUM, "scenery3d/Testscene/TX_Stellarium-Testscene_withGrid/Stein_Mauerwerk_mehrfarbig.png"),
                       (STELLARIUM, "landscapes/moon/apollo17.png"), (STELLARIUM, "landscapes/mars/mars.png"),
                       (STELLARIUM, "landscapes/garching/garching-gl1.png"),
                       (STELLARIUM, "landscapes/grossmugl/grossmugl_leeberg_crop11.25_2048.png"),
                       (STELLARIUM, "landscapes/guereins/guereinsb.png"),
                       (STELLARIUM, "scenery3d/Sterngarten/Sterngarten_Wien_innerArea/abedul.png"),
                       (STELLARIUM, "textures/moon_4k.jpg"), (STELLARIUM, "nebulae/default/m42.png"),
                       (STELLARIUM, "nebulae/default/m31.png"), (STELLARIUM, "nebulae/default/n7000.png"),
                       (STELLARIUM, "nebulae/default/ic434.png"), (STELLARIUM, "nebulae/default/darkshark-vasey.png"),
                       (MARBLE, "schagen1689/schagen1689.jpg"), (MYPAINT, "ramon/HR_Cork.png"))
# (brand, product, template, pictogram); the other ones share characters, a product or a template
# with these on purpose
REFERENCE_PACKS = (("蒙羊牧业", "羔羊肉卷", "box", "sheep"), ("草原鑫河", "手撕牛肉干", "tin", "sun"),
                   ("巴美肉羊", "精选羊排", "box", "sheep"), ("塞北星", "莜麦面", "carton", "grain"),
                   ("河套王", "雪花粉", "carton", "grain"), ("奶茶坊", "咸奶茶粉", "tin", "cup"),
                   ("牧民人家", "奶皮子", "box", "cup"), ("科尔沁牛业", "风干牛肉", "tin", "sun"),
                   ("红井源", "胡麻油", "carton", "drop"), ("金草原", "原味奶酪", "box", "sun"))
OTHER_PACKS = (("蒙羊牧场", "羔羊肉片", "box", "sheep"), ("草原鑫源", "牛肉干", "tin", "sun"),
               ("巴美羊业", "羊排", "box", "sheep"), ("塞北雪", "莜面", "carton", "grain"),
               ("河套春", "雪花粉", "carton", "grain"), ("奶茶屋", "奶茶粉", "tin", "cup"),
               ("牧民之家", "奶皮子", "box", "cup"), ("科尔沁乳业", "鲜牛奶", "carton", "cup"),
               ("红井泉", "亚麻籽油", "carton", "drop"), ("金草地", "奶酪棒", "box", "sun"),
               ("四子王", "羊肉", "tin", "sheep"), ("锡林牧歌", "奶豆腐", "box", "cup"),
               ("阴山牧场", "莜面", "tin", "grain"), ("希拉穆仁", "牛肉粒", "carton", "sun"),
               ("黄河湾", "葵花籽", "box", "grain"), ("大青山", "荞麦面", "carton", "grain"),
               ("呼伦湖", "冰湖鱼", "tin", "drop"), ("那达慕", "奶茶", "box", "cup"),
               ("兴安岭", "蓝莓汁", "carton", "drop"), ("驼铃", "酸奶", "tin", "cup"))
WEIGHTS = ("净含量 500g", "净含量 250g", "净含量 1kg", "净含量 400g", "净含量 2.5kg", "净含量 5L", "净含量 180g")
HEI = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"  # face 0: WenQuanYi Zen Hei
LIGHT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-ExtraLight.ttf"
MONO = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
BANDS = ((176, 28, 36), (22, 96, 60), (28, 64, 138), (196, 120, 20), (92, 40, 110), (30, 30, 34))
BODIES = ((250, 248, 240), (240, 226, 196), (214, 232, 214), (226, 234, 246), (248, 232, 230))
METALS = ((200, 170, 96), (178, 180, 186), (150, 110, 60))
BACKDROPS = ((236, 236, 234), (226, 222, 214), (244, 244, 246), (214, 218, 222))
Colour = tuple[int, int, int]
Box = tuple[float, float, float, float]


def pictures(which: tuple[tuple[str, str], ...]) -> list[Picture]:
    """The photographs named, or exit with the install command when a package is missing."""
    return or_exit("heldout6", INSTALL, lambda: [package_picture(ROOTS[package] / name, package, name)
                                                 for package, name in which])


def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return heldout_kit.font("heldout6", INSTALL, path, size)


def _fitted(path: str, text: str, width: float, size: int) -> ImageFont.FreeTypeFont:
    """The font at `size`, or smaller until `text` is at most `width` wide."""
    return heldout_kit.fitted("heldout6", INSTALL, path, text, width, size)


_shade = heldout_kit.scaled


def _pictogram(draw: ImageDraw.ImageDraw, kind: str, x: float, y: float, size: float, colour: Colour) -> None:
    """A small drawing centred on (x, y): a sheep, an ear of grain, a steaming cup, an oil drop or a sun over grass."""
    h, w = size / 2, max(2, round(size / 18))
    if kind == "sheep":
        for dx, dy in ((-0.35, -0.1), (0, -0.2), (0.3, -0.1), (-0.2, 0.12), (0.15, 0.12)):
            draw.ellipse((x + h * (dx - 0.3), y + h * (dy - 0.28), x + h * (dx + 0.3), y + h * (dy + 0.28)), fill=colour)
        draw.ellipse((x + h * 0.45, y - h * 0.45, x + h * 0.9, y - h * 0.05), fill=colour)
        for leg in (-0.4, -0.15, 0.2, 0.45):
            draw.line((x + h * leg, y + h * 0.3, x + h * leg, y + h * 0.75), fill=colour, width=w)
    elif kind == "grain":
        draw.line((x, y + h, x, y - h * 0.9), fill=colour, width=w)
        for row in range(4):
            gy = y - h * 0.7 + row * h * 0.32
            for side in (-1, 1):
                draw.ellipse((x + side * h * 0.22 - h * 0.14, gy - h * 0.2, x + side * h * 0.22 + h * 0.14, gy + h * 0.2),
                             fill=colour)
    elif kind == "cup":
        draw.rounded_rectangle((x - h * 0.6, y - h * 0.1, x + h * 0.4, y + h * 0.8), radius=h * 0.2, fill=colour)
        draw.arc((x + h * 0.2, y + h * 0.05, x + h * 0.8, y + h * 0.55), -90, 90, fill=colour, width=w * 2)
        for sx in (-0.35, -0.05, 0.25):
            draw.arc((x + h * (sx - 0.12), y - h * 0.9, x + h * (sx + 0.12), y - h * 0.25), 100, 260, fill=colour, width=w)
    elif kind == "drop":
        draw.polygon([(x, y - h), (x - h * 0.55, y + h * 0.15), (x + h * 0.55, y + h * 0.15)], fill=colour)
        draw.ellipse((x - h * 0.58, y - h * 0.2, x + h * 0.58, y + h * 0.95), fill=colour)
    else:
        draw.ellipse((x - h * 0.45, y - h * 0.85, x + h * 0.45, y + h * 0.05), fill=colour)
        for k in range(3):
            top = y + h * (0.25 + 0.22 * k)
            draw.arc((x - h, top, x + h, top + h * 0.5), 200, 340, fill=colour, width=w)


def _barcode(image: Image.Image, rng: random.Random, box: Box) -> None:
    """A white label with black bars of random widths and a Chinese (69…) article number under them."""
    left, top, right, bottom = box
    draw = ImageDraw.Draw(image)
    draw.rectangle(box, fill=(255, 255, 255))
    digits = "69" + "".join(str(rng.randint(0, 9)) for _ in range(11))
    text_height = (bottom - top) * 0.24
    x, unit = left + (right - left) * 0.08, max(1.0, (right - left) * 0.84 / 95)
    while x < right - (right - left) * 0.08 - 3 * unit:
        bar = unit * rng.choice((1, 1, 2, 3))
        draw.rectangle((x, top + (bottom - top) * 0.08, x + bar - 0.5, bottom - text_height), fill=(0, 0, 0))
        x += bar + unit * rng.choice((1, 1, 2))
    draw.text(((left + right) / 2, bottom - text_height / 2), f"{digits[0]} {digits[1:7]} {digits[7:]}",
              font=_fitted(MONO, "0 000000 000000", (right - left) * 0.9, round(text_height * 0.9)), fill=(0, 0, 0), anchor="mm")


def _tin(image: Image.Image, rng: random.Random, brand: str, product: str, pictogram: str) -> None:
    """A tall tea tin: metal lid and base, a body colour, a wide band with the brand, the product under it."""
    width, height = image.size
    draw = ImageDraw.Draw(image)
    metal, band, body = rng.choice(METALS), rng.choice(BANDS), rng.choice(BODIES)
    draw.rectangle((0, 0, width, height), fill=body)
    for top, bottom in ((0, height * 0.1), (height * 0.92, height)):
        draw.rectangle((0, top, width, bottom), fill=metal)
        for k in range(4):  # the rolled rims catch the light
            y = top + (bottom - top) * (0.2 + 0.2 * k)
            draw.line((0, y, width, y), fill=_shade(metal, 1.25 if k % 2 else 0.8), width=2)
    band_top, band_bottom = height * 0.3, height * 0.62
    draw.rectangle((0, band_top, width, band_bottom), fill=band)
    draw.line((0, band_top + 6, width, band_top + 6), fill=metal, width=3)
    draw.line((0, band_bottom - 6, width, band_bottom - 6), fill=metal, width=3)
    _pictogram(draw, pictogram, width / 2, height * 0.2, height * 0.14, band)
    draw.text((width / 2, (band_top + band_bottom) / 2 - height * 0.03), brand,
              font=_fitted(HEI, brand, width * 0.86, round(height * 0.12)), fill=body, anchor="mm")
    draw.text((width / 2, band_bottom - height * 0.055), "·" + "·".join(product) + "·",
              font=_fitted(HEI, product, width * 0.7, round(height * 0.045)), fill=metal, anchor="mm")
    draw.text((width / 2, height * 0.7), product, font=_fitted(HEI, product, width * 0.8, round(height * 0.07)),
              fill=band, anchor="mm")
    draw.text((width * 0.06, height * 0.86), rng.choice(WEIGHTS), font=_font(HEI, round(height * 0.032)),
              fill=_shade(band, 0.8), anchor="ls")
    _barcode(image, rng, (width * 0.6, height * 0.76, width * 0.94, height * 0.895))


def _carton(image: Image.Image, rng: random.Random, brand: str, product: str, pictogram: str) -> None:
    """A milk carton's front: a gable top with its seam, the brand high up, a wave of colour with the product."""
    width, height = image.size
    draw = ImageDraw.Draw(image)
    band, body = rng.choice(BANDS), rng.choice(BODIES[:2])
    draw.rectangle((0, 0, width, height), fill=body)
    draw.rectangle((0, 0, width, height * 0.06), fill=_shade(body, 0.9))  # the sealed fin
    draw.polygon([(0, height * 0.06), (width, height * 0.06), (width * 0.92, height * 0.18), (width * 0.08, height * 0.18)],
                 fill=_shade(body, 0.96), outline=_shade(body, 0.8))
    draw.text((width / 2, height * 0.12), "PURE · NATURAL", font=_font(LIGHT, round(height * 0.03)), fill=band, anchor="mm")
    draw.text((width / 2, height * 0.27), brand, font=_fitted(HEI, brand, width * 0.88, round(height * 0.11)),
              fill=band, anchor="mm")
    wave = height * 0.5
    points = [(0.0, float(height))] + [(width * k / 12, wave + height * 0.025 * (1 if k % 2 else -1)) for k in range(13)]
    draw.polygon([*points, (float(width), float(height))], fill=band)
    _pictogram(draw, pictogram, width * 0.5, height * 0.4, height * 0.13, _shade(band, 0.9))
    draw.text((width / 2, height * 0.62), product, font=_fitted(HEI, product, width * 0.84, round(height * 0.085)),
              fill=body, anchor="mm")
    draw.text((width / 2, height * 0.72), rng.choice(WEIGHTS), font=_font(HEI, round(height * 0.036)), fill=body,
              anchor="mm")
    _barcode(image, rng, (width * 0.08, height * 0.8, width * 0.5, height * 0.95))
    draw.rectangle((width * 0.6, height * 0.82, width * 0.92, height * 0.93), outline=body, width=2)
    draw.text((width * 0.76, height * 0.875), "冷藏", font=_font(HEI, round(height * 0.04)), fill=body, anchor="mm")


def _gift_box(image: Image.Image, rng: random.Random, brand: str, product: str, pictogram: str) -> None:
    """A gift box's lid: a gilt frame, a ribbon with a bow at the left, the brand large on the right."""
    width, height = image.size
    draw = ImageDraw.Draw(image)
    band, metal = rng.choice(BANDS), rng.choice(METALS)
    draw.rectangle((0, 0, width, height), fill=band)
    inset = height * 0.05
    draw.rectangle((inset, inset, width - inset, height - inset), outline=metal, width=4)
    draw.rectangle((inset * 1.6, inset * 1.6, width - inset * 1.6, height - inset * 1.6), outline=metal, width=1)
    ribbon = width * 0.24
    draw.rectangle((ribbon - width * 0.04, 0, ribbon + width * 0.04, height), fill=metal)
    for side in (-1, 1):  # the bow
        draw.polygon([(ribbon, height * 0.3), (ribbon + side * width * 0.12, height * 0.18),
                      (ribbon + side * width * 0.12, height * 0.42)], fill=_shade(metal, 1.15))
    draw.ellipse((ribbon - width * 0.03, height * 0.25, ribbon + width * 0.03, height * 0.35), fill=_shade(metal, 0.85))
    badge = height * 0.15  # a round badge on the ribbon with the pictogram
    draw.ellipse((ribbon - badge, height * 0.68 - badge, ribbon + badge, height * 0.68 + badge), fill=band, outline=metal,
                 width=3)
    _pictogram(draw, pictogram, ribbon, height * 0.68, badge * 1.3, metal)
    middle = (ribbon + width * 0.1 + width - inset * 2) / 2
    room = width - inset * 2 - ribbon - width * 0.1
    draw.text((middle, height * 0.36), brand, font=_fitted(HEI, brand, room, round(height * 0.2)), fill=metal, anchor="mm")
    draw.line((middle - room * 0.4, height * 0.52, middle + room * 0.4, height * 0.52), fill=metal, width=2)
    draw.text((middle, height * 0.63), product, font=_fitted(HEI, product, room * 0.8, round(height * 0.1)),
              fill=(250, 246, 236), anchor="mm")
    draw.text((middle - room * 0.45, height * 0.82), rng.choice(WEIGHTS), font=_font(HEI, round(height * 0.045)),
              fill=metal, anchor="lm")
    _barcode(image, rng, (width * 0.7, height * 0.7, width * 0.91, height * 0.88))


TEMPLATES = {"tin": ((300, 450), _tin), "carton": ((300, 450), _carton), "box": ((450, 300), _gift_box)}


def pack(brand: str, product: str, template: str, pictogram: str) -> Image.Image:
    """A packaging front as a seller photographs it: the pack on a plain backdrop, lit from one side, with a shadow."""
    rng = random.Random(f"heldout6-pack-{brand}{product}")
    (width, height), draw_front = TEMPLATES[template]
    scale = rng.uniform(0.92, 1.08)
    front = Image.new("RGB", (round(width * scale), round(height * scale)))
    draw_front(front, rng, brand, product, pictogram)
    light = Image.linear_gradient("L").rotate(rng.choice((90, -90)), expand=True).resize(front.size)
    front = Image.composite(front, Image.new("RGB", front.size, (0, 0, 0)), light.point(lambda v: 200 + v * 55 // 255))
    margin = round(max(front.size) * rng.uniform(0.06, 0.1))
    backdrop = rng.choice(BACKDROPS)
    image = Image.new("RGB", (front.width + 2 * margin, front.height + 2 * margin), backdrop)
    shadow = Image.new("L", image.size, 0)
    offset = round(margin * 0.35)
    ImageDraw.Draw(shadow).rectangle((margin + offset, margin + offset, margin + front.width + offset,
                                      margin + front.height + offset), fill=110)
    image.paste(Image.new("RGB", image.size, _shade(backdrop, 0.45)), (0, 0), shadow.filter(ImageFilter.GaussianBlur(margin / 3)))
    image.paste(front, (margin, margin))
    return image


def _packs(which: tuple[tuple[str, str, str, str], ...]) -> list[Picture]:
    return [Picture(f"pack-{brand}-{product}", pack(brand, product, template, pictogram))
            for brand, product, template, pictogram in which]


def references() -> list[Picture]:
    """Held-out references: ten photographs and ten packaging fronts."""
    return pictures(REFERENCE_PICTURES) + _packs(REFERENCE_PACKS)


def distractor_pictures() -> list[Picture]:
    return pictures(DISTRACTOR_PICTURES)


def distractors(rng: random.Random, count: int) -> list[Picture]:
    """As heldout5's: the other photographs, windows of them, drawn product shots, and packs of
    other brands drawn by the same code."""
    return heldout_kit.distractors("heldout6", distractor_pictures(), rng, count, _packs(OTHER_PACKS))


def backgrounds() -> list[Picture]:
    """As heldout5's: the distractor photographs and four drawn product shots, to paste logos on."""
    return heldout_kit.backgrounds("heldout6", distractor_pictures())
