"""Held-out edition 4: desktop wallpapers and product badges nobody had run the matcher on.

`bench/image_robustness.py --set heldout4` is made the way `heldout3` is (pictures and logos
as references; the other pictures, windows of them, drawn product shots and other brands'
logos as distractors; logos pasted on the distractor pictures), from pictures that come from
Debian packages when the benchmark runs and are never committed:

- `ukui-wallpapers` (/usr/share/backgrounds/*.jpg, *.png): 3D renders of ribbons and strings,
  illustrations (a calla, a goldfish, a mouse, a mascot), flat colour fields and gradients;
- `gnome-backgrounds` (/usr/share/backgrounds/gnome/*.webp): rendered patterns and scenes, each
  in a light and a dark edition of the same layout; only one edition of each is used, since
  the other is a recoloured copy. The 256-pixel one-colour `vnc` pair and the SVGs are left out;
- `mate-backgrounds` (/usr/share/backgrounds/mate/abstract and desktop, not nature, which
  heldout3 uses): the Elephants painting (its 1920-pixel file), MATE logos on stripes, an
  underwater scene, a grey stripe field and one of the four recoloured aurora pictures. The
  other abstract files are nearly transparent overlays that come out blank on white.

None of these is a photograph of the real world: they are renders, illustrations, a painting
and smooth fields. Ten are references (seven textured, three smooth, as some listings are).
Install them with

    apt-get install ukui-wallpapers gnome-backgrounds mate-backgrounds

Pictures are shrunk to a longer side of 1024 pixels, as heldout3's are. Logos are product
badges drawn here - a round, shield or arched label with a pictogram, the brand in Noto Sans
CJK Regular, its pinyin in DejaVu / Liberation Sans Bold, and a product line on a ribbon or a
band - for brands no other set draws, in a layout and fonts no other set uses for logos; 20
other brands' badges drawn by the same code are distractors. The set was built by looking at
the pictures and badges only: no matcher was run on it before its first benchmark run.
"""

from __future__ import annotations

import math
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from bench import heldout_kit
from bench.heldout_kit import or_exit, package_picture
from bench.image_variants import Picture

BACKGROUNDS = Path("/usr/share/backgrounds")
INSTALL = "apt-get install ukui-wallpapers gnome-backgrounds mate-backgrounds"
# (Debian package, path under /usr/share/backgrounds)
REFERENCE_PICTURES = (("ukui-wallpapers", "2004default.jpg"), ("ukui-wallpapers", "string.jpg"),
                      ("ukui-wallpapers", "goldfish.png"), ("ukui-wallpapers", "desert.png"),
                      ("ukui-wallpapers", "fluent-color.png"), ("gnome-backgrounds", "gnome/licorice-l.webp"),
                      ("gnome-backgrounds", "gnome/pixels-d.webp"), ("gnome-backgrounds", "gnome/truchet-d.webp"),
                      ("mate-backgrounds", "mate/abstract/Elephants.jpg"),
                      ("mate-backgrounds", "mate/desktop/Ubuntu-Mate-Cold-no-logo.png"))
DISTRACTOR_PICTURES = (("ukui-wallpapers", "calla.png"), ("ukui-wallpapers", "city.png"),
                       ("ukui-wallpapers", "firstgeneration.jpg"), ("ukui-wallpapers", "focal-ubuntukylin.png"),
                       ("ukui-wallpapers", "rhythm.jpg"), ("ukui-wallpapers", "rollpaper.png"),
                       ("ukui-wallpapers", "the-mouse.jpg"), ("gnome-backgrounds", "gnome/adwaita-d.webp"),
                       ("gnome-backgrounds", "gnome/grid-l.webp"), ("gnome-backgrounds", "gnome/symbolic-d.webp"),
                       ("gnome-backgrounds", "gnome/wood-l.webp"), ("mate-backgrounds", "mate/desktop/Float-into-MATE.png"),
                       ("mate-backgrounds", "mate/desktop/GreenTraditional.jpg"),
                       ("mate-backgrounds", "mate/desktop/MATE-Stripes-Dark.png"),
                       ("mate-backgrounds", "mate/desktop/Stripes.png"))
