"""Precision and recall of the text matcher on the labelled evaluation set, overall and per technique.

    python bench/match_eval.py [--listings bench/data/match_eval.jsonl]
                               [--watchlist bench/data/match_eval_watchlist.yaml]
                               [--threshold 0.75] [--show-errors]

Each line of the set is a listing as `ipwatch match` reads it, plus `expected` (the mark ids
it infringes; empty for a hard negative) and `technique` (how the title disguises the mark,
or why it is legitimate: descriptive, accessory, authorised, ordinary, other_brand …). The
set was written by hand from documented knockoffs and everyday titles, not from the
matcher's output. A listing × mark pair is a true positive when expected and flagged.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ipwatch.core.settings import Settings  # noqa: E402
from ipwatch.matchers.scorer import Scorer  # noqa: E402
from ipwatch.spiders.records import Listing  # noqa: E402
from ipwatch.watchlist.loader import load_watchlist  # noqa: E402

DATA = REPO / "bench" / "data"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listings", type=Path, default=DATA / "match_eval.jsonl")
    parser.add_argument("--watchlist", type=Path, default=DATA / "match_eval_watchlist.yaml")
    parser.add_argument("--threshold", type=float, default=None, help="default: the settings' match threshold")
    parser.add_argument("--show-errors", action="store_true", help="print every miss and false alarm with reasons")
    args = parser.parse_args()
    threshold = Settings().match_threshold if args.threshold is None else args.threshold
    scorer = Scorer.from_marks(load_watchlist(args.watchlist).marks, threshold=threshold)
    rows = [json.loads(line) for line in args.listings.read_text("utf-8").splitlines() if line.strip()]
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    errors: list[str] = []
    started = time.perf_counter()
    for row in rows:
        listing = _listing(row)
        flagged = {found.mark_id: found for found in scorer.match(listing)}
        expected = set(row["expected"])
        for label in ("all", row["technique"]):
            counts[label]["listings"] += 1
            counts[label]["tp"] += len(expected & flagged.keys())
            counts[label]["fn"] += len(expected - flagged.keys())
            counts[label]["fp"] += len(flagged.keys() - expected)
        for mark_id in sorted(expected - flagged.keys()):
            explained = [f"{m.mark_id} {m.score}: {'; '.join(m.reason_texts)}" for m in scorer.explain(listing)]
            errors.append(f"MISS {row['id']} {row['title']} → {mark_id} | {' | '.join(explained) or 'no evidence'}")
        for mark_id in sorted(flagged.keys() - expected):
            found = flagged[mark_id]
            reasons = "; ".join(found.reason_texts)
            errors.append(f"FALSE {row['id']} {row['title']} → {mark_id} {found.score}: {reasons}")
    elapsed = time.perf_counter() - started
    print(f"{args.listings.name}: {len(rows)} listings, {sum(bool(r['expected']) for r in rows)} infringing; "
          f"watchlist {args.watchlist.name}: {len(scorer.catalogue.marks)} marks; threshold {threshold}")
    print(f"{'technique':<16}{'listings':>9}{'TP':>6}{'FN':>6}{'FP':>6}{'precision':>11}{'recall':>9}")
    for label in ["all", *sorted(label for label in counts if label != "all")]:
        row = counts[label]
        positives = row["tp"] + row["fn"]  # a label of hard negatives has none: only its false alarms count
        precision = _ratio(row["tp"], row["tp"] + row["fp"]) if positives else "-"
        print(f"{label:<16}{row['listings']:>9}{row['tp']:>6}{row['fn']:>6}{row['fp']:>6}"
              f"{precision:>11}{_ratio(row['tp'], positives):>9}")
    print(f"{len(rows) / elapsed:.0f} listings per second")
    if args.show_errors:
        print("\n".join(errors))


def _listing(row: dict) -> Listing:
    return Listing(site="eval", listing_key=str(row["id"]), url="", title=row["title"], price=row.get("price"),
                   currency=row.get("currency"), seller=row.get("seller"),
                   seller_location=row.get("seller_location"), category=row.get("category"))


def _ratio(part: int, whole: int) -> str:
    return f"{part / whole:.3f}" if whole else "-"


if __name__ == "__main__":
    main()
