"""Precision and recall of the geographical-indication and old-brand rules on labelled listings.

    python bench/gi_eval.py [--set dev|heldout|both] [--show-errors]

Two labelled sets, each a JSON-lines file with its own watchlist in bench/data/:

- dev (gi_eval.jsonl, gi_eval_watchlist.yaml): the development set, on the sample
  watchlist's GIs and old brands and a few more; the rules were tuned on it.
- heldout (gi_heldout.jsonl, gi_heldout_watchlist.yaml): other marks, places and wording,
  written before the rules were tuned and not used to tune them.

Each line is a listing (title, seller, seller_location, fetched_at) with its labels: `mark`,
the mark it should alert for (null: none), and `rules`, the rules whose reason it should
carry (gi_wrong_origin, gi_evocation, gi_season, gi_quantity, false_heritage). A rule
counts as fired when its reason is on any of the listing's matches (`Scorer.explain`,
below the threshold too: an in-region grower offering fresh goods out of season carries
gi_season without an alert); `alert` compares the marks alerted at the threshold.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from datetime import date, datetime, time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from ipwatch.matchers.gi.supply import CHINA  # noqa: E402
from ipwatch.matchers.scorer import Scorer  # noqa: E402
from ipwatch.spiders.records import Listing  # noqa: E402
from ipwatch.watchlist.loader import load_watchlist  # noqa: E402

DATA = REPO / "bench" / "data"
SETS = {"dev": ("gi_eval.jsonl", "gi_eval_watchlist.yaml"),
        "heldout": ("gi_heldout.jsonl", "gi_heldout_watchlist.yaml")}
RULES = ("gi_wrong_origin", "gi_evocation", "false_heritage", "gi_season", "gi_quantity")
GROUPS = {"season/quantity": ("gi_season", "gi_quantity")}


def listing_of(case: dict) -> Listing:
    """The labelled case as the listing a spider would have stored, fetched at noon China time."""
    day = date.fromisoformat(case["fetched_at"])
    return Listing(site="bench", listing_key=case["id"], url="", title=case["title"], seller=case.get("seller"),
                   seller_location=case.get("seller_location"),
                   fetched_at=datetime.combine(day, time(12), tzinfo=CHINA))


def evaluate(name: str, show_errors: bool) -> dict[str, tuple[int, int, int]]:
    """Print precision and recall per rule and for alerts on one set; return (tp, fp, fn) per row."""
    cases_file, watchlist_file = SETS[name]
    scorer = Scorer.from_marks(load_watchlist(DATA / watchlist_file).marks)
    counts: dict[str, Counter[str]] = {row: Counter() for row in (*RULES, *GROUPS, "alert")}
    errors: list[str] = []
    lines = (DATA / cases_file).read_text("utf-8").splitlines()
    for line in filter(None, lines):
        case = json.loads(line)
        matches = scorer.explain(listing_of(case))
        fired = {reason.technique for match in matches for reason in match.reasons}
        alerted = {match.mark_id for match in matches if match.score >= scorer.threshold}
        expected_rules, expected_alert = set(case["rules"]), {case["mark"]} - {None}
        for rule in RULES:
            _count(counts[rule], rule in expected_rules, rule in fired)
        for group, members in GROUPS.items():
            _count(counts[group], bool(expected_rules & set(members)), bool(fired & set(members)))
        for mark_id in expected_alert | alerted:
            _count(counts["alert"], mark_id in expected_alert, mark_id in alerted)
        wrong = (set(RULES) & fired) ^ expected_rules
        if wrong or alerted != expected_alert:
            reasons = [f"{m.mark_id} {m.score}: " + " | ".join(m.reason_texts) for m in matches]
            errors.append(f"{case['id']} {case['title']} @ {case.get('seller_location')!r}: expected "
                          f"{sorted(expected_alert)} {sorted(expected_rules)}, got {sorted(alerted)} "
                          f"{sorted(set(RULES) & fired)}\n      " + "\n      ".join(reasons))
    print(f"\n{name}: {len(list(filter(None, lines)))} listings ({cases_file}, watchlist {watchlist_file})")
    print(f"{'rule':<18}{'cases':>6}{'tp':>5}{'fp':>5}{'fn':>5}{'precision':>11}{'recall':>8}")
    result = {}
    for row, tally in counts.items():
        tp, fp, fn = tally["tp"], tally["fp"], tally["fn"]
        result[row] = (tp, fp, fn)
        print(f"{row:<18}{tp + fn:>6}{tp:>5}{fp:>5}{fn:>5}{_ratio(tp, tp + fp):>11}{_ratio(tp, tp + fn):>8}")
    if show_errors:
        for error in errors:
            print("  " + error)
    elif errors:
        print(f"  {len(errors)} listings decided otherwise than labelled (--show-errors to list them)")
    return result


def _count(tally: Counter[str], expected: bool, got: bool) -> None:
    if expected and got:
        tally["tp"] += 1
    elif got:
        tally["fp"] += 1
    elif expected:
        tally["fn"] += 1


def _ratio(part: int, whole: int) -> str:
    return f"{part / whole:.3f}" if whole else "-"


def main() -> None:
    """Evaluate the chosen sets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=(*SETS, "both"), default="both")
    parser.add_argument("--show-errors", action="store_true")
    arguments = parser.parse_args()
    for name in SETS if arguments.set == "both" else (arguments.set,):
        evaluate(name, arguments.show_errors)


if __name__ == "__main__":
    main()