# (brand, pinyin) for brands no other set draws; the other brands share characters with these on purpose
REFERENCE_BRANDS = (("草原红", "Caoyuanhong"), ("大窑", "Dayao"), ("额尔敦", "Erdun"), ("奶食坊", "Naishifang"),
                    ("蒙古王", "Menggu Wang"), ("宇航人", "Yuhangren"), ("兆丰", "Zhaofeng"), ("老绥元", "Lao Suiyuan"),
                    ("塞宝", "Saibao"), ("敕勒川", "Chilechuan"))
OTHER_BRANDS = (("草原宏宝", "Caoyuan Hongbao"), ("鸿茅", "Hongmao"), ("阿尔山", "Arxan"), ("蒙清", "Mengqing"),
                ("奈伦", "Nailun"), ("远兴", "Yuanxing"), ("维信", "Weixin"), ("草原阿妈", "Caoyuan Ama"),
                ("蒙都", "Mengdu"), ("金河", "Jinhe"), ("红太阳", "Hongtaiyang"), ("永业", "Yongye"), ("苏尼特", "Sonid"),
                ("天骄", "Tianjiao"), ("三主粮", "Sanzhuliang"), ("西贝", "Xibei"), ("塞外香", "Saiwaixiang"),
                ("牧人", "Muren"), ("蒙羊", "Mengyang"), ("乌珠穆沁", "Ujimqin"))
PRODUCTS = (("纯牛奶", "PURE MILK"), ("风干牛肉", "AIR-DRIED BEEF"), ("沙棘汁", "SEA BUCKTHORN JUICE"),
            ("奶皮子", "MILK SKIN"), ("蒙古炒米", "ROASTED MILLET"), ("咸奶茶", "SALTY MILK TEA"),
            ("手把肉", "HAND-PULLED LAMB"), ("马奶酒", "KUMIS"), ("苏打汽水", "SODA WATER"), ("奶酪条", "CHEESE STICKS"),
            ("燕麦片", "OAT FLAKES"), ("荞麦面", "BUCKWHEAT NOODLES"))
CJK_FONT, CJK_SC = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2  # face 2: simplified Chinese
LATIN_FONTS = ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
               "/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed-Bold.ttf",
               "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf")
INKS = ((150, 22, 32), (22, 52, 110), (24, 92, 52), (104, 54, 22), (92, 24, 82), (0, 96, 108), (36, 36, 40))
ACCENTS = ((214, 172, 62), (238, 222, 176), (196, 198, 204), (206, 52, 44))
PAPERS = ((255, 255, 255), (250, 246, 235), (242, 242, 240))
Colour = tuple[int, int, int]


def pictures(which: tuple[tuple[str, str], ...]) -> list[Picture]:
    """The wallpapers named, or exit with the install command when a package is missing."""
    return or_exit("heldout4", INSTALL, lambda: [package_picture(BACKGROUNDS / name, package, name)
                                                 for package, name in which])


def _font(path: str, size: int, index: int = 0) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(path, max(8, size), index=index)
    except OSError:
        return ImageFont.load_default()


def _fitted(path: str, text: str, width: float, size: int, index: int = 0) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """The font at `size`, or smaller until `text` is at most `width` wide."""
    font = _font(path, size, index)
    while size > 10 and font.getlength(text) > width:
        size -= 2
        font = _font(path, size, index)
    return font


def _star(x: float, y: float, radius: float, turn: float = 0.0) -> list[tuple[float, float]]:
    return [(x + r * math.sin(turn + k * math.pi / 5), y - r * math.cos(turn + k * math.pi / 5))
            for k, r in enumerate([radius, radius * 0.42] * 5)]


