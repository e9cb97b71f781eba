"""Load: the triage queue page with 100,000 alerts, 20 signed-in users at once, on 127.0.0.1.

    nice python bench/load_ui.py [--alerts 100000] [--users 20] [--requests 25] [--workers N]
                                 [--writes-per-s 5] [--no-cache] [--pg-url URL | --sqlite]

1. A fresh PostgreSQL database (created on the server of `--pg-url`, default IPWATCH_BENCH_PG_URL or
   postgresql://postgres@127.0.0.1:5432/test, dropped afterwards; `--sqlite` uses a SQLite file)
   gets 13 marks of three rights holders and N alerts with their listings and matches, spread over
   90 days, severities and states (inserted in bulk: seeding is not what is measured).
2. `ipwatch serve --no-scheduler` runs the app as deployed: its own processes on 127.0.0.1, uvicorn
   with `--workers` worker processes (default: as `ipwatch serve` does, one per CPU).
3. `--users` clients (httpx, async) each sign in — three quarters as IP-office officers, the rest as
   a brand owner, who sees a third of the alerts — and then ask for the queue page `--requests`
   times, one request after another with no pause (no think time), all users at once: the plain
   queue (the home page, half of the requests), the next pages, sorted by severity or score,
   filtered by state, mark or a word of the title (a random one of 1,000).
4. The same again while one more officer triages `--writes-per-s` alerts a second through the API
   (each move changes the queue, so the pages the app keeps per data version are computed again;
   web/queue_cache.py). `--no-cache` serves with the queue cache off (IPWATCH_QUEUE_CACHE_PAGES=0).

Printed: p50, p95 and p99 of the response time (first byte to last byte of each 200 response),
requests per second, and the same per kind of request; the target is p95 < 300 ms in both phases.
A baseline measured in the same run: the same number of requests to `/static/app.css` (a file the
server sends without touching the database), which shows what the machine's load alone costs;
p95 is also printed as a ratio to it. The load average is printed before and after.
The last lines are the reliability runner's figures (one JSON object each).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import httpx
import psycopg
from psycopg import sql
from sqlalchemy import insert, select
from sqlalchemy.engine import make_url

from ipwatch.cli.serve_cmd import cpu_count
from ipwatch.core.clock import utcnow
from ipwatch.core.settings import Settings
from ipwatch.core.storage.engine import Database
from ipwatch.core.storage.migrate import upgrade
from ipwatch.core.storage.models import AlertRow, ListingRow, MarkRow, MatchRow, SiteRow
from ipwatch.web.users import add_user

PASSWORD = "load-test-password"
OWNERS = ["内蒙古小肥羊餐饮连锁有限公司", "固阳县黄芪产业协会", "杭州娃哈哈集团有限公司"]
MARKS = [(f"mark-{i:02d}", f"商标{i:02d}", ("trademark", "gi", "old_brand")[i % 3], OWNERS[i % 3]) for i in range(13)]
SEVERITIES = ["low", "medium", "medium", "high"]
STATES = ["new"] * 6 + ["reviewing", "confirmed", "false_positive", "notice_sent"]
BATCH = 5_000
TARGET_MS = 300.0


def seed(database: Database, n: int) -> None:
    """N alerts with listings and matches, in bulk; one officer and one brand-owner account."""
    rng = random.Random(20261125)
    now = utcnow()
    with database.session() as session:
        site = SiteRow(name="load", base_url="http://127.0.0.1:9")
        session.add(site)
        session.flush()
        site_id = site.id
        session.execute(insert(MarkRow), [
            {"id": mark_id, "name": name, "kind": kind, "owner": owner, "owner_email": None,
             "record": {"id": mark_id, "name": name, "kind": kind, "owner": owner}, "updated_at": now}
            for mark_id, name, kind, owner in MARKS])
        add_user(session, "officer", PASSWORD, "officer", None)
        add_user(session, "owner", PASSWORD, "owner", OWNERS[0])
    for start in range(0, n, BATCH):
        keys = range(start, min(n, start + BATCH))
        with database.session() as session:
            listing_ids = list(session.scalars(insert(ListingRow).returning(ListingRow.id, sort_by_parameter_order=True), [
                {"site_id": site_id, "listing_key": f"L{i}", "url": f"http://127.0.0.1:9/item/L{i}",
                 "title": f"{MARKS[i % 13][1]} 火锅底料 第{i}号 {rng.choice(['包邮', '特价', '正品', '批发'])}",
                 "price": round(rng.uniform(5, 500), 2), "currency": "CNY", "seller": f"店铺{i % 4999}",
                 "content_hash": f"{i:064x}", "first_seen": now, "last_seen": now, "problems": []}
                for i in keys]))
            reasons = [{"technique": "exact", "text": "exact 商标", "delta": 0.0}]
            match_ids = list(session.scalars(insert(MatchRow).returning(MatchRow.id, sort_by_parameter_order=True), [
                {"listing_id": listing_id, "mark_id": MARKS[i % 13][0], "score": 0.9, "reasons": reasons,
                 "matched_at": now} for i, listing_id in zip(keys, listing_ids, strict=True)]))
            rows = []
            for i, listing_id, match_id in zip(keys, listing_ids, match_ids, strict=True):
                created = now - timedelta(minutes=rng.randrange(90 * 24 * 60))
                rows.append({"dedup_key": f"load:L{i}:{MARKS[i % 13][0]}", "listing_id": listing_id,
                             "mark_id": MARKS[i % 13][0], "match_id": match_id,
                             "severity": rng.choice(SEVERITIES), "state": rng.choice(STATES),
                             "score": round(rng.uniform(0.75, 1.0), 3), "reasons": reasons,
                             "content_hash": f"{i:064x}", "created_at": created, "updated_at": created})
            session.execute(insert(AlertRow), rows)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(settings: Settings, port: int, workers: int, cache: bool = True) -> subprocess.Popen[bytes]:
    """`ipwatch serve` on 127.0.0.1:port in its own processes; returns once it answers."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("IPWATCH_")}
    env.update(IPWATCH_DATA_DIR=str(settings.data_dir))
    if settings.database_url:
        env["IPWATCH_DATABASE_URL"] = settings.database_url
    if not cache:
        env["IPWATCH_QUEUE_CACHE_PAGES"] = "0"
    command = [sys.executable, "-m", "ipwatch.cli", "serve", "--no-scheduler", "--port", str(port)]
    if workers:
        command += ["--workers", str(workers)]
    # the log goes to a file: a pipe nobody reads would stall the server once its buffer is full
    log = tempfile.TemporaryFile()
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=log)
    child.stderr = log  # type: ignore[assignment]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if child.poll() is not None:
            log.seek(0)
            raise SystemExit(f"the app did not start: {log.read().decode()[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/login", timeout=2).status_code == 200:
                return child
        except httpx.TransportError:
            time.sleep(0.2)
    child.kill()
    raise SystemExit("the app did not answer within 120 s")


