"""A seller network's record: confirmed infringements and takedowns, the evidence that raises severity.

The office's credit supervision asks two questions of every new alert:

- **repeat infringer** — has this seller's network had REPEAT_CONFIRMED or more alerts
  confirmed as infringements (any mark)? Severity goes up one step.
- **relisting** — did the platform already take down a listing of this network for the same
  mark? Then this is the same goods back again: severity is high.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.phrases import N_, Phrase, message
from ..core.storage.models import AlertRow, ListingRow
from ..matchers.records import Reason
from .sellers import Network, Seller, seller_network
from .workflow import CONFIRMED_STATES, TAKEN_DOWN_STATES

RELISTED_BEFORE = message("relisted_before", N_(
    "relisted: the seller network's listing for this mark was taken down before (alert {alerts}){linked}"))
REPEAT_INFRINGER = message("repeat_infringer", N_(
    "repeat infringer: {count} confirmed infringement(s) by the seller network{linked}"))
LINKED_SELLERS = message("linked_sellers", N_(" — linked sellers: {sellers}"))
RELISTED = message("relisted", N_("relisted: this listing was taken down and is on sale again"))

REPEAT_CONFIRMED = 2
TECHNIQUE = "seller_history"


@dataclass(frozen=True, slots=True)
class SellerHistory:
    """What the network of a listing's seller did before: alerts confirmed, listings taken down."""

    network: Network
    confirmed: tuple[int, ...] = ()  # alert ids, other listings of the network, any mark
    taken_down: tuple[int, ...] = ()  # alert ids for the same mark whose listing was taken down
    sellers_with_record: tuple[Seller, ...] = ()

    @property
    def repeat_infringer(self) -> bool:
        return len(self.confirmed) >= REPEAT_CONFIRMED

    @property
    def relisting(self) -> bool:
        return bool(self.taken_down)

    def reasons(self) -> list[Reason]:
        """The history as sentences for the brand owner and the office."""
        reasons = []
        linked = self._linked()
        if self.relisting:
            ids = ", ".join(f"#{i}" for i in self.taken_down[:5])
            reasons.append(Reason.of(TECHNIQUE, RELISTED_BEFORE, alerts=ids, linked=linked))
        if self.repeat_infringer:
            reasons.append(Reason.of(TECHNIQUE, REPEAT_INFRINGER, count=len(self.confirmed), linked=linked))
        return reasons

    def _linked(self) -> Phrase | str:
        others = [seller for seller in self.sellers_with_record if self.network.why(seller)]
        if not others:
            return ""
        words = "; ".join(f"{seller.name} ({self.network.why(seller)})" for seller in others[:3])
        return Phrase.of(LINKED_SELLERS, sellers=words)


NO_HISTORY = SellerHistory(Network(frozenset(), frozenset()))


def seller_history(session: Session, listing: ListingRow, mark_id: str) -> SellerHistory:
    """The record of the network of `listing`'s seller, leaving out `listing` itself."""
    if not listing.seller or session.scalar(
            select(AlertRow.id).where(AlertRow.state.in_(CONFIRMED_STATES)).limit(1)) is None:
        return NO_HISTORY  # nobody has a record yet (a new deployment): no network to draw
    network = seller_network(session, Seller(listing.site_id, listing.seller))
    others = network.listing_ids - {listing.id}
    if not others:
        return SellerHistory(network)
    rows = session.execute(
        select(AlertRow.id, AlertRow.state, AlertRow.mark_id, ListingRow.site_id, ListingRow.seller)
        .join(ListingRow, ListingRow.id == AlertRow.listing_id)
        .where(AlertRow.listing_id.in_(others), AlertRow.state.in_(CONFIRMED_STATES)).order_by(AlertRow.id)).all()
    confirmed = rows
    taken_down = [row for row in confirmed if row.state in TAKEN_DOWN_STATES and row.mark_id == mark_id]
    with_record = _distinct(Seller(row.site_id, row.seller) for row in confirmed)
    return SellerHistory(network, tuple(row.id for row in confirmed), tuple(row.id for row in taken_down),
                         with_record)


def _distinct(sellers: Iterable[Seller]) -> tuple[Seller, ...]:
    return tuple(dict.fromkeys(sellers))
