"""Held-out edition 5: real photographs and old-brand plaques nobody had run the matcher on.

`bench/image_robustness.py --set heldout5` is made the way `heldout4` is (pictures and logos
as references; the other pictures, windows of them, drawn product shots and other brands'
logos as distractors; logos pasted on the distractor pictures), from pictures that come from
Debian packages when the benchmark runs and are never committed:

- `plasma-workspace-wallpapers` (/usr/share/wallpapers/*/contents/images/2560x1600.jpg):
  photographs of rowing boats at a lake, autumn leaves, a moss field, a forest path, a pier, a
  pier in fog, plastic cups, a building's facade, a kite in the sky, and two smooth ones: a
  lake at dusk and a misty lake at night. Its rendered and drawn wallpapers are left out;
- `lomiri-wallpapers-16.04` and `lomiri-wallpapers-20.04` (/usr/share/backgrounds/*_by_*.jpg):
  photographs of a fig in a bowl, a dragonfly, a forest stream, two dogs at a door, a room
  with a drum, paint brushes, a nuthatch, a bridge's cables, mountains, a clock, a toy bird,
  dandelions and a sunset. Their four rendered pictures and the textured analogpattern are
  left out.

All of them are photographs of the real world; ten are references (eight textured, two smooth
- the lake at dusk and the misty lake - as some listings are), fifteen are distractors.
Install them with

    apt-get install plasma-workspace-wallpapers lomiri-wallpapers-16.04 lomiri-wallpapers-20.04 fonts-arphic-ukai fonts-arphic-uming

Pictures are shrunk to a longer side of 1024 pixels, as heldout3's and heldout4's are. Logos
are drawn here in two kinds no other set draws, for names no other set uses: old-brand shop
plaques (牌匾: a lacquered or wooden board with a frame, three or four characters in AR PL
UKai, read right to left on some, a dated inscription and a red seal) and round or oval
geographical-indication labels (place and product in AR PL UKai, a ring or band of small
text and 地理标志产品 in AR PL UMing, a pictogram). Ten are references; twenty other names drawn
by the same code, several sharing characters or a template with a reference, are distractors.
The set was built by looking at the pictures and logos only: no matcher was run on it before
its first benchmark run.
"""

from __future__ import annotations

import math
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from bench import heldout_kit
from bench.heldout_kit import or_exit, package_picture
from bench.image_variants import Picture

PLASMA, LOMIRI = Path("/usr/share/wallpapers"), Path("/usr/share/backgrounds")
INSTALL = ("apt-get install plasma-workspace-wallpapers lomiri-wallpapers-16.04 lomiri-wallpapers-20.04"
           " fonts-arphic-ukai fonts-arphic-uming")
# (Debian package, name): a Plasma wallpaper's folder or a Lomiri file in /usr/share/backgrounds
REFERENCE_PICTURES = (("plasma-workspace-wallpapers", "EveningGlow"), ("plasma-workspace-wallpapers", "FallenLeaf"),
                      ("plasma-workspace-wallpapers", "OneStandsOut"), ("plasma-workspace-wallpapers", "summer_1am"),
                      ("plasma-workspace-wallpapers", "DarkestHour"), ("lomiri-wallpapers-16.04", "Picture_0B_by_freespace.jpg"),
                      ("lomiri-wallpapers-16.04", "Dragonfly_by_Bolly.jpg"), ("lomiri-wallpapers-16.04", "life_by_Aitzol_Berasategi.jpg"),
                      ("lomiri-wallpapers-16.04", "friends_by_Aitzol_Berasategi.jpg"),
                      ("lomiri-wallpapers-16.04", "Wine_by_Jakkub_Mede.jpg"))
