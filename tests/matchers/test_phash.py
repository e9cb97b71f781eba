"""A copied reference image flags a listing on its own, even under a generic title."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw

from ipwatch.core.images import compute_hashes
from ipwatch.matchers.scorer import Scorer
from ipwatch.spiders.records import Listing
from ipwatch.watchlist.records import Mark

MakeListing = Callable[..., Listing]


def reencoded(path: Path, *, scale: float, quality: int) -> bytes:
    """The image resized and saved as a lossy JPEG, as a marketplace serves a copied logo."""
    image = Image.open(path).convert("RGB")
    image = image.resize((round(image.width * scale), round(image.height * scale)), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def test_a_resized_reencoded_copy_of_a_reference_image_is_flagged(
    scorer: Scorer, marks: tuple[Mark, ...], make_listing: MakeListing,
) -> None:
    [reference] = next(mark for mark in marks if mark.id == "guyang-huangqi").images
    copy = compute_hashes(reencoded(Path(reference), scale=0.6, quality=60)).phash
    [found] = scorer.match(make_listing("内蒙古特产 精选 500g 包邮"), image_phashes=[copy])
    assert found.mark_id == "guyang-huangqi"
    assert found.score >= 0.75
    [reason] = found.reason_texts
    assert reason.startswith("image phash distance ") and reason.endswith("/64 to reference guyang-huangqi.png")
    assert int(reason.split()[3].split("/")[0]) <= 6


def test_an_unrelated_image_is_not(scorer: Scorer, make_listing: MakeListing) -> None:
    image = Image.new("RGB", (320, 320), "white")
    draw = ImageDraw.Draw(image)
    for step in range(0, 320, 40):
        draw.ellipse((step, step // 2, step + 60, step // 2 + 90), fill=(step % 255, 90, 200))
    out = io.BytesIO()
    image.save(out, "PNG")
    phash = compute_hashes(out.getvalue()).phash
    assert scorer.explain(make_listing("内蒙古特产 精选 500g"), image_phashes=[phash]) == []


def test_image_and_title_together_score_higher_than_either(scorer: Scorer, marks: tuple[Mark, ...],
                                                           make_listing: MakeListing) -> None:
    [reference] = next(mark for mark in marks if mark.id == "kangshifu").images
    copy = compute_hashes(reencoded(Path(reference), scale=0.8, quality=80)).phash
    [text_only] = scorer.match(make_listing("康师父方便面"))
    [image_only] = scorer.match(make_listing("方便面"), image_phashes=[copy])
    [both] = scorer.match(make_listing("康师父方便面"), image_phashes=[copy])
    assert both.score > max(text_only.score, image_only.score)
    assert len(both.reasons) == 2


def test_hashes_that_are_not_hex_are_skipped(scorer: Scorer, make_listing: MakeListing) -> None:
    assert scorer.match(make_listing("方便面"), image_phashes=["not-a-hash", ""]) == []
