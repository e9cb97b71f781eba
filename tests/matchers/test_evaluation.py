"""On labelled listings the matcher keeps its promises: the evaluation set and the demo's ground truth."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ipwatch.cli import app
from ipwatch.demo_marketplace.catalogue import build_catalogue
from ipwatch.matchers.scorer import Scorer
from ipwatch.spiders.records import Listing
from ipwatch.watchlist.loader import load_watchlist

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "bench" / "data"
SAMPLE = REPO / "watchlist" / "samples" / "baotou.yaml"


def test_precision_and_recall_on_the_evaluation_set_stay_at_least_095() -> None:
    scorer = Scorer.from_marks(load_watchlist(DATA / "match_eval_watchlist.yaml").marks)
    rows = [json.loads(line) for line in (DATA / "match_eval.jsonl").read_text("utf-8").splitlines() if line]
    assert len(rows) >= 400 and 0.4 <= sum(bool(row["expected"]) for row in rows) / len(rows) <= 0.6
    true = false = missed = 0
    for row in rows:
        listing = Listing(site="eval", listing_key=row["id"], url="", title=row["title"], price=row.get("price"),
                          currency=row.get("currency"), seller=row.get("seller"),
                          seller_location=row.get("seller_location"), category=row.get("category"))
        flagged = {found.mark_id for found in scorer.match(listing)}
        expected = set(row["expected"])
        true += len(flagged & expected)
        false += len(flagged - expected)
        missed += len(expected - flagged)
    assert true / (true + false) >= 0.95
    assert true / (true + missed) >= 0.95


def test_every_infringing_demo_title_is_flagged_and_nothing_else(tmp_path: Path) -> None:
    """The demo marketplace's ground truth through `ipwatch match`, without crawling it: every
    listing infringing by its text (not by a copied logo, which needs the images) is flagged
    for its mark, and no genuine or unrelated listing is."""
    truth = [item for item in build_catalogue(SAMPLE).ground_truth() if item["technique"] != "copied_logo"]
    lines = [{"id": item["id"], "title": item["title"], "seller": item["seller"],
              "seller_location": item.get("seller_location"),
              "price": float(item["price"]) if item.get("price") else None} for item in truth]
    listings = tmp_path / "demo.jsonl"
    listings.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines), encoding="utf-8")
    result = CliRunner().invoke(app, ["match", "--watchlist", str(SAMPLE), "--listings", str(listings)])
    assert result.exit_code == 0, result.output
    flagged = {(record["listing_id"], record["mark_id"]) for record in map(json.loads, result.stdout.splitlines())}
    expected = {(item["id"], mark) for item in truth for mark in item["infringes"]}
    assert expected - flagged == set()
    assert flagged - expected == set()
    assert len(expected) >= 50