DISTRACTOR_PICTURES = (("plasma-workspace-wallpapers", "BytheWater"), ("plasma-workspace-wallpapers", "ColdRipple"),
                       ("plasma-workspace-wallpapers", "ColorfulCups"), ("plasma-workspace-wallpapers", "Grey"),
                       ("plasma-workspace-wallpapers", "Kite"), ("plasma-workspace-wallpapers", "Path"),
                       ("lomiri-wallpapers-16.04", "Bridge_by_Sander_Klootwijk.jpg"),
                       ("lomiri-wallpapers-20.04", "Kleiber_by_Lukas_Baubkus.jpg"),
                       ("lomiri-wallpapers-16.04", "Picture_1A_by_freespace.jpg"),
                       ("lomiri-wallpapers-16.04", "aitzgorri_by_Aitzol_Berasategi.jpg"),
                       ("lomiri-wallpapers-16.04", "free_by_Peter_Nerlich.jpg"),
                       ("lomiri-wallpapers-16.04", "greentock_by_Peter_Nerlich.jpg"),
                       ("lomiri-wallpapers-16.04", "picosdeeuropa_by_Aitzol_Berasategi.jpg"),
                       ("lomiri-wallpapers-16.04", "seeding_by_Clements_Engelhardt.jpg"),
                       ("lomiri-wallpapers-16.04", "sunset_by_Aitzol_Berasategi.jpg"))
# old brands and (place, product) geographical indications no other set draws; the other ones
# share characters or a template with these on purpose
REFERENCE_PLAQUES = ("大盛魁", "麦香村", "元盛德", "复盛公", "天义德")
REFERENCE_LABELS = (("五原", "向日葵"), ("托县", "辣椒"), ("乌拉特", "羊肉"), ("武川", "莜面"), ("清水河", "小香米"))
OTHER_PLAQUES = ("大盛堂", "麦香园", "元升德", "复兴公", "天德号", "天源酱园", "桂馨斋", "正兴德", "亨得利", "通顺号")
OTHER_LABELS = (("土默特", "甜菜"), ("达茂", "草原羊"), ("察右后旗", "马铃薯"), ("杭锦旗", "甘草"), ("阿拉善", "白绒山羊"),
                ("五原", "蜜瓜"), ("武川", "土豆"), ("清水河", "海红果"), ("托县", "葡萄"), ("乌拉特", "山羊肉"))
KAI, MING = "/usr/share/fonts/truetype/arphic/ukai.ttc", "/usr/share/fonts/truetype/arphic/uming.ttc"  # face 0: CN
LATIN = "/usr/share/fonts/truetype/dejavu/DejaVuSerifCondensed-Bold.ttf"
BOARDS = ((28, 22, 20), (78, 22, 18), (104, 64, 32), (22, 46, 38), (30, 34, 58))  # black, red, wood, green, blue lacquer
GILT = ((214, 176, 72), (236, 206, 128), (196, 150, 60), (244, 236, 214))
SEAL_RED = (182, 30, 28)
INSCRIPTIONS = ("光绪二年", "始创于清", "同治元年", "道光年间", "民国十年", "咸丰三年")
SEAL_WORDS = ("老号", "百年", "诚信", "金字", "字号", "永昌")
LABEL_INKS = ((26, 104, 58), (24, 70, 132), (150, 28, 30), (120, 80, 24), (70, 40, 110))
PAPERS = ((255, 255, 255), (248, 244, 232), (240, 238, 232))
Colour = tuple[int, int, int]


def _path(package: str, name: str) -> Path:
    return PLASMA / name / "contents/images/2560x1600.jpg" if package.startswith("plasma") else LOMIRI / name


def pictures(which: tuple[tuple[str, str], ...]) -> list[Picture]:
    """The photographs named, or exit with the install command when a package is missing."""
    return or_exit("heldout5", INSTALL, lambda: [package_picture(_path(package, name), package, name)
                                                 for package, name in which])


def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return heldout_kit.font("heldout5", INSTALL, path, size)


def _fitted(path: str, text: str, width: float, size: int) -> ImageFont.FreeTypeFont:
    """The font at `size`, or smaller until `text` is at most `width` wide."""
    return heldout_kit.fitted("heldout5", INSTALL, path, text, width, size)


_darker = heldout_kit.scaled


