"""A seller's record on one site: how many listings, how many alerts, and how those ended."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..core.storage.models import AlertRow, ListingRow, MarkRow
from .access import scoped
from .users import User


@dataclass(slots=True)
class SellerHistory:
    """What is known about one seller on one site, limited to the alerts the viewer may see."""

    seller: str | None
    listings: int = 0
    first_seen: datetime | None = None
    alerts: int = 0
    by_state: Counter[str] = field(default_factory=Counter)
    marks: Counter[str] = field(default_factory=Counter)

    @property
    def repeat_offender(self) -> bool:
        return self.by_state.get("confirmed", 0) + sum(
            self.by_state.get(s, 0) for s in ("notice_sent", "measures_taken", "resolved", "relisted")) >= 2


def seller_history(session: Session, user: User, site_id: int, seller: str | None) -> SellerHistory:
    """The history of `seller` on the site with id `site_id`."""
    history = SellerHistory(seller=seller)
    if not seller:
        return history
    same = (ListingRow.site_id == site_id) & (ListingRow.seller == seller)
    history.listings, history.first_seen = session.execute(
        select(func.count(ListingRow.id), func.min(ListingRow.first_seen)).where(same)).one()
    rows = session.execute(scoped(
        select(AlertRow.state, MarkRow.name, func.count(AlertRow.id))
        .join(ListingRow, AlertRow.listing_id == ListingRow.id).join(MarkRow, AlertRow.mark_id == MarkRow.id)
        .where(same).group_by(AlertRow.state, MarkRow.name), user))
    for state, mark, n in rows:
        history.alerts += n
        history.by_state[state] += n
        history.marks[mark] += n
    return history