def _pictogram(draw: ImageDraw.ImageDraw, kind: str, x: float, y: float, size: float, colour: Colour) -> None:
    """A small drawing centred on (x, y): a sun, an ear of wheat, a yurt, a milk drop or a star."""
    h = size / 2
    if kind == "sun":
        draw.ellipse((x - h * 0.5, y - h * 0.5, x + h * 0.5, y + h * 0.5), fill=colour)
        for k in range(12):
            a = k * math.pi / 6
            draw.line((x + h * 0.65 * math.cos(a), y + h * 0.65 * math.sin(a), x + h * math.cos(a), y + h * math.sin(a)),
                      fill=colour, width=max(2, round(size / 20)))
    elif kind == "wheat":
        draw.line((x, y - h, x, y + h), fill=colour, width=max(2, round(size / 18)))
        for row in range(4):
            gy = y - h * 0.75 + row * h * 0.38
            for side in (-1, 1):
                draw.polygon([(x, gy + h * 0.2), (x + side * h * 0.18, gy - h * 0.02), (x + side * h * 0.42, gy - h * 0.12),
                              (x + side * h * 0.3, gy + h * 0.1)], fill=colour)
    elif kind == "yurt":
        draw.polygon([(x - h, y - h * 0.05), (x - h * 0.2, y - h * 0.7), (x + h * 0.2, y - h * 0.7), (x + h, y - h * 0.05)],
                      fill=colour)
        draw.ellipse((x - h * 0.14, y - h * 0.95, x + h * 0.14, y - h * 0.67), fill=colour)
        for wall in ((x - h * 0.8, x - h * 0.2), (x + h * 0.2, x + h * 0.8)):  # the gap between them is the door
            draw.rectangle((wall[0], y + h * 0.05, wall[1], y + h * 0.75), fill=colour)
        draw.rectangle((x - h * 0.2, y + h * 0.05, x + h * 0.2, y + h * 0.2), fill=colour)
    elif kind == "drop":
        draw.ellipse((x - h * 0.6, y - h * 0.2, x + h * 0.6, y + h), fill=colour)
        draw.polygon([(x, y - h), (x - h * 0.55, y + h * 0.3), (x + h * 0.55, y + h * 0.3)], fill=colour)
    else:
        draw.polygon(_star(x, y, h), fill=colour)


def _arc_text(image: Image.Image, text: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont,
              centre: tuple[float, float], radius: float, colour: Colour) -> None:
    """`text` along the top of a circle round `centre`, each letter turned to follow it."""
    widths = [font.getlength(character) for character in text]
    angle = -sum(widths) / radius / 2
    side = round(font.size * 2) if isinstance(font, ImageFont.FreeTypeFont) else 24
    for character, width in zip(text, widths, strict=True):
        middle = angle + width / radius / 2
        angle += width / radius
        mask = Image.new("L", (side, side), 0)
        ImageDraw.Draw(mask).text((side / 2, side / 2), character, font=font, fill=255, anchor="mm")
        mask = mask.rotate(-math.degrees(middle), Image.Resampling.BICUBIC)
        x, y = centre[0] + radius * math.sin(middle), centre[1] - radius * math.cos(middle)
        image.paste(Image.new("RGB", mask.size, colour), (round(x - side / 2), round(y - side / 2)), mask)


def _shade(colour: Colour) -> Colour:
    """`colour` darkened, for the folds of a ribbon."""
    red, green, blue = (round(0.7 * value) for value in colour)
    return red, green, blue


def _ribbon(draw: ImageDraw.ImageDraw, left: float, right: float, y: float, height: float, colour: Colour) -> None:
    """A banner across (left..right) at height `y`, with folded, notched tails behind its ends."""
    tail = height * 0.9
    for end, outward in ((left, -1), (right, 1)):
        inner, outer = end - outward * height * 0.2, end + outward * tail
        draw.polygon([(inner, y - height * 0.3), (outer, y - height * 0.3), (outer - outward * height * 0.35, y + height * 0.2),
                      (outer, y + height * 0.7), (inner, y + height * 0.7)], fill=_shade(colour))
    draw.rectangle((left, y - height / 2, right, y + height / 2), fill=colour)


