"""Crawl speed on the demo marketplace, static pages and Playwright pages, beside `scrapy bench`.

    python bench/crawl_speed.py [--seconds 10]

Three measurements in the same run on the same machine, each in its own process (Scrapy's reactor
runs once per process):

1. static: the demo's server-rendered search and listing pages, fetched by Scrapy;
2. playwright: the demo's JavaScript mall, search and listing pages rendered by Chromium;
3. `scrapy bench`: Scrapy's own benchmark spider against its local server, the baseline.

Pages per second = responses received / crawl time (Scrapy's stats). The ipwatch crawls include
everything a real crawl does per page (journal, block checks, extraction, WARC, storing); images
are off, as `scrapy bench` downloads none. Nothing here asserts anything about speed.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "watchlist" / "samples" / "baotou.yaml"


def child(kind: str, url: str, data_dir: str) -> None:
    """In a child process: one crawl of one demo section; prints its stats as JSON."""
    from ipwatch.core.settings import Settings
    from ipwatch.core.storage import migrate
    from ipwatch.spiders.crawl import run_crawl
    from ipwatch.spiders.profile import load_profile
    from ipwatch.spiders.queries import search_terms
    from ipwatch.watchlist.loader import load_watchlist

    settings = Settings(data_dir=Path(data_dir))
    migrate.upgrade(settings)
    profile = load_profile("demo")
    entries = [entry for entry in profile.searches if entry.needs_javascript == (kind == "playwright")][:1]
    profile = profile.model_copy(update={"base_url": url, "searches": tuple(entries), "max_images": 0,
                                         "listing_needs_javascript": kind == "playwright"})
    report = run_crawl(settings, profile, terms=search_terms(load_watchlist(SAMPLE).marks))
    keys = ("response_received_count", "elapsed_time_seconds", "playwright/request_count/resource_type/document")
    print(json.dumps({key: report.stats.get(key) for key in keys}))


def ipwatch_rate(kind: str, url: str) -> tuple[int, float]:
    with tempfile.TemporaryDirectory() as folder:
        result = subprocess.run([sys.executable, __file__, "--child", kind, url, folder], capture_output=True,
                                text=True, check=True, cwd=REPO)
    stats = json.loads(result.stdout.strip().splitlines()[-1])
    pages = stats["playwright/request_count/resource_type/document"] if kind == "playwright" \
        else stats["response_received_count"]
    return int(pages), float(stats["elapsed_time_seconds"])


def scrapy_bench_rate(seconds: int) -> tuple[int, float]:
    """`scrapy bench` in an empty folder (no project settings), for `seconds`."""
    with tempfile.TemporaryDirectory() as folder:
        result = subprocess.run([sys.executable, "-m", "scrapy", "bench", "-s", f"CLOSESPIDER_TIMEOUT={seconds}",
                                 "-s", "LOG_LEVEL=INFO"], capture_output=True, text=True, cwd=folder, check=True)
    log = result.stdout + result.stderr
    pages = re.search(r"'response_received_count': (\d+)", log)
    elapsed = re.search(r"'elapsed_time_seconds': ([\d.]+)", log)
    if not pages or not elapsed:
        raise RuntimeError("scrapy bench printed no stats:\n" + log[-2000:])
    return int(pages.group(1)), float(elapsed.group(1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=10, help="how long `scrapy bench` runs")
    parser.add_argument("--child", nargs=3, metavar=("KIND", "URL", "DATA_DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(*args.child)
        return 0
    from ipwatch.cli.demo import demo_marketplace

    rows = []
    with demo_marketplace(SAMPLE) as url:
        for kind in ("static", "playwright"):
            rows.append((f"ipwatch {kind} pages", *ipwatch_rate(kind, url)))
    rows.append(("scrapy bench (baseline)", *scrapy_bench_rate(args.seconds)))
    baseline = rows[-1][1] / rows[-1][2]
    print(f"{'crawl':28}{'pages':>8}{'seconds':>10}{'pages/s':>10}{'÷ scrapy bench':>16}")
    for name, pages, seconds in rows:
        rate = pages / seconds if seconds else 0.0
        print(f"{name:28}{pages:>8}{seconds:>10.1f}{rate:>10.1f}{rate / baseline:>16.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
