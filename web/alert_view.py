"""Everything the alert page shows, gathered in one place for the page and the API."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..alerts.allowlist import AllowPattern, patterns
from ..alerts.queue import stored_reasons
from ..alerts.sellers import Seller, seller_network
from ..alerts.workflow import Clock, allowed_moves, case_of, clock, members
from ..core.clock import utcnow
from ..core.settings import Settings
from ..core.storage.models import (
    AlertEventRow,
    AlertRow,
    CaseCommentRow,
    CaseRow,
    ListingImageRow,
    ListingRow,
    MarkImageRow,
    NoticeRow,
    SiteRow,
)
from . import cases
from .access import visible_alert
from .diff import TextDiff, compare
from .evidence import EvidenceItem, evidence_for
from .notices import sites_of
from .sellers import SellerHistory, seller_history
from .users import User


@dataclass(slots=True)
class CaseView:
    """A case with its clock, the moves open to it, members, comments and notices."""

    row: CaseRow
    alerts: list[AlertRow]
    clock: Clock | None
    moves: tuple[str, ...]
    comments: list[CaseCommentRow]
    notices: list[NoticeRow]
    sites: list[str]
    assignee: str | None


@dataclass(slots=True)
class AlertDetail:
    """One alert with its listing, mark, comparison, evidence, seller, case and audit trail."""

    alert: AlertRow
    site: str
    reasons: tuple[str, ...]  # in the reader's language; with scores for the office only
    diff: TextDiff
    listing_images: list[int]  # positions that have a stored, decodable image
    reference_images: list[str]  # file names of the mark's reference images
    evidence: list[EvidenceItem]
    seller: SellerHistory
    events: list[AlertEventRow]
    case: CaseView | None
    related: list[tuple[AlertRow, str]]
    allow_patterns: list[AllowPattern] = field(default_factory=list)
    moves: tuple[str, ...] = ()
    linked_sellers: list[tuple[str, str]] = field(default_factory=list)  # (seller, what links them)


def case_view(session: Session, row: CaseRow, now: datetime | None = None) -> CaseView:
    """The case page's view of `row`."""
    now = now or utcnow()
    return CaseView(
        row=row, alerts=members(session, row),
        clock=clock(row.state, row.state_since, row.counter_notice_at),
        moves=allowed_moves(row.state, row.counter_notice_at, now), comments=cases.comments(session, row.id),
        notices=list(session.scalars(select(NoticeRow).where(NoticeRow.case_id == row.id).order_by(NoticeRow.id))),
        sites=sites_of(session, row), assignee=row.assignee.username if row.assignee else None,
    )


def listing_image_positions(session: Session, listing_id: int, images_dir: Path) -> list[int]:
    """Positions of a listing's images that were downloaded and decoded."""
    links = session.scalars(select(ListingImageRow).where(ListingImageRow.listing_id == listing_id)
                            .order_by(ListingImageRow.position))
    return [link.position for link in links
            if link.image.path and not link.image.error and (images_dir / link.image.path).is_file()]


def shown_reasons(stored: Sequence[Any] | None, user: User, language: str) -> tuple[str, ...]:
    """Stored reasons as `user` reads them: in `language`, with internal scores for officers, never for owners."""
    return tuple(reason.render(language, scores=user.role != "owner") for reason in stored_reasons(stored))


def alert_detail(session: Session, user: User, alert_id: int, settings: Settings) -> AlertDetail:
    """The alert page's content; `NotVisible` if `user` may not see the alert."""
    alert = visible_alert(session, user, alert_id)
    listing, mark = alert.listing, alert.mark
    site = session.get_one(SiteRow, listing.site_id).name
    names = [mark.name, *((mark.record or {}).get("aliases") or ())]
    case_row = case_of(session, alert.id)
    case = case_view(session, case_row) if case_row is not None else None
    now = utcnow()
    return AlertDetail(
        alert=alert, site=site, reasons=shown_reasons(alert.reasons, user, settings.language),
        diff=compare(names, listing.title),
        listing_images=listing_image_positions(session, listing.id, settings.images_dir),
        reference_images=list(session.scalars(select(MarkImageRow.name).where(MarkImageRow.mark_id == mark.id)
                                              .order_by(MarkImageRow.name))),
        evidence=evidence_for(session, listing.id, alert.id, settings.evidence_dir),
        seller=seller_history(session, user, listing.site_id, listing.seller),
        events=list(session.scalars(select(AlertEventRow).where(AlertEventRow.alert_id == alert.id)
                                    .order_by(AlertEventRow.at, AlertEventRow.id))),
        case=case, related=cases.related(session, alert, user),
        allow_patterns=patterns(session, mark.id).get(mark.id, []),
        moves=case.moves if case else allowed_moves(alert.state, None, now),
        linked_sellers=linked_sellers(session, listing),
    )


def linked_sellers(session: Session, listing: ListingRow) -> list[tuple[str, str]]:
    """Other sellers tied to this listing's seller by a shared contact or picture (alerts/sellers.py)."""
    if not listing.seller:
        return []
    network = seller_network(session, Seller(listing.site_id, listing.seller))
    sites = dict(session.execute(select(SiteRow.id, SiteRow.name)).all())
    return [(f"{seller.name} ({sites.get(seller.site_id, seller.site_id)})", network.why(seller))
            for seller in sorted(network.sellers) if network.why(seller)][:20]