class Look:
    """One brand's colours, fonts, pictogram and product line, chosen from a generator seeded by its name."""

    def __init__(self, name: str) -> None:
        rng = random.Random(f"heldout4-badge-{name}")
        self.ink: Colour = rng.choice(INKS)
        self.accent: Colour = rng.choice(ACCENTS)
        self.paper: Colour = rng.choice(PAPERS)
        self.latin = rng.choice(LATIN_FONTS)
        self.weight = rng.choice((0, 1, 2))  # stroke width: the regular face made heavier
        self.pictogram = rng.choice(("sun", "wheat", "yurt", "drop", "star"))
        self.product, self.product_latin = rng.choice(PRODUCTS)
        self.shape = rng.choice(("round", "shield", "arch"))
        self.side = rng.randint(300, 400)
        self.inverse = rng.random() < 0.4  # paper-coloured inner field, ink-coloured text


def _stack(draw: ImageDraw.ImageDraw, look: Look, name: str, pinyin: str, box: tuple[float, float, float, float],
           colour: Colour) -> None:
    """Pictogram, brand and pinyin stacked and centred in `box`."""
    left, top, right, bottom = box
    x, width, height = (left + right) / 2, right - left, bottom - top
    _pictogram(draw, look.pictogram, x, top + height * 0.14, height * 0.26, look.accent if not look.inverse else look.ink)
    name_font = _fitted(CJK_FONT, name, width * 0.96, round(height * 0.36), CJK_SC)
    draw.text((x, top + height * 0.56), name, font=name_font, fill=colour, anchor="mm",
              stroke_width=look.weight, stroke_fill=colour)
    spaced = " ".join(pinyin.upper()) if len(pinyin) <= 7 else pinyin.upper()
    latin = _fitted(look.latin, spaced, width * 0.9, round(height * 0.1))
    draw.text((x, top + height * 0.86), spaced, font=latin, fill=colour, anchor="mm")
    rule = latin.getlength(spaced) / 2 + height * 0.04
    for sign in (-1, 1):
        draw.line((x + sign * rule, top + height * 0.86, x + sign * min(width / 2, rule + height * 0.12), top + height * 0.86),
                  fill=look.accent, width=2)


