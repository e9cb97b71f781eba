"""The early-warning queue under load: enqueue and deliver N alerts to a local SMTP sink.

    python bench/queue_speed.py [--alerts 100000] [--owners 1000] [--workers 2] [--pg-url URL] [--skip-pg]

For SQLite and for PostgreSQL, on a fresh database each:

1. N listings and `owners` marks (one owner and address each) are inserted directly.
2. `workers` delivery workers start (`python -m ipwatch deliver --worker`, separate processes,
   as in production), sending by SMTP to an aiosmtpd sink on 127.0.0.1.
3. N matches go through `alerts.queue.enqueue`, 200 per transaction as the match stage does,
   while the workers drain the queue.

Printed: enqueue throughput; delivery throughput (alerts and messages per second, from the
first enqueue to the last hand-over); latency percentiles (enqueue → handed to the SMTP
server, `sent_at - created_at`). Two baselines measured in the same run give the ratios:
plain INSERTs of the same number of delivery rows (what an outbox costs at least), and plain
smtplib sends of the same number of messages (what the SMTP conversation costs at least).
Nothing here asserts anything about time.

PostgreSQL: `--pg-url` (a user that may CREATE DATABASE; default IPWATCH_BENCH_PG_URL or
postgresql://postgres@127.0.0.1:5432/test). A throwaway database is created and dropped.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this file's folder is sys.path[0] and its name would shadow the standard
# library's `queue` (which psycopg and aiosmtpd import): take the folder out first.
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path.pop(0)

import argparse  # noqa: E402 - after the sys.path fix above
import os
import secrets
import signal
import smtplib
import socket
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass
from email.message import EmailMessage

import psycopg
from aiosmtpd.controller import Controller
from psycopg import sql
from sqlalchemy import func, insert, select
from sqlalchemy.engine import make_url

from ipwatch.alerts.queue import enqueue
from ipwatch.core.clock import utcnow
from ipwatch.core.settings import Settings
from ipwatch.core.storage.engine import Database
from ipwatch.core.storage.migrate import upgrade
from ipwatch.core.storage.models import AlertRow, DeliveryRow, ListingRow, MarkRow, SiteRow
from ipwatch.matchers.records import Match, Reason

REPO = Path(__file__).resolve().parent.parent
BATCH = 200  # matches per transaction, as ipwatch/stages.py
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"


class Sink:
    """An SMTP server that accepts everything and counts it."""

    def __init__(self) -> None:
        self.messages = 0

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        self.messages += 1
        return "250 OK"


@dataclass
class Result:
    database: str
    alerts: int
    messages: int
    enqueue_s: float
    deliver_s: float
    latencies: list[float]
    insert_baseline_s: float
    smtp_baseline_s: float

    def lines(self) -> list[str]:
        q = statistics.quantiles(self.latencies, n=100) if len(self.latencies) > 1 else [0.0] * 99
        enqueue_rate, baseline_rate = self.alerts / self.enqueue_s, self.alerts / self.insert_baseline_s
        msg_rate, smtp_rate = self.messages / self.deliver_s, self.messages / self.smtp_baseline_s
        return [
            f"{self.database}: {self.alerts} alerts → {self.messages} messages",
            f"  enqueue   {enqueue_rate:9.0f} alerts/s   (plain INSERT baseline {baseline_rate:9.0f}/s, "
            f"ratio {enqueue_rate / baseline_rate:.3f})",
            f"  deliver   {self.alerts / self.deliver_s:9.0f} alerts/s   {msg_rate:7.0f} messages/s "
            f"(plain smtplib baseline {smtp_rate:7.0f} messages/s, ratio {msg_rate / smtp_rate:.3f})",
            f"  latency   p50 {q[49]:.2f} s   p90 {q[89]:.2f} s   p99 {q[98]:.2f} s   max {max(self.latencies):.2f} s",
        ]


def _seed(db: Database, alerts: int, owners: int) -> tuple[list[int], list[str]]:
    """Listings and marks, inserted in bulk: not what is measured."""
    with db.session() as session:
        site = SiteRow(name="bench", base_url="http://127.0.0.1/")
        session.add(site)
        session.flush()
        session.execute(insert(MarkRow), [
            {"id": f"mark-{i:05d}", "name": f"商标{i:05d}", "kind": "trademark", "owner": f"权利人{i:05d}",
             "owner_email": f"ip{i:05d}@owner.example.org", "record": {"notify": "immediate"},
             "updated_at": utcnow()} for i in range(owners)])
        now = utcnow()
        for start in range(0, alerts, 5000):
            session.execute(insert(ListingRow), [
                {"site_id": site.id, "listing_key": str(i), "url": f"http://127.0.0.1/item/{i}",
                 "title": f"商标{i % owners:05d} 高仿 第{i}号", "price": 9.9, "currency": "CNY",
                 "seller": f"店铺{i % 997}", "content_hash": f"h{i}", "first_seen": now, "last_seen": now,
                 "problems": []} for i in range(start, min(alerts, start + 5000))])
        ids = list(session.scalars(select(ListingRow.id).order_by(ListingRow.id)))
    return ids, [f"mark-{i:05d}" for i in range(owners)]


def _enqueue_all(db: Database, listing_ids: list[int], marks: list[str]) -> float:
    started = time.perf_counter()
    for start in range(0, len(listing_ids), BATCH):
        with db.session() as session:
            rows = session.scalars(select(ListingRow).where(ListingRow.id.in_(listing_ids[start:start + BATCH]))
                                   .order_by(ListingRow.id)).all()
            mark_rows = {m.id: m for m in session.scalars(select(MarkRow))}
            for i, row in enumerate(rows, start):
                mark = mark_rows[marks[i % len(marks)]]
                match = Match("bench", row.listing_key, mark.id, 0.93,
                              (Reason("homophone", f"homophone {mark.name}"), Reason("context", "title says 高仿")))
                enqueue(session, row, match, mark)
    return time.perf_counter() - started


def _insert_baseline(db: Database, n: int) -> float:
    """Plain INSERTs of `n` delivery rows for one alert, BATCH per transaction."""
    with db.session() as session:
        alert_id = session.scalar(select(AlertRow.id).limit(1))
    started = time.perf_counter()
    for start in range(0, n, BATCH):
        with db.session() as session:
            for _ in range(min(BATCH, n - start)):
                session.add(DeliveryRow(alert_id=alert_id, channel="baseline", recipient="x@y", status="baseline",
                                        mode="immediate", attempts=0))
    elapsed = time.perf_counter() - started
    with db.session() as session:
        session.query(DeliveryRow).filter(DeliveryRow.status == "baseline").delete()
    return elapsed


def _smtp_baseline(port: int, n: int) -> float:
    """`n` messages by plain smtplib, one connection each, as the e-mail channel sends."""
    message = EmailMessage()
    message["Subject"], message["From"], message["To"] = "baseline", "a@b.org", "c@d.org"
    message.set_content("baseline " * 200)
    started = time.perf_counter()
    for _ in range(n):
        with smtplib.SMTP("127.0.0.1", port, local_hostname="bench") as smtp:
            smtp.send_message(message)
    return time.perf_counter() - started


def _workers(n: int, env: dict[str, str]) -> list[subprocess.Popen[bytes]]:
    return [subprocess.Popen([sys.executable, "-m", "ipwatch.cli", "deliver", "--worker", "--poll", "0.2"],
                             cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for _ in range(n)]


def run(name: str, settings: Settings, args: argparse.Namespace, sink: Sink, port: int) -> Result:
    upgrade(settings)
    db = Database(settings)
    listing_ids, marks = _seed(db, args.alerts, args.owners)
    env = {**os.environ, "IPWATCH_DATA_DIR": str(settings.data_dir), "IPWATCH_SMTP_HOST": "127.0.0.1",
           "IPWATCH_SMTP_PORT": str(port), "PYTHONPATH": str(REPO)}
    if settings.database_url:
        env["IPWATCH_DATABASE_URL"] = settings.database_url
    workers = _workers(args.workers, env)
    time.sleep(3)  # let them start: their import time is not the queue's
    before = sink.messages
    started = time.perf_counter()
    enqueue_s = _enqueue_all(db, listing_ids, marks)
    print(f"  {name}: {args.alerts} enqueued in {enqueue_s:.1f} s; waiting for delivery…", flush=True)
    while True:
        with db.session() as session:
            left = session.scalar(select(func.count()).select_from(DeliveryRow).where(DeliveryRow.status != "sent"))
        if not left:
            break
        time.sleep(0.2)
    deliver_s = time.perf_counter() - started
    for worker in workers:
        worker.send_signal(signal.SIGTERM)
    for worker in workers:
        worker.wait(60)
    messages = sink.messages - before
    with db.session() as session:
        latencies = [(sent - created).total_seconds() for created, sent in
                     session.execute(select(DeliveryRow.created_at, DeliveryRow.sent_at))]
    insert_s = _insert_baseline(db, args.alerts)
    smtp_s = _smtp_baseline(port, messages)
    db.dispose()
    return Result(name, args.alerts, messages, enqueue_s, deliver_s, latencies, insert_s, smtp_s)


def _fresh_pg(admin_url: str) -> tuple[str, str]:
    name = f"ipwatch_bench_{secrets.token_hex(4)}"
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as connection:
        create = sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'")
        connection.execute(create.format(sql.Identifier(name)))
    return name, make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def _drop_pg(admin_url: str, name: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alerts", type=int, default=100_000)
    parser.add_argument("--owners", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pg-url", default=os.environ.get("IPWATCH_BENCH_PG_URL", DEFAULT_PG))
    parser.add_argument("--skip-pg", action="store_true")
    args = parser.parse_args()
    sink = Sink()
    with socket.socket() as probe:  # aiosmtpd needs a port number up front
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(sink, hostname="127.0.0.1", port=port, server_hostname="localhost")
    controller.start()
    results = []
    try:
        with tempfile.TemporaryDirectory(prefix="ipwatch-bench-") as folder:
            results.append(run("sqlite", Settings(data_dir=Path(folder) / "sqlite"), args, sink, port))
            if not args.skip_pg:
                try:
                    name, url = _fresh_pg(args.pg_url)
                except psycopg.Error as exc:
                    print(f"postgresql skipped: {str(exc).strip()} — pass --pg-url or --skip-pg")
                else:
                    try:
                        results.append(run("postgresql", Settings(data_dir=Path(folder) / "pg", database_url=url),
                                           args, sink, port))
                    finally:
                        _drop_pg(args.pg_url, name)
    finally:
        controller.stop()
    print(f"\nqueue benchmark: {args.alerts} alerts, {args.owners} owners, {args.workers} worker process(es)")
    for result in results:
        print("\n".join(result.lines()))


if __name__ == "__main__":
    main()