def _seal(image: Image.Image, words: str, box: tuple[float, float, float, float]) -> None:
    """A red square seal with `words` stacked in paper-coloured characters, as a shop stamps its name."""
    left, top, right, bottom = box
    draw = ImageDraw.Draw(image)
    draw.rectangle(box, fill=SEAL_RED)
    draw.rectangle((left + 3, top + 3, right - 3, bottom - 3), outline=(246, 232, 214), width=2)
    step = (bottom - top) / len(words)
    font = _font(MING, round(step * 0.8))
    for k, character in enumerate(words):
        draw.text(((left + right) / 2, top + step * (k + 0.5)), character, font=font, fill=(246, 232, 214), anchor="mm",
                  stroke_width=1, stroke_fill=(246, 232, 214))


def plaque(name: str) -> Image.Image:
    """An old shop's plaque (牌匾): a framed lacquer or wooden board, gilt calligraphy, an inscription, a seal."""
    rng = random.Random(f"heldout5-plaque-{name}")
    board, gilt = rng.choice(BOARDS), rng.choice(GILT)
    height = rng.randint(150, 190)
    width = round(height * (1.05 * len(name) + 1.1))
    margin = round(height * 0.08)
    image = Image.new("RGB", (width + 2 * margin, height + 2 * margin), rng.choice(PAPERS))
    draw = ImageDraw.Draw(image)
    left, top, right, bottom = margin, margin, margin + width, margin + height
    frame = _darker(board, 0.55) if rng.random() < 0.5 else gilt
    draw.rectangle((left, top, right, bottom), fill=frame)
    inset = height * rng.uniform(0.07, 0.1)
    draw.rectangle((left + inset, top + inset, right - inset, bottom - inset), fill=board)
    for _ in range(rng.randint(10, 18)):  # the grain of the board
        y = rng.uniform(top + inset + 2, bottom - inset - 2)
        x0 = rng.uniform(left + inset, right - inset - width * 0.3)
        draw.line((x0, y, min(right - inset, x0 + rng.uniform(width * 0.2, width * 0.6)), y + rng.uniform(-2, 2)),
                  fill=_darker(board, rng.uniform(0.75, 1.3)), width=1)
    line = inset * 0.35
    draw.rectangle((left + line, top + line, right - line, bottom - line), outline=_darker(gilt, 0.8), width=2)
    for cx in (left + inset / 2, right - inset / 2):  # studs at the frame's corners
        for cy in (top + inset / 2, bottom - inset / 2):
            draw.ellipse((cx - inset * 0.25, cy - inset * 0.25, cx + inset * 0.25, cy + inset * 0.25), fill=gilt)
    field_left, field_right = left + height * 0.55, right - height * 0.55
    step = (field_right - field_left) / len(name)
    font = _font(KAI, round(min(step * 0.92, height * 0.62)))
    characters = name[::-1] if rng.random() < 0.4 else name  # old plaques read right to left
    weight = rng.choice((1, 2, 3))
    for k, character in enumerate(characters):
        draw.text((field_left + step * (k + 0.5), top + height * 0.52), character, font=font, fill=gilt, anchor="mm",
                  stroke_width=weight, stroke_fill=gilt)
    small = _font(KAI, round(height * 0.1))
    inscription = rng.choice(INSCRIPTIONS)
    for k, character in enumerate(inscription):
        draw.text((right - inset - height * 0.2, top + inset + height * (0.12 + 0.12 * k)), character, font=small,
                  fill=_darker(gilt, 0.85), anchor="mm")
    seal = height * 0.22
    seal_left = left + inset + height * 0.1
    _seal(image, rng.choice(SEAL_WORDS), (seal_left, bottom - inset - seal * 2.1, seal_left + seal, bottom - inset - seal * 0.1))
    return image


