"""Precision per mark: of the alerts a person decided on, the share confirmed as infringements.

Platforms reward accurate complaints, so the office watches this per mark: a mark whose alerts
are mostly rejected needs its aliases, authorised sellers or thresholds looked at.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..core.storage.models import AlertRow, MarkRow
from .workflow import CONFIRMED_STATES, SUPPRESSED_STATES


@dataclass(frozen=True, slots=True)
class MarkPrecision:
    """Decided and undecided alerts of one mark."""

    mark_id: str
    mark_name: str
    confirmed: int
    rejected: int
    undecided: int

    @property
    def precision(self) -> float | None:
        """confirmed / (confirmed + rejected); None before any decision."""
        decided = self.confirmed + self.rejected
        return self.confirmed / decided if decided else None


def precision_by_mark(session: Session) -> list[MarkPrecision]:
    """Every mark with alerts, by id: confirmed (any later workflow state too), rejected and undecided."""
    rows = session.execute(select(MarkRow.id, MarkRow.name, AlertRow.state, func.count(AlertRow.id))
                           .join(AlertRow, AlertRow.mark_id == MarkRow.id)
                           .group_by(MarkRow.id, MarkRow.name, AlertRow.state).order_by(MarkRow.id)).all()
    names: dict[str, str] = {}
    tally: dict[str, Counter[str]] = {}
    for mark_id, name, state, n in rows:
        names[mark_id] = name
        bucket = "confirmed" if state in CONFIRMED_STATES else "rejected" if state in SUPPRESSED_STATES else "undecided"
        tally.setdefault(mark_id, Counter())[bucket] += n
    return [MarkPrecision(mark_id, names[mark_id], t["confirmed"], t["rejected"], t["undecided"])
            for mark_id, t in tally.items()]