def _round(look: Look, name: str, pinyin: str) -> Image.Image:
    side = look.side
    image = Image.new("RGB", (side, side), look.paper)
    draw = ImageDraw.Draw(image)
    c, r = side / 2, side * 0.47
    draw.ellipse((c - r, c - r, c + r, c + r), fill=look.ink)
    inner = r * 0.78
    draw.ellipse((c - inner, c - inner, c + inner, c + inner), fill=look.paper if look.inverse else look.ink,
                 outline=look.accent, width=max(3, side // 90))
    _arc_text(image, look.product_latin, _fitted(look.latin, look.product_latin, r * 2.2, round(r * 0.13)), (c, c),
              r * 0.89, look.paper)
    for k in (-2, -1, 0, 1, 2):
        a = k * 0.28
        draw.polygon(_star(c + r * 0.89 * math.sin(a), c + r * 0.89 * math.cos(a), r * 0.05, -a), fill=look.accent)
    _stack(draw, look, name, pinyin, (c - inner * 0.72, c - inner * 0.85, c + inner * 0.72, c + inner * 0.3),
           look.ink if look.inverse else look.paper)
    band_y, band = c + inner * 0.58, r * 0.24
    _ribbon(draw, c - r * 0.82, c + r * 0.82, band_y, band, look.accent)
    draw.text((c, band_y), look.product, font=_fitted(CJK_FONT, look.product, r * 1.6, round(band * 0.72), CJK_SC),
              fill=look.ink, anchor="mm")
    return image


def _bezier(start: tuple[float, float], control: tuple[float, float], end: tuple[float, float]) -> list[tuple[float, float]]:
    return [((1 - t) ** 2 * start[0] + 2 * (1 - t) * t * control[0] + t * t * end[0],
             (1 - t) ** 2 * start[1] + 2 * (1 - t) * t * control[1] + t * t * end[1]) for t in (k / 16 for k in range(17))]


def _shield(look: Look, name: str, pinyin: str) -> Image.Image:
    width, height = look.side, round(look.side * 1.25)
    image = Image.new("RGB", (width, height), look.paper)
    draw = ImageDraw.Draw(image)
    for inset, fill in ((0.05, look.ink), (0.085, look.accent), (0.1, look.paper if look.inverse else look.ink)):
        m = width * inset
        point = (width / 2, height - m)
        outline = ([(m, m), (width - m, m)] + _bezier((width - m, height * 0.56), (width - m, height * 0.84), point)
                   + _bezier(point, (m, height * 0.84), (m, height * 0.56)))
        draw.polygon(outline, fill=fill)
    _stack(draw, look, name, pinyin, (width * 0.18, height * 0.12, width * 0.82, height * 0.6),
           look.ink if look.inverse else look.paper)
    band_y, band = height * 0.7, height * 0.1
    _ribbon(draw, width * 0.1, width * 0.9, band_y, band, look.accent)
    draw.text((width / 2, band_y), look.product, font=_fitted(CJK_FONT, look.product, width * 0.7, round(band * 0.72), CJK_SC),
              fill=look.ink, anchor="mm")
    for k in (-1, 0, 1):
        draw.polygon(_star(width / 2 + k * width * 0.09, height * 0.83, width * 0.03), fill=look.accent)
    return image


def _arch(look: Look, name: str, pinyin: str) -> Image.Image:
    width, height = look.side, round(look.side * 1.35)
    image = Image.new("RGB", (width, height), look.paper)
    draw = ImageDraw.Draw(image)
    for inset, fill in ((0.05, look.ink), (0.08, look.accent), (0.095, look.paper if look.inverse else look.ink)):
        m = width * inset
        draw.pieslice((m, m, width - m, width - m), 180, 360, fill=fill)
        draw.rectangle((m, width / 2, width - m, height - m), fill=fill)
    text = look.ink if look.inverse else look.paper
    _stack(draw, look, name, pinyin, (width * 0.16, height * 0.12, width * 0.84, height * 0.62), text)
    m = width * 0.095
    draw.rectangle((m, height * 0.68, width - m, height * 0.8), fill=look.accent)
    draw.text((width / 2, height * 0.74), look.product,
              font=_fitted(CJK_FONT, look.product, width * 0.7, round(height * 0.085), CJK_SC), fill=look.ink, anchor="mm")
    draw.text((width / 2, height * 0.87), look.product_latin,
              font=_fitted(look.latin, look.product_latin, width * 0.75, round(height * 0.04)), fill=text, anchor="mm")
    return image


def badge(name: str, pinyin: str) -> Image.Image:
    """A product badge: a round, shield or arched label with a pictogram, the brand, its pinyin and a product line."""
    look = Look(name)
    return {"round": _round, "shield": _shield, "arch": _arch}[look.shape](look, name, pinyin)


def _badges(brands: tuple[tuple[str, str], ...]) -> list[Picture]:
    return [Picture(f"badge-{name}", badge(name, pinyin)) for name, pinyin in brands]


def references() -> list[Picture]:
    """Held-out references: ten wallpapers and ten product badges."""
    return pictures(REFERENCE_PICTURES) + _badges(REFERENCE_BRANDS)


def distractor_pictures() -> list[Picture]:
    return pictures(DISTRACTOR_PICTURES)


def distractors(rng: random.Random, count: int) -> list[Picture]:
    """As heldout3's: the other wallpapers, windows of them, drawn product shots, and badges of
    other brands drawn by the same code."""
    return heldout_kit.distractors("heldout4", distractor_pictures(), rng, count, _badges(OTHER_BRANDS))


def backgrounds() -> list[Picture]:
    """As heldout3's: the distractor wallpapers and four drawn product shots, to paste logos on."""
    return heldout_kit.backgrounds("heldout4", distractor_pictures())
