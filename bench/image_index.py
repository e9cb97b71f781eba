"""Query latency against 1,000,000 stored 64-bit hashes: multi-index hashing beside two baselines.

    python bench/image_index.py                  # 1,000,000 hashes, radius = the calibrated pHash bits
    python bench/image_index.py --size 200000 --python-queries 5

Measured in one run, on the same hashes and queries:
- a pure-Python linear scan over imagehash `ImageHash` objects (`query - stored <= radius`);
- a BK-tree in pure Python (the classic metric tree for Hamming distance);
- the plain NumPy scan: XOR and popcount (`np.bitwise_count`) over every stored hash;
- `matchers.images.hamming.HammingIndex` (multi-index hashing) with 2 to 6 pieces.
Every fast answer is compared with the exhaustive scan's (recall must be identical). Two
collections: uniform random hashes, and families of near-duplicates (as an index holding
many edited copies of the same pictures has). Half of the queries are stored hashes with
up to `radius` bits flipped, half are random. Prints numbers; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc
from collections.abc import Callable

import imagehash
import numpy as np

from ipwatch.matchers.images.copies import PHASH_BITS
from ipwatch.matchers.images.hamming import PIECES, HammingIndex


def uniform(rng: np.random.Generator, size: int) -> np.ndarray:
    return rng.integers(0, 2**64 - 1, size=size, dtype=np.uint64, endpoint=True)


def families(rng: np.random.Generator, size: int, family: int = 100, spread: int = 12) -> np.ndarray:
    """`size // family` random hashes, each with `family` copies that have up to `spread` bits flipped."""
    bases = np.repeat(uniform(rng, size // family), family)
    masks = np.zeros(len(bases), dtype=np.uint64)
    flips = rng.integers(0, spread + 1, size=len(bases))
    for step in range(spread):
        bits = rng.integers(0, 64, size=len(bases)).astype(np.uint64)
        masks ^= np.where(flips > step, np.uint64(1) << bits, np.uint64(0))
    return bases ^ masks


def queries(rng: np.random.Generator, stored: np.ndarray, count: int, radius: int) -> list[int]:
    """Half stored hashes with 0..radius bits flipped (they have answers), half random hashes."""
    chosen = [int(value) for value in stored[rng.integers(0, len(stored), size=count // 2)]]
    near = []
    for value in chosen:
        for bit in rng.choice(64, size=int(rng.integers(0, radius + 1)), replace=False):
            value ^= 1 << int(bit)
        near.append(value)
    return near + [int(value) for value in uniform(rng, count - len(near))]


class BKTree:
    """A Burkhard-Keller tree over Python ints with Hamming distance: the textbook alternative."""

    def __init__(self, values: np.ndarray) -> None:
        items = values.tolist()
        self.root: tuple[int, int, dict] = (items[0], 0, {})
        for position, value in enumerate(items[1:], start=1):
            node = self.root
            while True:
                distance = (value ^ node[0]).bit_count()
                child = node[2].get(distance)
                if child is None:
                    node[2][distance] = (value, position, {})
                    break
                node = child

    def search(self, query: int, radius: int) -> list[int]:
        found, stack = [], [self.root]
        while stack:
            value, position, children = stack.pop()
            distance = (value ^ query).bit_count()
            if distance <= radius:
                found.append(position)
            stack.extend(child for key, child in children.items() if distance - radius <= key <= distance + radius)
        return sorted(found)


def timed(function: Callable[[int], object], values: list[int]) -> tuple[list[float], list[object]]:
    seconds, answers = [], []
    for value in values:
        started = time.perf_counter()
        answers.append(function(value))
        seconds.append(time.perf_counter() - started)
    return seconds, answers


def describe(seconds: list[float]) -> str:
    ordered = sorted(seconds)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return f"mean {1000 * statistics.fmean(seconds):9.3f} ms  p50 {1000 * ordered[len(ordered) // 2]:9.3f} ms  p99 {1000 * p99:9.3f} ms"


def bench(name: str, stored: np.ndarray, asked: list[int], radius: int, python_queries: int) -> None:
    print(f"\n== {name}: {len(stored):,} hashes, radius {radius} bits, {len(asked)} queries")
    exhaustive = HammingIndex(stored, max_distance=radius, pieces=1)
    scan_seconds, truth = timed(lambda q: exhaustive.scan(q)[0], asked)
    answers = sum(len(t) for t in truth)  # type: ignore[arg-type]
    print(f"{'numpy XOR+popcount scan':30s} {describe(scan_seconds)}  ({answers} answers in all)")
    numpy_mean = statistics.fmean(scan_seconds)

    tracemalloc.start()
    started = time.perf_counter()
    bits = np.unpackbits(stored.astype(">u8").view(np.uint8)).reshape(-1, 8, 8).astype(bool)  # as hex_to_hash
    objects = [imagehash.ImageHash(square) for square in bits]
    build = time.perf_counter() - started
    memory = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    sample = asked[:python_queries]

    def python_scan(query: int) -> list[int]:
        target = imagehash.hex_to_hash(f"{query:016x}")
        return [position for position, stored_hash in enumerate(objects) if target - stored_hash <= radius]

    python_seconds, python_answers = timed(python_scan, sample)
    python_mean = statistics.fmean(python_seconds)
    same = all(list(a) == list(b) for a, b in zip(python_answers, truth, strict=False))  # type: ignore[arg-type]
    print(f"{'pure Python, ImageHash objects':30s} mean {1000 * python_mean:9.1f} ms over {len(sample)} queries;"
          f" build {build:.1f} s, {memory / len(stored):.0f} bytes/hash; same answers: {same}")
    objects.clear()
    del bits
    print(f"{'':30s} numpy scan is {python_mean / numpy_mean:,.0f}x the pure-Python scan")

    started = time.perf_counter()
    tree = BKTree(stored)
    build = time.perf_counter() - started
    tree_seconds, tree_answers = timed(lambda q: tree.search(q, radius), sample)
    same = all(list(a) == list(b) for a, b in zip(tree_answers, truth, strict=False))  # type: ignore[arg-type]
    print(f"{'BK-tree, pure Python':30s} mean {1000 * statistics.fmean(tree_seconds):9.1f} ms over {len(sample)} queries;"
          f" build {build:.1f} s; same answers: {same}")

    for pieces in (2, 3, 4, 5, 6):
        started = time.perf_counter()
        index = HammingIndex(stored, max_distance=radius, pieces=pieces)
        build = time.perf_counter() - started
        seconds, found = timed(lambda q, index=index: index.search(q)[0], asked)
        same = all(np.array_equal(a, b) for a, b in zip(found, truth, strict=False))  # type: ignore[arg-type]
        chosen = "  <- PIECES" if pieces == PIECES else ""
        print(f"{f'multi-index hashing, {pieces} pieces':30s} {describe(seconds)}  build {build:5.2f} s,"
              f" {index.nbytes / len(stored):5.1f} bytes/hash, recall = exhaustive: {same},"
              f" {python_mean / statistics.fmean(seconds):,.0f}x pure Python,"
              f" {numpy_mean / statistics.fmean(seconds):.1f}x numpy scan{chosen}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--python-queries", type=int, default=3, help="queries for the slow pure-Python baselines")
    parser.add_argument("--radius", type=int, default=PHASH_BITS, help="bits (default: the calibrated pHash radius)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    for name, make in (("uniform random hashes", uniform), ("families of near-duplicates", families)):
        stored = make(rng, args.size)
        bench(name, stored, queries(rng, stored, args.queries, args.radius), args.radius, args.python_queries)


if __name__ == "__main__":
    main()
