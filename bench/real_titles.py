"""Text matching on real marketplace titles against a real-size watchlist, beside the naive scan.

    python bench/real_titles.py [--data ../shared/fixtures/real_titles] [--baseline-titles 1000]

The data (not in this repository; see `../shared/fixtures/real_titles/SOURCES.md`): 6,013 real Taobao and JD
product titles from two published NER datasets, and the 1,967 brands annotated in the Taobao ones, with which
titles name which brand. Every brand becomes a trademark on the watchlist (its name as annotated; the
annotators lower-cased Latin letters), so the watchlist is real-size and real-shaped: short Latin marks, common
Chinese words that are also brands (苹果, 移动), brands inside longer words.

Printed, never asserted:

- **throughput**: titles per CPU second of the matcher (`Scorer.match`, default threshold) and of the naive
  baseline (rapidfuzz `process.cdist`, `partial_ratio` ≥ 80 of every normalised title against every name), each
  in its own process on the same core, taking turns (as `bench/match_speed.py` does), and their ratio;
- **mention recall**: of the annotated (title, brand) pairs whose title names the brand outside
  compatibility or accessory wording (适用, 兼容, 配件, 专用, for …), the share the matcher flags;
- **flags per 1,000 titles for a brand not named in the title**: a flag whose brand's name does not occur in the
  title (compared normalised: width, case, spaces, traditional forms folded) — nearly always a false alarm,
  since the titles are ordinary listings, not knockoffs;
- the same two figures for the naive scan.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.match_speed import Workload, _take_turns  # noqa: E402

DATA = REPO.parent / "shared" / "fixtures" / "real_titles"
# Wording that names a brand only to say what a product fits: such a mention is no use of the mark.
COMPATIBILITY = re.compile(r"适用|适配|兼容|配件|专用|通用|替换|for\b|fit\b", re.IGNORECASE)


def load(data: Path) -> tuple[Workload, dict[int, set[str]]]:
    """The watchlist (one trademark per brand), the titles, and the brands each title is annotated with."""
    titles: list[str] = []
    position: dict[str, int] = {}
    for line in (data / "titles.jsonl").read_text("utf-8").splitlines():
        record = json.loads(line)
        position[record["id"]] = len(titles)
        titles.append(record["title"])
    brands: list[str] = []
    named: dict[int, set[str]] = {}
    for line in (data / "brands.jsonl").read_text("utf-8").splitlines():
        record = json.loads(line)
        if "brand" in record:
            brands.append(record["brand"])
        elif record["title_id"] in position:
            named[position[record["title_id"]]] = set(record["brands"])
    marks = [{"id": f"b{index:04d}", "name": brand, "kind": "trademark", "owner": f"{brand} 权利人",
              "nice_classes": [], "aliases": []} for index, brand in enumerate(brands)]
    return Workload(marks, titles, {}), named


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--baseline-titles", type=int, default=1000)
    args = parser.parse_args()
    if not (args.data / "titles.jsonl").is_file():
        sys.exit(f"no real titles at {args.data}: see the module docstring")
    from ipwatch.matchers.text.normalise import normalise

    workload, named = load(args.data)
    brand_of = {mark["id"]: mark["name"] for mark in workload.marks}
    folded_titles = [normalise(title).text.replace(" ", "") for title in workload.titles]
    print(f"{len(workload.marks)} brands as marks, {len(workload.titles)} real titles, "
          f"{sum(map(len, named.values()))} annotated mentions; one core each")
    totals = _take_turns(workload, args.baseline_titles)
    rates = {}
    for side, result in totals.items():
        rates[side] = result["titles"] / result["seconds"]
        given: set[int] = result["given"]
        flagged = {(index, brand_of[mark_id]) for index, mark_id in result["flagged"]}
        absent = sum(1 for index, brand in flagged
                     if normalise(brand).text.replace(" ", "") not in folded_titles[index])
        mentions = {(index, brand) for index in given for brand in named.get(index, ())
                    if not _compatibility(workload.titles[index], brand)}
        recall = len(mentions & flagged) / max(1, len(mentions))
        print(f"{side:<9} {result['titles']:>6} titles  {rates[side]:>8.0f} titles/s  peak {result['peak_mib']:>5.0f} MiB"
              f"  mention recall {recall:.3f} ({len(mentions & flagged)}/{len(mentions)})"
              f"  flags for a brand not in the title: {1000 * absent / len(given):.1f} per 1,000 titles")
    print(f"matcher index built in {totals['matcher']['build_seconds']:.1f} s (not counted above)")
    print(f"throughput ratio matcher/baseline: {rates['matcher'] / rates['baseline']:.1f}x")


def _compatibility(title: str, brand: str) -> bool:
    """Whether `brand` is named in `title` only after compatibility or accessory wording."""
    at = title.lower().find(brand.lower())
    return at >= 0 and COMPATIBILITY.search(title[max(0, at - 8):at]) is not None


if __name__ == "__main__":
    main()