async def sign_in(client: httpx.AsyncClient, username: str) -> None:
    page = await client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    response = await client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token,
                                                  "next": "/alerts"})
    assert response.status_code == 303, response.text[:300]


def queue_urls(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """`count` queue-page requests: (kind, url); half of them the plain queue."""
    urls = []
    for _ in range(count):
        kind = rng.choice(["plain"] * 5 + ["page", "severity", "score", "state", "mark", "title"])
        url = {"plain": "/alerts",
               "page": f"/alerts?offset={50 * rng.randrange(1, 20)}",
               "severity": "/alerts?sort=severity",
               "score": "/alerts?sort=score&order=asc",
               "state": "/alerts?state=new",
               "mark": f"/alerts?mark={rng.choice(MARKS)[0]}",
               "title": f"/alerts?q=第{rng.randrange(1000)}号"}[kind]
        urls.append((kind, url))
    return urls


async def user(client: httpx.AsyncClient, urls: list[tuple[str, str]], timings: list[tuple[str, float]],
               failures: list[str]) -> None:
    """One user asking for `urls`, one after another."""
    for kind, url in urls:
        began = time.perf_counter()
        response = await client.get(url)
        elapsed = (time.perf_counter() - began) * 1000
        if response.status_code != 200 or (kind != "static" and b'data-testid="total"' not in response.content):
            failures.append(f"{url}: {response.status_code}")
        else:
            timings.append((kind, elapsed))


async def triage(client: httpx.AsyncClient, alerts: int, per_s: float, stop: asyncio.Event,
                 moves: list[int]) -> None:
    """One more officer moving random alerts to 'reviewing' through the API, `per_s` a second, until `stop`."""
    token = (await client.get("/api/me")).json()["csrf_token"]
    rng = random.Random(11)
    while not stop.is_set():
        response = await client.post(f"/api/alerts/{rng.randrange(1, alerts + 1)}/move", json={"to_state": "reviewing"},
                                     headers={"X-CSRF-Token": token})
        moves[response.status_code == 200] += 1  # [refused (already past 'new'), moved]
        try:
            await asyncio.wait_for(stop.wait(), timeout=1 / per_s)
        except TimeoutError:
            pass


async def load(base: str, users: int, requests: int, static: bool, *, writes_per_s: float = 0,
               alerts: int = 0) -> tuple[list[tuple[str, float]], list[str], float, list[int]]:
    """Every user signs in, then all ask at once (while one more officer triages, if `writes_per_s`);
    (timings in ms, failures, seconds, [refused, moved] triage actions)."""
    timings: list[tuple[str, float]] = []
    failures: list[str] = []
    moves = [0, 0]
    rng = random.Random(7)
    clients = [httpx.AsyncClient(base_url=base, timeout=60) for _ in range(users + (1 if writes_per_s else 0))]
    try:
        for index, client in enumerate(clients):
            await sign_in(client, "owner" if index % 4 == 3 else "officer")
        readers = clients[:users]
        plans = [[("static", "/static/app.css")] * requests if static else queue_urls(rng, requests)
                 for _ in readers]
        stop = asyncio.Event()
        writer = (asyncio.create_task(triage(clients[-1], alerts, writes_per_s, stop, moves))
                  if writes_per_s else None)
        began = time.perf_counter()
        await asyncio.gather(*(user(client, plan, timings, failures) for client, plan in zip(readers, plans, strict=False)))
        seconds = time.perf_counter() - began
        if writer is not None:
            stop.set()
            await writer
        return timings, failures, seconds, moves
    finally:
        for client in clients:
            await client.aclose()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def summary(label: str, values: list[float], seconds: float | None = None) -> str:
    rate = f", {len(values) / seconds:.1f} req/s" if seconds else ""
    return (f"{label:<34} n={len(values):>5}  p50 {percentile(values, 50):7.1f} ms  p95 {percentile(values, 95):7.1f} ms"
            f"  p99 {percentile(values, 99):7.1f} ms  mean {statistics.fmean(values):7.1f} ms{rate}")


def figure(name: str, value: float, target: str, passed: bool, unit: str = "ms") -> str:
    return json.dumps({"figure": name, "value": round(value, 1), "unit": unit, "target": target, "pass": passed},
                      ensure_ascii=False)


def load_average() -> str:
    return "load average {:.2f} {:.2f} {:.2f} (1, 5, 15 min) on {} CPUs".format(*os.getloadavg(), os.cpu_count())


def report(label: str, timings: list[tuple[str, float]], seconds: float, baseline_p95: float) -> None:
    every = [ms for _, ms in timings]
    print(summary(label, every, seconds) + f"  p95 = {percentile(every, 95) / baseline_p95:.1f} × baseline")
    for kind in ("plain", "page", "severity", "score", "state", "mark", "title"):
        some = [ms for k, ms in timings if k == kind]
        if some:
            print(summary(f"  {kind}", some))


def run(settings: Settings, args: argparse.Namespace) -> int:
    print(f"before: {load_average()}", flush=True)
    settings.ensure_dirs()
    upgrade(settings)
    database = Database(settings)
    began = time.perf_counter()
    seed(database, args.alerts)
    with database.session() as session:
        assert session.scalar(select(AlertRow.id).order_by(AlertRow.id.desc()).limit(1)) is not None
    if settings.database_url:  # vacuumed and analysed, as autovacuum leaves a table after a bulk load
        with database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    database.dispose()
    print(f"seeded {args.alerts:,} alerts in {time.perf_counter() - began:.0f} s", flush=True)
    port = free_port()
    child = serve(settings, port, args.workers, cache=not args.no_cache)
    base = f"http://127.0.0.1:{port}"
    try:
        asyncio.run(load(base, 2, 3, static=False))  # warm-up: imports, templates, connection pool
        baseline, _, baseline_s, _ = asyncio.run(load(base, args.users, args.requests, static=True))
        timings, failures, seconds, _ = asyncio.run(load(base, args.users, args.requests, static=False))
        writing: list[tuple[str, float]] = []
        if args.writes_per_s:
            writing, write_failures, writing_s, moves = asyncio.run(load(
                base, args.users, args.requests, static=False, writes_per_s=args.writes_per_s, alerts=args.alerts))
            failures += write_failures
    finally:
        child.terminate()
        child.wait(timeout=30)
    backend = "PostgreSQL" if settings.database_url else "SQLite"
    workers = args.workers or cpu_count()
    static_ms = [ms for _, ms in baseline]
    baseline_p95 = percentile(static_ms, 95)
    print(f"{args.users} users × {args.requests} requests, no think time, {args.alerts:,} alerts on {backend}, "
          f"`ipwatch serve` with {workers} worker process(es), queue cache {'off' if args.no_cache else 'on'}:")
    print(summary("baseline: /static/app.css", static_ms, baseline_s))
    report("queue page, read only", timings, seconds, baseline_p95)
    if writing:
        print(f"while one more officer triaged {args.writes_per_s:g} alert(s)/s through the API "
              f"({moves[1]} moved, {moves[0]} refused as already past 'new'):")
        report("queue page, with triage", writing, writing_s, baseline_p95)
    if failures:
        print(f"{len(failures)} failed requests, e.g. {failures[:3]}")
    print(f"after: {load_average()}")
    every = [ms for _, ms in timings]
    p95 = percentile(every, 95)
    n = f"{args.alerts:,} alerts, {args.users} users, {backend}"
    print(figure(f"queue page p50 ({n})", percentile(every, 50), "reported", True))
    print(figure(f"queue page p99 ({n})", percentile(every, 99), "reported", True))
    print(figure(f"queue page p95 / static file p95 ({n})", p95 / baseline_p95, "reported", True, unit="×"))
    print(figure(f"queue page requests per second ({n})", len(every) / seconds, "reported", True, unit="req/s"))
    print(figure(f"queue page failed requests ({n})", len(failures), "0", not failures, unit="requests"))
    passed = p95 < TARGET_MS and not failures
    if writing:
        writing_p95 = percentile([ms for _, ms in writing], 95)
        print(figure(f"queue page p95 while triaging {args.writes_per_s:g}/s ({n})", writing_p95,
                     f"< {TARGET_MS:.0f} ms", writing_p95 < TARGET_MS))
    print(figure(f"queue page p95 ({n})", p95, f"< {TARGET_MS:.0f} ms", passed))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alerts", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--requests", type=int, default=25, help="requests per user")
    parser.add_argument("--workers", type=int, default=0, help="web worker processes (0: as `ipwatch serve`, one per CPU)")
    parser.add_argument("--writes-per-s", type=float, default=5.0,
                        help="triage actions a second during the second phase (0: skip it)")
    parser.add_argument("--no-cache", action="store_true", help="serve with the queue cache off")
    parser.add_argument("--sqlite", action="store_true", help="a SQLite file instead of PostgreSQL")
    parser.add_argument("--pg-url", default=os.environ.get("IPWATCH_BENCH_PG_URL",
                                                           "postgresql://postgres@127.0.0.1:5432/test"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ipwatch-load-ui-") as folder:
        if args.sqlite:
            return run(Settings(data_dir=Path(folder) / "data"), args)
        name = f"ipwatch_load_ui_{secrets.token_hex(4)}"
        with psycopg.connect(args.pg_url, autocommit=True, connect_timeout=10) as connection:
            connection.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'")
                               .format(sql.Identifier(name)))
        url = make_url(args.pg_url).set(drivername="postgresql+psycopg", database=name)
        try:
            return run(Settings(data_dir=Path(folder) / "data",
                                database_url=url.render_as_string(hide_password=False)), args)
        finally:
            with psycopg.connect(args.pg_url, autocommit=True, connect_timeout=10) as connection:
                connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


if __name__ == "__main__":
    sys.exit(main())