def _arc_text(image: Image.Image, text: str, font: ImageFont.FreeTypeFont, centre: tuple[float, float], radius: float,
              colour: Colour, *, bottom: bool = False) -> None:
    """`text` along the top of a circle round `centre` (or along its bottom, still upright), one glyph at a time."""
    widths = [font.getlength(character) for character in text]
    total = sum(widths) / radius
    angle = -total / 2
    side = round(font.size * 2)
    for character, width in zip(text, widths, strict=True):
        middle = angle + width / radius / 2
        angle += width / radius
        mask = Image.new("L", (side, side), 0)
        ImageDraw.Draw(mask).text((side / 2, side / 2), character, font=font, fill=255, anchor="mm")
        if bottom:
            mask = mask.rotate(math.degrees(middle), Image.Resampling.BICUBIC)
            x, y = centre[0] + radius * math.sin(middle), centre[1] + radius * math.cos(middle)
        else:
            mask = mask.rotate(-math.degrees(middle), Image.Resampling.BICUBIC)
            x, y = centre[0] + radius * math.sin(middle), centre[1] - radius * math.cos(middle)
        image.paste(Image.new("RGB", mask.size, colour), (round(x - side / 2), round(y - side / 2)), mask)


def _pictogram(draw: ImageDraw.ImageDraw, kind: str, x: float, y: float, size: float, colour: Colour, paper: Colour) -> None:
    """A small drawing centred on (x, y): a sunflower, hills under a sun, or an ear of grain."""
    h = size / 2
    if kind == "sunflower":
        for k in range(14):
            a = k * math.pi / 7
            px, py = x + h * 0.62 * math.cos(a), y + h * 0.62 * math.sin(a)
            draw.ellipse((px - h * 0.3, py - h * 0.3, px + h * 0.3, py + h * 0.3), fill=colour)
        draw.ellipse((x - h * 0.5, y - h * 0.5, x + h * 0.5, y + h * 0.5), fill=paper)
        draw.ellipse((x - h * 0.38, y - h * 0.38, x + h * 0.38, y + h * 0.38), fill=colour)
    elif kind == "hills":
        draw.ellipse((x + h * 0.15, y - h, x + h * 0.75, y - h * 0.4), fill=colour)
        draw.polygon([(x - h, y + h * 0.7), (x - h * 0.35, y - h * 0.3), (x + h * 0.2, y + h * 0.7)], fill=colour)
        draw.polygon([(x - h * 0.2, y + h * 0.7), (x + h * 0.45, y - h * 0.05), (x + h, y + h * 0.7)], fill=colour)
        draw.line((x - h, y + h * 0.85, x + h, y + h * 0.85), fill=colour, width=max(2, round(size / 16)))
    else:
        draw.line((x, y - h, x + h * 0.1, y + h), fill=colour, width=max(2, round(size / 16)))
        for row in range(5):
            gy = y - h * 0.8 + row * h * 0.3
            for side in (-1, 1):
                gx = x + side * h * 0.17
                draw.ellipse((gx - h * 0.13, gy - h * 0.2, gx + h * 0.13, gy + h * 0.2), fill=colour)


