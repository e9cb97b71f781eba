"""`ipwatch match` prints one JSON line per flagged listing × mark and names every bad input line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from ipwatch.cli import app

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "watchlist" / "samples" / "baotou.yaml"

LINES = [
    {"id": "a1", "title": "康师父红烧牛肉面 24袋", "price": 9.9, "currency": "CNY", "seller": "某某便利店"},
    {"id": 2, "title": "固陽黃芪 500g"},
    {"id": "a3", "price": 5},
    "not json at all",
    {"id": "a5", "title": "运动鞋 新款", "images": ["nike-copy.png", "broken.png", "https://127.0.0.1/x.jpg"]},
    {"id": "a6", "title": "小肥羊火锅底料", "seller": "小肥羊官方旗舰店"},
    {"id": "a7", "title": "羊肉卷", "price": "cheap"},
    {"id": "a8", "title": "伊犁薰衣草精油", "category": "香薰", "unknown_field": "ignored"},
]


def write_listings(folder: Path) -> Path:
    shutil.copy(SAMPLE.parent / "images" / "nike.png", folder / "nike-copy.png")
    (folder / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n truncated")
    path = folder / "L.jsonl"
    text = "\n".join(line if isinstance(line, str) else json.dumps(line, ensure_ascii=False) for line in LINES)
    path.write_text(text + "\n\n", encoding="utf-8")
    return path


def test_match_prints_a_json_line_per_flagged_listing_and_mark(tmp_path: Path) -> None:
    listings = write_listings(tmp_path)
    result = CliRunner().invoke(app, ["match", "--watchlist", str(SAMPLE), "--listings", str(listings)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["listing_id"], r["mark_id"]) for r in records] == [("a1", "kangshifu"), (2, "guyang-huangqi"),
                                                                 ("a5", "nike")]
    assert records[0]["reasons"] == ["homophone 康师父≈康师傅 (kang shi fu ~ kang shi fu)",
                                     "price ¥9.90 is 16% of reference ¥60 (+0.10)"]
    assert records[1]["reasons"] == ["traditional 固陽黃芪→固阳黄芪"]
    assert records[2]["reasons"] == ["image phash distance 0/64 to reference nike.png"]
    assert all(set(r) == {"listing_id", "mark_id", "score", "reasons"} and 0.75 <= r["score"] <= 1 for r in records)
    assert "固陽黃芪" in result.stdout  # ensure_ascii=False: readable Chinese


def test_bad_lines_are_named_and_skipped(tmp_path: Path) -> None:
    listings = write_listings(tmp_path)
    result = CliRunner().invoke(app, ["match", "-w", str(SAMPLE), "-l", str(listings)])
    assert result.exit_code == 0
    errors = result.stderr.splitlines()
    name = str(listings)
    assert f"{name}:3: title: missing" in errors
    assert f"{name}:4: not valid JSON (Expecting value at column 1)" in errors
    assert f"{name}:7: price: must be a number" in errors
    assert any(line.startswith(f"{name}:5: image broken.png: ") for line in errors)
    assert any("1 image URLs ignored" in line for line in errors)
    assert errors[-1] == f"{name}: 5 listings scored, 3 matches, 3 of 8 lines skipped (see above)"


def test_the_threshold_option_filters_matches(tmp_path: Path) -> None:
    listings = write_listings(tmp_path)
    result = CliRunner().invoke(app, ["match", "-w", str(SAMPLE), "-l", str(listings), "--threshold", "0.96"])
    assert result.exit_code == 0
    assert [json.loads(line)["listing_id"] for line in result.stdout.splitlines()] == ["a1"]


def test_a_broken_watchlist_or_missing_listings_file_stops_with_a_message(tmp_path: Path) -> None:
    bad = tmp_path / "w.yaml"
    bad.write_text("marks:\n  - id: x\n    name: X\n    kind: brand\n    owner: o\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["match", "-w", str(bad), "-l", str(tmp_path / "none.jsonl")])
    assert result.exit_code == 1
    assert "w.yaml:4: marks[0].kind: 'brand' is not one of trademark, gi, old_brand" in result.stderr
    missing = CliRunner().invoke(app, ["match", "-w", str(SAMPLE), "-l", str(tmp_path / "none.jsonl")])
    assert missing.exit_code == 1
    assert "none.jsonl: cannot be read: No such file or directory" in missing.stderr
