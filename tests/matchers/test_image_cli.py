"""`ipwatch match` reads the listing images a line names: a logo pasted in a photo and a brand printed
on a package are reported with their own reasons, though neither title names a mark."""

from __future__ import annotations

import io
import json
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from typer.testing import CliRunner

from ipwatch.cli import app

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "watchlist" / "samples" / "baotou.yaml"
FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"


def save(image: Image.Image, path: Path) -> str:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    path.write_bytes(out.getvalue())
    return path.name


def photo_with_logo(folder: Path) -> str:
    photo = Image.new("RGB", (800, 800), (205, 200, 190))
    draw = ImageDraw.Draw(photo)
    for step in range(0, 800, 50):
        draw.line((0, step, 800, 800 - step), fill=(90 + step % 120, 80, 60), width=6)
    logo = Image.open(SAMPLE.parent / "images" / "quanjude.png").convert("RGB").resize((240, 240))
    photo.paste(logo, (470, 90))
    return save(photo, folder / "duck.jpg")


def package(folder: Path) -> str:
    image = Image.new("RGB", (400, 400), (236, 230, 218))
    draw = ImageDraw.Draw(image)
    draw.rectangle((70, 120, 330, 280), fill=(250, 236, 180))
    draw.text((200, 200), "王致和", font=ImageFont.truetype(FONT, 60), fill=(120, 20, 20), anchor="mm")
    return save(image, folder / "tofu.jpg")


def test_match_uses_the_listing_images(tmp_path: Path) -> None:
    lines = [{"id": "d1", "title": "北京烤鸭 礼盒装 真空", "images": [photo_with_logo(tmp_path)]},
             {"id": "t1", "title": "腐乳 红方 340g", "images": [package(tmp_path)]},
             {"id": "t2", "title": "腐乳 红方 340g"}]
    listings = tmp_path / "L.jsonl"
    listings.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["match", "--watchlist", str(SAMPLE), "--listings", str(listings)])
    assert result.exit_code == 0, result.output
    records = {record["listing_id"]: record for record in map(json.loads, result.stdout.splitlines())}
    assert set(records) == {"d1", "t1"}
    assert records["d1"]["mark_id"] == "quanjude"
    assert any(reason.startswith("logo found (") and reason.endswith("from reference quanjude.png")
               for reason in records["d1"]["reasons"])
    assert records["t1"]["mark_id"] == "wangzhihe"
    assert "brand in image text: 王致和" in records["t1"]["reasons"]