def _round_label(rng: random.Random, place: str, product: str) -> Image.Image:
    side = rng.randint(340, 420)
    paper, ink, gilt = rng.choice(PAPERS), rng.choice(LABEL_INKS), rng.choice(GILT[:3])
    image = Image.new("RGB", (side, side), paper)
    draw = ImageDraw.Draw(image)
    c, r = side / 2, side * 0.47
    draw.ellipse((c - r, c - r, c + r, c + r), fill=ink)
    band = r * 0.22
    draw.ellipse((c - r + band, c - r + band, c + r - band, c + r - band), fill=paper, outline=gilt, width=max(3, side // 100))
    ring = _font(MING, round(band * 0.62))
    _arc_text(image, f"{place}{product}·地理标志产品", ring, (c, c), r - band / 2, paper)
    _arc_text(image, "GEOGRAPHICAL INDICATION", _font(LATIN, round(band * 0.42)), (c, c), r - band / 2, paper, bottom=True)
    for sign in (-1, 1):
        dot = (c + sign * (r - band / 2) * 0.98, c)
        draw.ellipse((dot[0] - band * 0.14, dot[1] - band * 0.14, dot[0] + band * 0.14, dot[1] + band * 0.14), fill=gilt)
    inner = r - band
    _pictogram(draw, rng.choice(("sunflower", "hills", "grain")), c, c - inner * 0.52, inner * 0.5, ink, paper)
    draw.text((c, c - inner * 0.08), place, font=_fitted(KAI, place, inner * 1.3, round(inner * 0.3)), fill=ink, anchor="mm",
              stroke_width=1, stroke_fill=ink)
    draw.text((c, c + inner * 0.38), product, font=_fitted(KAI, product, inner * 1.5, round(inner * 0.42)), fill=ink,
              anchor="mm", stroke_width=2, stroke_fill=ink)
    draw.line((c - inner * 0.5, c + inner * 0.7, c + inner * 0.5, c + inner * 0.7), fill=gilt, width=2)
    return image


def _oval_label(rng: random.Random, place: str, product: str) -> Image.Image:
    height = rng.randint(260, 320)
    width = round(height * rng.uniform(1.35, 1.55))
    paper, ink, gilt = rng.choice(PAPERS), rng.choice(LABEL_INKS), rng.choice(GILT[:3])
    image = Image.new("RGB", (width, height), paper)
    draw = ImageDraw.Draw(image)
    m = height * 0.04
    draw.ellipse((m, m, width - m, height - m), fill=ink)
    ring = height * 0.05
    draw.ellipse((m + ring, m + ring, width - m - ring, height - m - ring), outline=gilt, width=max(3, height // 70))
    band_top, band_bottom = height * 0.6, height * 0.76
    draw.rectangle((width * 0.12, band_top, width * 0.88, band_bottom), fill=paper)
    draw.text((width / 2, (band_top + band_bottom) / 2), "地理标志产品",
              font=_fitted(MING, "地理标志产品", width * 0.6, round((band_bottom - band_top) * 0.72)), fill=ink, anchor="mm",
              stroke_width=1, stroke_fill=ink)
    _pictogram(draw, rng.choice(("sunflower", "hills", "grain")), width * 0.24, height * 0.38, height * 0.26, gilt, ink)
    text_x = width * 0.58
    draw.text((text_x, height * 0.25), place, font=_fitted(KAI, place, width * 0.45, round(height * 0.13)), fill=gilt,
              anchor="mm")
    draw.text((text_x, height * 0.44), product, font=_fitted(KAI, product, width * 0.5, round(height * 0.2)), fill=paper,
              anchor="mm", stroke_width=2, stroke_fill=paper)
    draw.text((width / 2, height * 0.84), "CHINA GI", font=_font(LATIN, round(height * 0.055)), fill=gilt, anchor="mm")
    return image


def label(place: str, product: str) -> Image.Image:
    """A geographical-indication label: round with ring text, or oval with a band, the place, the product, a pictogram."""
    rng = random.Random(f"heldout5-label-{place}{product}")
    return (_round_label if rng.random() < 0.55 else _oval_label)(rng, place, product)


def _logos(plaques: tuple[str, ...], labels: tuple[tuple[str, str], ...]) -> list[Picture]:
    return ([Picture(f"plaque-{name}", plaque(name)) for name in plaques]
            + [Picture(f"label-{place}{product}", label(place, product)) for place, product in labels])


def references() -> list[Picture]:
    """Held-out references: ten photographs, five plaques and five geographical-indication labels."""
    return pictures(REFERENCE_PICTURES) + _logos(REFERENCE_PLAQUES, REFERENCE_LABELS)


def distractor_pictures() -> list[Picture]:
    return pictures(DISTRACTOR_PICTURES)


def distractors(rng: random.Random, count: int) -> list[Picture]:
    """As heldout4's: the other photographs, windows of them, drawn product shots, and plaques and
    labels of other names drawn by the same code."""
    return heldout_kit.distractors("heldout5", distractor_pictures(), rng, count, _logos(OTHER_PLAQUES, OTHER_LABELS))


def backgrounds() -> list[Picture]:
    """As heldout4's: the distractor photographs and four drawn product shots, to paste logos on."""
    return heldout_kit.backgrounds("heldout5", distractor_pictures())
