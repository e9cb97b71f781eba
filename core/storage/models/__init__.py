"""Tables, one module per stage that writes them. Every change here needs an Alembic revision in `migrations/versions/`.

base.py holds what they share (the declarative base and its naming convention, ids, UTC timestamps);
watchlist.py marks; listings.py sites, crawl runs, listings and images; alerts.py matches, alerts,
their audit trail, deliveries, sellers' contacts and the allow-list; evidence.py captured evidence;
triage.py accounts, cases, comments, notices and the queue's data version; scheduling.py job leases.
"""

from __future__ import annotations

from .alerts import AlertEventRow, AlertRow, AllowPatternRow, DeliveryRow, MatchRow, SellerContactRow
from .base import NAMING, Base, Id, UTCDateTime
from .evidence import EvidenceRow
from .listings import CrawlRunRow, ImageRow, ListingImageRow, ListingRow, SightingRow, SiteRow
from .scheduling import JobLeaseRow
from .triage import (
    CaseAlertRow,
    CaseCommentRow,
    CaseRow,
    DataVersionRow,
    LoginAttemptRow,
    NoticeRow,
    SessionRow,
    UserRow,
)
from .watchlist import MarkImageRow, MarkRow, MarkVariantRow

__all__ = [
    "NAMING", "AlertEventRow", "AlertRow", "AllowPatternRow", "Base", "CaseAlertRow", "CaseCommentRow", "CaseRow",
    "CrawlRunRow", "DataVersionRow", "DeliveryRow", "EvidenceRow", "Id", "ImageRow", "JobLeaseRow", "ListingImageRow",
    "ListingRow", "LoginAttemptRow", "MarkImageRow", "MarkRow", "MarkVariantRow", "MatchRow", "NoticeRow",
    "SellerContactRow", "SessionRow", "SightingRow", "SiteRow", "UTCDateTime", "UserRow",
]
