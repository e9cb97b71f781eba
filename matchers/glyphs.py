"""How alike two Chinese characters look, measured on their glyphs rendered with a CJK font."""

from __future__ import annotations

import shutil
import subprocess
from functools import cache, lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

SIZE = 64  # pixels per glyph
BLUR = 2  # Gaussian radius: strokes a pixel or two apart still overlap
# Both measures were calibrated on 2025-11-25 with Noto Sans CJK SC; they are a first
# measure for v1, to be replaced by a 形近字 (similar-character) table.
#
# Whole glyphs: Pearson correlation of the blurred glyphs (plain cosine rates any two
# dense characters alike: 面/固 0.90). Look-alikes 仝/全 0.77, 帅/师 0.78, 牛/午 0.82,
# 己/已 0.95, 戊/戌 0.84; different 哈/娃 0.42, 肥/尾 0.53, 面/固 0.74, 舰/鹿 0.61.
LOOK_ALIKE = 0.75
# Knockoffs also keep half a character and change the other (致→到, 哈→恰, 肥→肌): the
# same half of both glyphs drawn alike (cosine) in characters that are not unlike as a
# whole (Pearson), which rules out 火 under 小 (halves 0.87 but wholes 0.32).
# Shared halves: 致/到 left 0.90, 哈/恰 right 0.99, 仁/仨 left 0.93; 哈/娃 0.76, 肥/尾 0.85.
SHARED_PART = 0.89
WHOLE_FLOOR = 0.45
_HALVES = {
    "left": (slice(None), slice(0, SIZE // 2)),
    "right": (slice(None), slice(SIZE // 2, SIZE)),
    "top": (slice(0, SIZE // 2), slice(None)),
    "bottom": (slice(SIZE // 2, SIZE), slice(None)),
}

_FALLBACK_FONTS = (
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
)


@cache
def cjk_font() -> ImageFont.FreeTypeFont | None:
    """A font that draws simplified Chinese, found with fontconfig or in the usual places."""
    candidates = list(_FALLBACK_FONTS)
    if shutil.which("fc-match"):
        try:
            found = subprocess.run(
                ["fc-match", "-f", "%{file}|%{index}", "sans-serif:lang=zh-cn"],
                capture_output=True, text=True, timeout=10, check=False,
            ).stdout
            path, _, index = found.partition("|")
            candidates.insert(0, (path, int(index or 0)))
        except (OSError, ValueError, subprocess.SubprocessError):
            pass
    for path, index in candidates:
        if not Path(path).is_file():
            continue
        try:
            font = ImageFont.truetype(path, SIZE, index=index)
        except OSError:
            continue
        # A font without Chinese draws every character as the same empty box.
        if not np.array_equal(_draw(font, "一"), _draw(font, "全")):
            return font
    return None


@lru_cache(maxsize=200_000)
def similarity(first: str, second: str) -> float:
    """Pearson correlation in [-1, 1] of the two characters' blurred glyphs; 1.0 when equal."""
    if first == second:
        return 1.0
    return _correlation(_glyph(first), _glyph(second), centred=True)


def look_alike(first: str, second: str) -> bool:
    """Whether two different characters look alike enough to be mistaken (仝 for 全)."""
    return first != second and similarity(first, second) >= LOOK_ALIKE


@lru_cache(maxsize=200_000)
def shared_part(first: str, second: str) -> str | None:
    """The half ("left", "right", "top", "bottom") two different characters draw alike, if any."""
    if first == second or similarity(first, second) < WHOLE_FLOOR:
        return None
    a, b = _glyph(first), _glyph(second)
    scores = {name: _correlation(a[region], b[region], centred=False) for name, region in _HALVES.items()}
    best = max(scores, key=scores.__getitem__)
    return best if scores[best] >= SHARED_PART else None


def _correlation(a: np.ndarray, b: np.ndarray, *, centred: bool) -> float:
    if centred:
        a, b = a - a.mean(), b - b.mean()
    norm = float(np.sqrt((a * a).sum() * (b * b).sum()))
    return float((a * b).sum() / norm) if norm else 0.0


@lru_cache(maxsize=20_000)
def _glyph(char: str) -> np.ndarray:
    font = cjk_font()
    if font is None:
        raise RuntimeError("no CJK font: install fonts-noto-cjk")
    image = Image.fromarray(_draw(font, char)).filter(ImageFilter.GaussianBlur(BLUR))
    return np.asarray(image, dtype=np.float64) / 255.0


def _draw(font: ImageFont.FreeTypeFont, char: str) -> np.ndarray:
    image = Image.new("L", (SIZE, SIZE), 0)
    ImageDraw.Draw(image).text((SIZE / 2, SIZE / 2), char, fill=255, font=font, anchor="mm")
    return np.asarray(image)
