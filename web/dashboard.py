"""The numbers behind the dashboard: alerts over time, top sellers, time from detection to resolution."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..core.clock import utcnow
from ..core.storage.models import AlertEventRow, AlertRow, ListingRow, MarkRow, SiteRow
from .access import scoped
from .clock import midnight
from .users import User

Dimension = Literal["severity", "mark", "kind", "site", "state"]
DIMENSIONS: tuple[Dimension, ...] = ("severity", "mark", "kind", "site", "state")
SEVERITY_ORDER = ("high", "medium", "low")


@dataclass(slots=True)
class Dashboard:
    """Alerts per day split by one dimension, totals per dimension, sellers, and resolution times."""

    days: list[str]
    by: Dimension
    series: dict[str, list[int]]
    totals: dict[str, Counter[str]] = field(default_factory=dict)
    top_sellers: list[tuple[str, int]] = field(default_factory=list)
    resolved: int = 0
    median_to_resolution: timedelta | None = None
    median_by_mark: list[tuple[str, float]] = field(default_factory=list)  # (mark, days)
    total: int = 0


Row = tuple[datetime, str, str, str, str, str, str | None, int]


def _rows(session: Session, user: User, since: datetime) -> list[Row]:
    query = scoped(
        select(AlertRow.created_at, AlertRow.severity, MarkRow.name, MarkRow.kind, SiteRow.name, AlertRow.state,
               ListingRow.seller, AlertRow.id)
        .join(MarkRow, AlertRow.mark_id == MarkRow.id).join(ListingRow, AlertRow.listing_id == ListingRow.id)
        .join(SiteRow, ListingRow.site_id == SiteRow.id).where(AlertRow.created_at >= since), user)
    return [tuple(row) for row in session.execute(query)]  # type: ignore[misc]


def build(session: Session, user: User, zone: tzinfo, *, days: int = 30, by: Dimension = "severity",
          today: date | None = None) -> Dashboard:
    """The dashboard of the alerts `user` may see, created in the last `days` days (days in `zone`)."""
    today = today or utcnow().astimezone(zone).date()
    first = today - timedelta(days=days - 1)
    since = midnight(first, zone)
    labels = [(first + timedelta(days=i)) for i in range(days)]
    index = {day: i for i, day in enumerate(labels)}
    rows = _rows(session, user, since)
    per: dict[str, list[int]] = defaultdict(lambda: [0] * days)
    totals: dict[str, Counter[str]] = {name: Counter() for name in DIMENSIONS}
    sellers: Counter[str] = Counter()
    for created, severity, mark, kind, site, state, seller, _id in rows:
        values = {"severity": severity, "mark": mark, "kind": kind, "site": site, "state": state}
        day = created.astimezone(zone).date()
        if day in index:
            per[values[by]][index[day]] += 1
        for name in DIMENSIONS:
            totals[name][values[name]] += 1
        if seller:
            sellers[seller] += 1
    order = [s for s in SEVERITY_ORDER if s in per] if by == "severity" else sorted(per, key=lambda s: -sum(per[s]))
    board = Dashboard(days=[f"{d:%m-%d}" for d in labels], by=by, series={name: per[name] for name in order},
                      totals=totals, top_sellers=sellers.most_common(10), total=len(rows))
    _resolution(session, user, board)
    return board


def _resolution(session: Session, user: User, board: Dashboard) -> None:
    """Median time from an alert's creation to its first move to `resolved`, overall and per mark."""
    first_resolved = (select(AlertEventRow.alert_id, func.min(AlertEventRow.at).label("at"))
                      .where(AlertEventRow.to_state == "resolved").group_by(AlertEventRow.alert_id).subquery())
    query = scoped(select(MarkRow.name, AlertRow.created_at, first_resolved.c.at)
                   .join(first_resolved, first_resolved.c.alert_id == AlertRow.id)
                   .join(MarkRow, AlertRow.mark_id == MarkRow.id), user)
    spans: list[timedelta] = []
    per_mark: dict[str, list[float]] = defaultdict(list)
    for mark, created, resolved in session.execute(query):
        span = resolved - created
        spans.append(span)
        per_mark[mark].append(span.total_seconds() / 86400)
    board.resolved = len(spans)
    if spans:
        board.median_to_resolution = timedelta(seconds=statistics.median(s.total_seconds() for s in spans))
    board.median_by_mark = sorted(((mark, round(statistics.median(v), 1)) for mark, v in per_mark.items()),
                                  key=lambda item: -item[1])[:10]
