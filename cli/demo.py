"""`ipwatch demo`: migrate, load the sample watchlist, serve the demo marketplace, crawl, match, alert, mail."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from ..core.storage.engine import Database
from ..core.storage.models import AlertRow, ListingRow, MarkRow, SiteRow

SAMPLE_WATCHLIST = Path(__file__).resolve().parent.parent / "watchlist" / "samples" / "baotou.yaml"


class MarketplaceDidNotStart(RuntimeError):
    """The demo marketplace process ended or said nothing before it listened."""


@contextmanager
def demo_marketplace(watchlist: Path, *, timeout: float = 60) -> Iterator[str]:
    """Serve the demo marketplace on 127.0.0.1 in a child process; yields its base URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "ipwatch.demo_marketplace", "--watchlist", str(watchlist), "--port", "0"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        line = process.stdout.readline().strip() if process.stdout else ""
        if not line.startswith("http://127.0.0.1:"):
            raise MarketplaceDidNotStart(f"demo marketplace printed {line!r} instead of its address")
        yield line
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def fetch_ground_truth(base_url: str) -> list[dict[str, Any]]:
    """The demo marketplace's own record of which products infringe which marks."""
    with urllib.request.urlopen(f"{base_url}/ground-truth.json", timeout=30) as response:
        return json.loads(response.read().decode("utf-8"))


@dataclass(slots=True)
class TruthCheck:
    """Alerts compared with the marketplace's ground truth."""

    infringing: int = 0
    caught: int = 0
    missed: list[str] = field(default_factory=list)
    genuine_alerted: list[str] = field(default_factory=list)
    false_alerts: list[str] = field(default_factory=list)
    unreachable: int = 0

    @property
    def perfect(self) -> bool:
        return not (self.missed or self.genuine_alerted or self.false_alerts)


def alerted_marks(database: Database, site: str) -> dict[str, set[str]]:
    """Listing key → the marks it has an alert for, on `site`."""
    result: dict[str, set[str]] = {}
    with database.session() as session:
        rows = session.execute(
            select(ListingRow.listing_key, AlertRow.mark_id)
            .join(AlertRow, AlertRow.listing_id == ListingRow.id)
            .join(SiteRow, SiteRow.id == ListingRow.site_id).where(SiteRow.name == site)
        )
        for key, mark_id in rows:
            result.setdefault(key, set()).add(mark_id)
    return result


def check_truth(truth: list[dict[str, Any]], alerted: dict[str, set[str]]) -> TruthCheck:
    """Compare alerts per listing with the expected infringed marks."""
    check = TruthCheck()
    for product in truth:
        expected, got = set(product["infringes"]), alerted.get(product["id"], set())
        if product.get("bad") == "404":
            check.unreachable += 1
            continue
        label = f"{product['id']} {product['title'][:40]}"
        if expected:
            check.infringing += 1
            if expected <= got:
                check.caught += 1
            else:
                check.missed.append(f"{label} (expected {', '.join(sorted(expected - got))})")
        if got - expected:
            bucket = check.genuine_alerted if product["case"] == "genuine" else check.false_alerts
            bucket.append(f"{label} (alerted {', '.join(sorted(got - expected))})")
    return check


def alert_counts(database: Database) -> tuple[list[tuple[str, str, str, int]], Counter[str]]:
    """Alerts per mark (id, name, kind, count) and per kind."""
    with database.session() as session:
        rows = session.execute(
            select(MarkRow.id, MarkRow.name, MarkRow.kind, func.count(AlertRow.id))
            .join(AlertRow, AlertRow.mark_id == MarkRow.id, isouter=True)
            .group_by(MarkRow.id, MarkRow.name, MarkRow.kind).order_by(MarkRow.id)
        ).all()
    per_kind: Counter[str] = Counter()
    for _id, _name, kind, count in rows:
        per_kind[kind] += count
    return list(rows), per_kind
