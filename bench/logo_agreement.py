"""How far apart copies and non-copies are under the logo matcher's pixel check (matchers/images/detail.py).

    python bench/logo_agreement.py                      # the calibration set
    python bench/logo_agreement.py --set heldout3       # any set of bench/image_robustness.py

The same queries `bench/image_robustness.py` makes (every transformation, pasted logos,
distractors) are searched with the logo index while the agreement bar is lowered to 0, so
every candidate the keypoints propose is kept with its agreement: the share of the
reference's drawn cells (and of the cells under its words) the photo repeats. A candidate
is true when it is the query's own reference, false otherwise (another reference, or any
reference for a distractor). It prints how many of each there are, the highest agreements
of false candidates, and, per bar, how many queries a true candidate finds and how many a
false one would. `MIN_AGREEMENT` (matchers/images/logos.py) is the bar in use. Nothing is timed.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for `bench.*`, run as a script

from bench.image_robustness import SETS, image_set
from bench.image_variants import PASTED, WHOLE, pasted
from ipwatch.core.images import open_image
from ipwatch.matchers.images import logos as logo

BARS = (0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9)


def candidates(set_name: str, per_transform: int, seed: int) -> list[tuple[int, bool, float]]:
    """(query number, true?, agreement) for every candidate the logo index verifies, at no agreement bar."""
    rng = random.Random(seed)
    references, distractors, backgrounds = image_set(set_name, rng, 240)
    index = logo.LogoIndex((position, picture.image) for position, picture in enumerate(references))
    queries: list[tuple[int, bytes]] = []
    for position, reference in enumerate(references):
        for name in [*WHOLE, PASTED]:
            for _ in range(per_transform):
                data = (pasted(reference.image, rng.choice(backgrounds).image, rng) if name == PASTED
                        else WHOLE[name](reference.image, rng))
                queries.append((position, data))
    for number, distractor in enumerate(distractors):
        data = (pasted(distractor.image, rng.choice(backgrounds).image, rng) if number % 3 == 2
                else rng.choice(list(WHOLE.values()))(distractor.image, rng))
        queries.append((-1, data))
    bar, logo.MIN_AGREEMENT = logo.MIN_AGREEMENT, 0.0
    try:
        return [(number, found.item == position, found.agreement)
                for number, (position, data) in enumerate(queries)
                for found in index.find(open_image(data))]
    finally:
        logo.MIN_AGREEMENT = bar


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", choices=SETS, default="calibration")
    parser.add_argument("--per-transform", type=int, default=2)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    found = candidates(args.set, args.per_transform, args.seed)
    true = [agreement for _, is_true, agreement in found if is_true]
    false = sorted((agreement for _, is_true, agreement in found if not is_true), reverse=True)
    print(f"{args.set}: {len(found)} candidates, {len(true)} true, {len(false)} false;"
          f" highest false agreements {[round(value, 2) for value in false[:5]]};"
          f" true agreements below 0.75: {sum(value < 0.75 for value in true)}")
    print(f"{'bar':>5s} {'queries found':>13s} {'queries with a false candidate':>31s}")
    for bar in BARS:
        hits = {number for number, is_true, agreement in found if is_true and agreement >= bar}
        misses = {number for number, is_true, agreement in found if not is_true and agreement >= bar}
        mark = "  <- MIN_AGREEMENT" if bar == logo.MIN_AGREEMENT else ""
        print(f"{bar:5.2f} {len(hits):13d} {len(misses):31d}{mark}")


if __name__ == "__main__":
    main()
