"""Robustness of the image matcher: recall per transformation, false positives on distractors.

    python bench/image_robustness.py                       # sample logos + scikit-image photographs
    python bench/image_robustness.py --set heldout2        # pictures not used in calibration (bench/image_heldout.py)
    python bench/image_robustness.py --set heldout3        # real photographs from packages (bench/image_heldout_photos.py)
    python bench/image_robustness.py --set heldout4        # wallpapers and badges never run before (bench/image_heldout_ukui.py)
    python bench/image_robustness.py --set heldout5        # photographs, plaques and GI labels never run before (bench/image_heldout_plaques.py)
    python bench/image_robustness.py --set heldout6        # photographs and packaging fronts never run before (bench/image_heldout_packs.py)
    python bench/image_robustness.py --references DIR      # any folder of reference images
    python bench/image_robustness.py --references DIR --distractors DIR2 --per-transform 6

Every reference is edited as counterfeit listings do (bench/image_variants.py) and searched
for with the same indexes the `image_copy` and `logo` matchers use; a query counts as found
when its own reference is found, and as wrong when another reference is found too. Each
distractor (photographs not among the references, windows of them, drawn product shots,
logos of other brands in the sample style, some pasted on photographs) counts as a false
positive when any reference is found. Plain pHash at 6 and 10 bits is measured on the same
queries as a baseline. Nothing here asserts a time; it prints numbers.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for `bench.image_variants`, run as a script

from bench import (  # noqa: E402
    image_heldout,
    image_heldout_packs,
    image_heldout_photos,
    image_heldout_plaques,
    image_heldout_ukui,
)
from bench.image_variants import (  # noqa: E402
    DISTRACTOR_PHOTOS,
    OTHER_BRANDS,
    PASTED,
    REFERENCE_PHOTOS,
    SAMPLE_LOGOS,
    WHOLE,
    Picture,
    drawn_logo,
    folder_pictures,
    pasted,
    product_photo,
    skimage_pictures,
    tiles,
)
from ipwatch.core.images import compute_hashes, content_of, hamming, hash_image, open_image  # noqa: E402
from ipwatch.matchers.images.copies import CopyIndex, views_of  # noqa: E402
from ipwatch.matchers.images.logos import LogoIndex  # noqa: E402

WHOLE_TARGET, PASTED_TARGET, FP_TARGET = 0.95, 0.85, 0.01


@dataclass
class Tally:
    """What one kind of query gave, per method."""

    queries: int = 0
    found: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    wrong: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    missed: Counter[str] = field(default_factory=Counter)  # reference → copies the combined search missed

    def rate(self, method: str) -> float:
        return self.found[method] / self.queries if self.queries else 0.0


class Searcher:
    """The two indexes the image matchers use, and the plain-pHash baseline, over one set of references."""

    def __init__(self, references: list[Picture]) -> None:
        started = time.perf_counter()
        views = [(position, views_of(picture.image)) for position, picture in enumerate(references)]
        self.copies = CopyIndex(views)
        self.hash_build = time.perf_counter() - started
        self.phashes = [(position, seen[0][1].phash, seen[1][1].phash) for position, seen in views]
        started = time.perf_counter()
        self.logos = LogoIndex((position, picture.image) for position, picture in enumerate(references))
        self.logo_build = time.perf_counter() - started

    def search(self, data: bytes, tally: Tally) -> dict[str, set[int]]:
        """Reference positions found in `data`, per method; the time each took is added to `tally`."""
        started = time.perf_counter()
        hashes = compute_hashes(data)
        inner = content_of(open_image(data))
        by_hashes = {found.item for found in self.copies.find(hashes, *([hash_image(inner)] if inner else []))}
        tally.seconds["hashes"] += time.perf_counter() - started
        started = time.perf_counter()
        by_logo = {found.item for found in self.logos.find(open_image(data))}
        tally.seconds["logo"] += time.perf_counter() - started
        near = {bits: {position for position, upright, mirrored in self.phashes
                       if min(hamming(hashes.phash, upright), hamming(hashes.phash, mirrored)) <= bits}
                for bits in (6, 10)}
        return {"phash<=6": near[6], "phash<=10": near[10], "hashes": by_hashes, "logo": by_logo,
                "combined": by_hashes | by_logo}


METHODS = ("phash<=6", "phash<=10", "hashes", "logo", "combined")


def default_references() -> list[Picture]:
    logos = [Picture(path.name, open_image(path.read_bytes())) for path in sorted(SAMPLE_LOGOS.glob("*.png"))]
    return logos + skimage_pictures(REFERENCE_PHOTOS)


def default_distractors(rng: random.Random, photos: list[Picture], count: int) -> list[Picture]:
    drawn = [Picture(f"product-{n}", product_photo(f"distractor-{n}")) for n in range(count // 4)]
    brands = [Picture(f"logo-{name}", drawn_logo(name, rng)) for name in OTHER_BRANDS]
    return photos + list(tiles(photos, rng, count // 2)) + drawn + brands


def run(references: list[Picture], distractors: list[Picture], backgrounds: list[Picture],
        per_transform: int, rng: random.Random) -> tuple[dict[str, Tally], Tally, Searcher]:
    searcher = Searcher(references)
    tallies: dict[str, Tally] = {name: Tally() for name in [*WHOLE, PASTED]}
    for position, reference in enumerate(references):
        for name, tally in tallies.items():
            for _ in range(per_transform):
                if name == PASTED:
                    data = pasted(reference.image, rng.choice(backgrounds).image, rng)
                else:
                    data = WHOLE[name](reference.image, rng)
                found = searcher.search(data, tally)
                tally.queries += 1
                for method, positions in found.items():
                    tally.found[method] += position in positions
                    tally.wrong[method] += bool(positions - {position})
                if position not in found["combined"]:
                    tally.missed[reference.name] += 1
    false = Tally()
    for number, distractor in enumerate(distractors):
        if number % 3 == 2:  # a third of them as an unrelated picture pasted on a photograph
            data = pasted(distractor.image, rng.choice(backgrounds).image, rng)
        else:
            data = rng.choice(list(WHOLE.values()))(distractor.image, rng)
        found = searcher.search(data, false)
        false.queries += 1
        for method, positions in found.items():
            false.found[method] += bool(positions)
            if positions and method == "combined":
                print(f"  false positive: distractor {distractor.name} -> "
                      f"{', '.join(references[p].name for p in sorted(positions))}")
    return tallies, false, searcher


def report(tallies: dict[str, Tally], false: Tally, searcher: Searcher) -> None:
    head = f"{'transformation':28s} {'queries':>7s} " + " ".join(f"{m:>10s}" for m in METHODS)
    print(head + f" {'wrong ref':>9s} {'ms hashes':>9s} {'ms logo':>8s}  target")
    for name, tally in tallies.items():
        target = PASTED_TARGET if name == PASTED else WHOLE_TARGET
        verdict = "ok" if tally.rate("combined") >= target else "BELOW"
        print(f"{name:28s} {tally.queries:7d} " + " ".join(f"{tally.rate(m):10.3f}" for m in METHODS)
              + f" {tally.wrong['combined']:9d} {1000 * tally.seconds['hashes'] / tally.queries:9.1f}"
              f" {1000 * tally.seconds['logo'] / tally.queries:8.1f}  >= {target:.2f} {verdict}")
    verdict = "ok" if false.rate("combined") <= FP_TARGET else "ABOVE"
    print(f"{'distractors: false positives':28s} {false.queries:7d} "
          + " ".join(f"{false.rate(m):10.3f}" for m in METHODS)
          + f" {'':9s} {1000 * false.seconds['hashes'] / false.queries:9.1f}"
          f" {1000 * false.seconds['logo'] / false.queries:8.1f}  <= {FP_TARGET:.2f} {verdict}")
    for name, tally in tallies.items():
        if tally.missed:
            print(f"missed, {name}: " + ", ".join(f"{ref} x{count}" for ref, count in sorted(tally.missed.items())))
    print(f"index build: hashes {searcher.hash_build:.2f} s, local features {searcher.logo_build:.2f} s"
          f" for {len(searcher.phashes)} references (each also mirrored)")


# held-out editions drawn from installed packages: a module each, with references(), distractors(), backgrounds()
PACKAGED = {"heldout3": image_heldout_photos, "heldout4": image_heldout_ukui, "heldout5": image_heldout_plaques,
            "heldout6": image_heldout_packs}
SETS = ("calibration", "heldout1", "heldout2", *PACKAGED)


def image_set(name: str, rng: random.Random, distractor_count: int) -> tuple[list[Picture], list[Picture],
                                                                              list[Picture]]:
    """References, distractors and backgrounds of the set called `name` (one of `SETS`)."""
    if name in PACKAGED:
        edition = PACKAGED[name]
        return edition.references(), edition.distractors(rng, distractor_count), edition.backgrounds()
    if name.startswith("heldout"):
        number = int(name[-1])
        return (image_heldout.references(number), image_heldout.distractors(number, rng, distractor_count),
                image_heldout.backgrounds(number))
    photos = skimage_pictures(DISTRACTOR_PHOTOS)
    distractors = default_distractors(rng, photos, distractor_count)  # references() draws no random numbers
    backgrounds = [*[photo for photo in photos if min(photo.image.size) >= 256],
                   *[Picture(f"backdrop-{n}", product_photo(f"backdrop-{n}", 800)) for n in range(4)]]
    return default_references(), distractors, backgrounds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", choices=SETS, default="calibration",
                        help="generated sets: the calibration one, or a held-out edition (bench/image_heldout.py;"
                             " heldout3: real photographs, bench/image_heldout_photos.py; heldout4: wallpapers"
                             " and product badges, bench/image_heldout_ukui.py; heldout5: photographs, shop plaques"
                             " and GI labels, bench/image_heldout_plaques.py; heldout6: photographs and packaging"
                             " fronts, bench/image_heldout_packs.py)")
    parser.add_argument("--references", type=Path, help="folder of reference images (default: samples)")
    parser.add_argument("--distractors", type=Path, help="folder of images that match no reference")
    parser.add_argument("--backgrounds", type=Path, help="folder of photographs to paste references on")
    parser.add_argument("--per-transform", type=int, default=4, help="edited copies per reference and transformation")
    parser.add_argument("--distractor-count", type=int, default=240, help="generated distractors (default set)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    references, distractors, backgrounds = image_set(args.set, rng, args.distractor_count)
    references = folder_pictures(args.references) if args.references else references
    distractors = folder_pictures(args.distractors) if args.distractors else distractors
    backgrounds = folder_pictures(args.backgrounds) if args.backgrounds else backgrounds
    print(f"{args.set} set: {len(references)} references, {len(distractors)} distractors, {len(backgrounds)} backgrounds,"
          f" {args.per_transform} copies per reference and transformation, seed {args.seed}")
    tallies, false, searcher = run(references, distractors, backgrounds, args.per_transform, rng)
    report(tallies, false, searcher)


if __name__ == "__main__":
    main()
