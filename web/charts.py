"""Charts as inline SVG made here: no JavaScript, no network, readable at a glance and printable.

Every label passes through markupsafe's escape (mark names and sellers come from outside), every
bar carries a <title> so hovering or a screen reader gives the exact number.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from markupsafe import Markup, escape

# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
           "#999999")
FIXED = {"high": "#C0392B", "medium": "#E69F00", "low": "#7F8C9A"}
FONT = 'font-family="Noto Sans CJK SC, Noto Sans, sans-serif"'


def colours(series: Sequence[str]) -> dict[str, str]:
    """A colour per series: severities keep theirs, the rest take the palette in order."""
    result, spare = {}, iter(PALETTE * (1 + len(series) // len(PALETTE)))
    for name in series:
        result[name] = FIXED.get(name) or next(spare)
    return result


def axis(value: float, ticks: int = 4) -> tuple[float, float]:
    """(top, step) of an axis showing 0…`value` in about `ticks` steps of 1, 2 or 5 × a power of ten."""
    if value <= 0:
        return 1, 1
    raw = max(value / ticks, 1)  # counts: never a step below one
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    return step * math.ceil(value / step), step


def _text(x: float, y: float, text: str, *, anchor: str = "start", size: int = 11, fill: str = "#333",
          extra: str = "") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" fill="{fill}" '
            f'{FONT}{extra}>{escape(text)}</text>')


def stacked_columns(buckets: Sequence[str], series: Mapping[str, Sequence[int]], *, title: str,
                    width: int = 1100, height: int = 300) -> Markup:
    """Columns per bucket (e.g. day), stacked by series (e.g. severity), with a legend."""
    left, right, top, bottom = 40, 10, 28, 48
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(values[i] for values in series.values()) for i in range(len(buckets))]
    top_value, step = axis(max(totals, default=0))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
             f'class="chart" aria-label="{escape(title)}">',
             _text(left, 16, title, size=13, extra=' font-weight="600"')]
    for tick in range(int(top_value / step) + 1):
        value = tick * step
        y = top + plot_h - plot_h * value / top_value
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e3e3e3"/>')
        parts.append(_text(left - 6, y + 4, f"{value:g}", anchor="end", size=10, fill="#666"))
    slot = plot_w / max(1, len(buckets))
    bar = max(2.0, min(40.0, slot * 0.7))
    palette = colours(list(series))
    label_every = max(1, math.ceil(len(buckets) / 12))
    for i, bucket in enumerate(buckets):
        x = left + slot * i + (slot - bar) / 2
        y = top + plot_h
        for name, values in series.items():
            if not values[i]:
                continue
            h = plot_h * values[i] / top_value
            y -= h
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                         f'fill="{palette[name]}"><title>{escape(f"{bucket} · {name}: {values[i]}")}</title></rect>')
        if i % label_every == 0:
            parts.append(_text(x + bar / 2, top + plot_h + 14, bucket, anchor="middle", size=10, fill="#555"))
    x = left
    for name in series:
        parts.append(f'<rect x="{x}" y="{height - 16}" width="10" height="10" fill="{palette[name]}"/>')
        parts.append(_text(x + 14, height - 7, name, size=10))
        x += 24 + 7 * len(name) + (5 * sum(1 for ch in name if ord(ch) > 0x2E80))
    parts.append("</svg>")
    return Markup("".join(parts))


def horizontal_bars(rows: Sequence[tuple[str, float]], *, title: str, unit: str = "", width: int = 560,
                    bar_height: int = 18, colour: str = "#0072B2") -> Markup:
    """One bar per (label, value), longest first as given, value printed at the bar's end."""
    label_w, top = 150, 28
    height = top + len(rows) * (bar_height + 6) + 8
    top_value = max((value for _, value in rows), default=0) or 1
    plot_w = width - label_w - 60
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {max(height, 48)}" role="img" '
             f'class="chart" aria-label="{escape(title)}">', _text(0, 16, title, size=13, extra=' font-weight="600"')]
    if not rows:
        parts.append(_text(0, 40, "nothing yet", size=11, fill="#888"))
    for i, (name, value) in enumerate(rows):
        y = top + i * (bar_height + 6)
        shown = name if len(name) <= 16 else name[:15] + "…"
        w = max(1.0, plot_w * value / top_value)
        parts.append(_text(label_w - 6, y + bar_height - 5, shown, anchor="end", size=11))
        fill = FIXED.get(name, colour)
        parts.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_height}" fill="{fill}">'
                     f'<title>{escape(f"{name}: {value:g}{unit}")}</title></rect>')
        parts.append(_text(label_w + w + 4, y + bar_height - 5, f"{value:g}{unit}", size=11, fill="#333"))
    parts.append("</svg>")
    return Markup("".join(parts))
