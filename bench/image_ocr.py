"""Text in images: how often OCR reads a mark's name off its logo, and what a photo costs.

    python bench/image_ocr.py

For each logo of the sample watchlist (its name is drawn in it): the logo re-encoded, the
logo with a seller's watermark, and the logo pasted at 15-40% of an 800-pixel photograph.
A read counts when the mark's name (or an alias) appears in the text read. Then the same
for 60 drawn product photos without text, which should read as nothing that names a mark.
Prints the share read and milliseconds per image; asserts nothing about time.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for `bench.image_variants`, run as a script

from bench.image_variants import SAMPLE_LOGOS, pasted, product_photo, reencode, skimage_pictures, watermark  # noqa: E402
from ipwatch.core.images import open_image  # noqa: E402
from ipwatch.matchers.images.ocr import read_text  # noqa: E402
from ipwatch.watchlist.loader import load_watchlist  # noqa: E402


def main() -> None:
    rng = random.Random(2026)
    marks = load_watchlist(SAMPLE_LOGOS.parent / "baotou.yaml").marks
    backgrounds = [picture.image for picture in skimage_pictures(("brick", "grass", "clock", "motorcycle_right"))]
    read_text(product_photo("warm-up"))  # loads the models once
    print(f"{'variant':28s} {'images':>6s} {'name read':>9s} {'ms/image':>9s}")
    for variant in ("re-encoded", "watermarked", "pasted at 15-40%"):
        found, seconds = 0, []
        for mark in marks:
            for path in mark.images:
                logo = open_image(Path(path).read_bytes())
                if variant == "re-encoded":
                    data = reencode(logo, rng)
                elif variant == "watermarked":
                    data = watermark(logo, rng)
                else:
                    data = pasted(logo, rng.choice(backgrounds), rng)
                image = open_image(data)
                started = time.perf_counter()
                text = "".join(line.text for line in read_text(image)).replace(" ", "").casefold()
                seconds.append(time.perf_counter() - started)
                found += any(name.replace(" ", "").casefold() in text for name in mark.names)
        print(f"{variant:28s} {len(seconds):6d} {found / len(seconds):9.2f} {1000 * statistics.fmean(seconds):9.1f}")
    names = [name.replace(" ", "").casefold() for mark in marks for name in mark.names]
    seconds, named = [], 0
    for number in range(60):
        image = product_photo(f"ocr-{number}")
        started = time.perf_counter()
        text = "".join(line.text for line in read_text(image)).replace(" ", "").casefold()
        seconds.append(time.perf_counter() - started)
        named += any(name in text for name in names)
    print(f"{'product photos, no text':28s} {len(seconds):6d} {named / len(seconds):9.2f} {1000 * statistics.fmean(seconds):9.1f}")


if __name__ == "__main__":
    main()
