"""How often the text matcher flags ordinary Mandarin words: pypinyin's 47,000-phrase dictionary
as listing titles against a watchlist. Every phrase that does not contain a mark's name (or
alias) and is flagged is a false positive.

    python bench/ordinary_phrases.py [--watchlist W.yaml] [--examples 5]

Weak evidence (a swap in a two-character name) needs the goods a listing names to fit the
mark; phrases name no goods, so the script also counts the worst case, as if they did. The
matcher reads jieba's common words to know ordinary words: the figures for phrases that are
not in that list show how the matcher does on words it has not been told about.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pypinyin.phrases_dict import phrases_dict  # noqa: E402

from ipwatch.matchers.rules.context import FITTING_GOODS  # noqa: E402
from ipwatch.matchers.scorer import Scorer  # noqa: E402
from ipwatch.matchers.text.normalise import normalise  # noqa: E402
from ipwatch.matchers.text.ordinary import dictionary_words  # noqa: E402
from ipwatch.spiders.records import Listing  # noqa: E402
from ipwatch.watchlist.loader import load_watchlist  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--watchlist", type=Path, default=REPO / "bench" / "data" / "match_eval_watchlist.yaml")
    parser.add_argument("--examples", type=int, default=5)
    args = parser.parse_args()
    marks = load_watchlist(args.watchlist).marks
    scorer = Scorer.from_marks(marks)
    names = {normalise(name).text for mark in marks for name in mark.names}
    known = dictionary_words()
    counts: Counter[str] = Counter()
    examples: dict[str, list[str]] = defaultdict(list)
    phrases = sorted(phrases_dict)
    for number, phrase in enumerate(phrases):
        text = normalise(phrase).text
        if any(name in text for name in names):
            counts["contain a name"] += 1
            continue
        unseen = text not in known
        counts["phrases"] += 1
        counts["phrases not in jieba's common words"] += unseen
        listing = Listing(site="phrases", listing_key=str(number), url="", title=phrase)
        for found in scorer.explain(listing):
            technique = found.reasons[0].technique
            weak_case = found.score + FITTING_GOODS if _weak(found) else found.score
            for label, score in (("flagged", found.score), ("flagged if goods fit", weak_case)):
                if score >= scorer.threshold:
                    counts[label] += 1
                    counts[f"{label}, not in jieba"] += unseen
                    counts[f"{label} by {technique}"] += 1
                    if label == "flagged if goods fit" and len(examples[technique]) < args.examples:
                        examples[technique].append(f"{phrase}→{found.mark_id}")
    print(f"watchlist: {args.watchlist.name}, {len(marks)} marks; threshold {scorer.threshold}")
    for label in ("phrases", "contain a name", "phrases not in jieba's common words"):
        print(f"{label:>40}: {counts[label]}")
    for label in ("flagged", "flagged if goods fit"):
        rate = counts[label] / counts["phrases"]
        unseen = counts[f"{label}, not in jieba"] / max(1, counts["phrases not in jieba's common words"])
        print(f"{label:>40}: {counts[label]} ({rate:.3%}); of phrases not in jieba: {unseen:.3%}")
        for key in sorted(k for k in counts if k.startswith(f"{label} by ")):
            print(f"{'':>42}{key[len(label) + 4:]}: {counts[key]}")
    for technique, found in sorted(examples.items()):
        print(f"e.g. {technique}: {', '.join(found)}")


def _weak(found: object) -> bool:
    reasons = found.reasons  # type: ignore[attr-defined]
    return reasons[0].technique in {"glyph", "homophone", "edit", "pinyin"} and all(
        reason.technique != "goods" for reason in reasons)


if __name__ == "__main__":
    main()
