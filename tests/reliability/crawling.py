"""Helpers of the crawl fault tests: `ipwatch` in a child process on a data folder (SQLite, or a PostgreSQL
URL), and what a crawl left in the database (the demo profile and its ground truth: tests/demo_crawl.py)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from tests.spiders.conftest import ipwatch_env

ROOT = Path(__file__).resolve().parents[2]
WATCHLIST = """marks:
  - id: wahaha
    name: 娃哈哈
    kind: trademark
    aliases: [Wahaha]
    owner: 杭州娃哈哈集团有限公司
    owner_email: ip@wahaha.example.org
  - id: xiaofeiyang
    name: 小肥羊
    kind: trademark
    owner: 内蒙古小肥羊餐饮连锁有限公司
    owner_email: ip@xiaofeiyang.example.org
"""


def env(data: Path, database_url: str | None = None, **extra: str) -> dict[str, str]:
    """The environment of a child `ipwatch` on `data` (and `database_url`, if not SQLite in `data`)."""
    values = {**ipwatch_env(data), "PYTHONPATH": str(ROOT), **extra}
    if database_url:
        values["IPWATCH_DATABASE_URL"] = database_url
    return values


def run(environment: Mapping[str, str], *args: str, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    """`ipwatch ARGS` to the end."""
    return subprocess.run([sys.executable, "-m", "ipwatch.cli", *args], env=dict(environment), text=True,
                          capture_output=True, timeout=timeout, cwd=ROOT)


def spawn(environment: Mapping[str, str], *args: str, log: Path) -> subprocess.Popen[bytes]:
    """`ipwatch ARGS` started in the background, its output to `log`."""
    with log.open("ab") as handle:
        return subprocess.Popen([sys.executable, "-m", "ipwatch.cli", *args], env=dict(environment),
                                stdout=handle, stderr=subprocess.STDOUT, cwd=ROOT)


def db_url_of(data: Path, database_url: str | None) -> str:
    return database_url or f"sqlite:///{(data / 'ipwatch.db').resolve()}"


def count(url: str, table: str) -> int:
    """Rows in `table`, or 0 while the database or table is not there."""
    engine = create_engine(url, connect_args={"timeout": 1} if url.startswith("sqlite") else {"connect_timeout": 2})
    try:
        with engine.connect() as connection:
            return int(connection.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar() or 0)  # noqa: S608
    except Exception:  # noqa: BLE001 - busy, restarting or not yet created: nothing counted yet
        return 0
    finally:
        engine.dispose()


def state(url: str) -> dict[str, Any]:
    """What a crawl left: listings, alerts, sightings, crawl runs, evidence per alert, deliveries."""
    engine = create_engine(url)
    try:
        with engine.connect() as db:
            rows = lambda sql: db.execute(text(sql)).all()  # noqa: E731
            evidence: dict[tuple[str, str], list[str]] = {}
            for key, mark, kind in rows("SELECT l.listing_key, a.mark_id, e.kind FROM evidence e JOIN alerts a ON"
                                        " a.id = e.alert_id JOIN listings l ON l.id = a.listing_id"):
                evidence.setdefault((key, mark), []).append(kind)
            return {
                "listings": {key for (key,) in rows("SELECT listing_key FROM listings")},
                "alerts": set(rows("SELECT l.listing_key, a.mark_id FROM alerts a JOIN listings l"
                                   " ON l.id = a.listing_id")),
                "sightings": tuple(rows("SELECT COUNT(*), COUNT(DISTINCT listing_id) FROM sightings")[0]),
                "runs": [status for (status,) in rows("SELECT status FROM crawl_runs ORDER BY id")],
                "evidence": {key: sorted(kinds) for key, kinds in evidence.items()},
                "deliveries": rows("SELECT COUNT(*), COUNT(DISTINCT alert_id) FROM deliveries")[0],
            }
    finally:
        engine.dispose()
