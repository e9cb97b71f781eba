"""The triage queue: alerts filtered by severity, mark, kind, site, seller, state and date, sorted."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any, Literal
from urllib.parse import urlencode

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from ipwatch.storage.models import AlertRow, CaseAlertRow, ListingRow, MarkRow, SiteRow
from web.access import NotVisible, scoped
from web.clock import LOCAL_TZ
from web.users import User

SortKey = Literal["created", "updated", "severity", "score", "mark", "site", "seller", "state", "title"]
SEVERITY_RANK = case({"high": 3, "medium": 2, "low": 1}, value=AlertRow.severity, else_=0)
SORT_COLUMNS: dict[str, Any] = {
    "created": AlertRow.created_at, "updated": AlertRow.updated_at, "severity": SEVERITY_RANK,
    "score": AlertRow.score, "mark": MarkRow.name, "site": SiteRow.name, "seller": ListingRow.seller,
    "state": AlertRow.state, "title": ListingRow.title,
}
MAX_LIMIT = 500
EXPORT_LIMIT = 50_000


class AlertFilter(BaseModel):
    """What the queue shows: every field optional; dates are days in the office's time zone."""

    model_config = ConfigDict(extra="ignore")

    severity: Literal["low", "medium", "high"] | None = None
    mark: str | None = Field(None, max_length=80, description="mark id")
    kind: Literal["trademark", "gi", "old_brand"] | None = None
    site: str | None = Field(None, max_length=80)
    seller: str | None = Field(None, max_length=200, description="part of the seller's name")
    state: str | None = Field(None, max_length=30)
    q: str | None = Field(None, max_length=200, description="part of the listing title")
    since: date | None = Field(None, ge=date(1970, 1, 1), le=date(9998, 12, 31),
                               description="created on or after this day")
    until: date | None = Field(None, ge=date(1970, 1, 1), le=date(9998, 12, 31),
                               description="created on or before this day")
    sort: SortKey = "created"
    order: Literal["asc", "desc"] = "desc"
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=10_000_000)

    @model_validator(mode="before")
    @classmethod
    def _blank_is_unset(cls, data: Any) -> Any:
        """A filter form sends every field; an empty one means 'any'. NUL never matches anything stored."""
        if isinstance(data, dict):
            if any(isinstance(value, str) and "\x00" in value for value in data.values()):
                raise ValueError("filters cannot hold NUL characters")
            return {key: value for key, value in data.items() if value not in ("", None)}
        return data

    def query_string(self, **changes: Any) -> str:
        """This filter as URL query parameters, with `changes` applied (for links and exports)."""
        values = {**self.model_dump(exclude_defaults=True, mode="json"), **changes}
        return urlencode({k: v for k, v in values.items() if v not in (None, "")})


class AlertItem(BaseModel):
    """One row of the queue."""

    id: int
    severity: str
    state: str
    score: float
    mark_id: str
    mark_name: str
    mark_kind: str
    owner: str
    site: str
    title: str
    seller: str | None
    price: float | None
    currency: str | None
    listing_url: str
    listing_id: int
    case_id: int | None
    created_at: datetime
    updated_at: datetime


def _base() -> Select[Any]:
    return (
        select(AlertRow, ListingRow, MarkRow, SiteRow.name, CaseAlertRow.case_id)
        .join(ListingRow, AlertRow.listing_id == ListingRow.id)
        .join(MarkRow, AlertRow.mark_id == MarkRow.id)
        .join(SiteRow, ListingRow.site_id == SiteRow.id)
        .join(CaseAlertRow, CaseAlertRow.alert_id == AlertRow.id, isouter=True)
    )


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=LOCAL_TZ)


def _where(query: Select[Any], f: AlertFilter) -> Select[Any]:
    if f.severity:
        query = query.where(AlertRow.severity == f.severity)
    if f.mark:
        query = query.where(AlertRow.mark_id == f.mark)
    if f.kind:
        query = query.where(MarkRow.kind == f.kind)
    if f.site:
        query = query.where(SiteRow.name == f.site)
    if f.seller:
        query = query.where(func.lower(ListingRow.seller).contains(f.seller.strip().lower(), autoescape=True))
    if f.state:
        query = query.where(AlertRow.state == f.state)
    if f.q:
        query = query.where(func.lower(ListingRow.title).contains(f.q.strip().lower(), autoescape=True))
    if f.since:
        query = query.where(AlertRow.created_at >= _local_midnight(f.since))
    if f.until:
        query = query.where(AlertRow.created_at < _local_midnight(f.until + timedelta(days=1)))
    return query


def _item(alert: AlertRow, listing: ListingRow, mark: MarkRow, site: str, case_id: int | None) -> AlertItem:
    return AlertItem(
        id=alert.id, severity=alert.severity, state=alert.state, score=alert.score, mark_id=mark.id,
        mark_name=mark.name, mark_kind=mark.kind, owner=mark.owner, site=site, title=listing.title,
        seller=listing.seller, price=listing.price, currency=listing.currency, listing_url=listing.url,
        listing_id=listing.id, case_id=case_id, created_at=alert.created_at, updated_at=alert.updated_at,
    )


ALERT_SORTS = frozenset({"created", "updated", "severity", "score", "state"})  # columns of the alerts table


def _narrow(query: Select[Any], user: User, f: AlertFilter) -> Select[Any]:
    """`query` on the alerts table, joined only to the tables `f`'s conditions (and `user`'s scope) name,
    then filtered. Every join of `_base` follows a foreign key that cannot be null and the case link is
    at most one row, so leaving one out changes neither which alerts match nor how many."""
    if not user.sees_all or f.kind:
        query = query.join(MarkRow, AlertRow.mark_id == MarkRow.id)
    if f.seller or f.q or f.site:
        query = query.join(ListingRow, AlertRow.listing_id == ListingRow.id)
    if f.site:
        query = query.join(SiteRow, ListingRow.site_id == SiteRow.id)
    return _where(scoped(query, user), f)


def find_alerts(session: Session, user: User, f: AlertFilter, *, export: bool = False) -> tuple[list[AlertItem], int]:
    """The page of alerts `f` selects among those `user` may see, and how many match in all."""
    total = session.scalar(_narrow(select(func.count()).select_from(AlertRow), user, f)) or 0
    column = SORT_COLUMNS[f.sort]
    order = (column.asc() if f.order == "asc" else column.desc(),
             AlertRow.id.asc() if f.order == "asc" else AlertRow.id.desc())
    if f.sort in ALERT_SORTS:
        # Sorted and cut on the alerts table alone, then joined for the page's rows only: with
        # 100,000 alerts a sort over the full join took most of the page's time (bench/load_ui.py).
        page = _narrow(select(AlertRow.id), user, f).order_by(*order)
        page = page.limit(EXPORT_LIMIT) if export else page.limit(f.limit).offset(f.offset)
        ordered = _base().where(AlertRow.id.in_(page.scalar_subquery())).order_by(*order)
    else:
        ordered = _where(scoped(_base(), user), f).order_by(*order)
        ordered = ordered.limit(EXPORT_LIMIT) if export else ordered.limit(f.limit).offset(f.offset)
    return [_item(*row) for row in session.execute(ordered)], total


def choices(session: Session, user: User) -> dict[str, list[Any]]:
    """The values the filter form offers: the marks `user` sees, and the sites."""
    marks = session.execute(scoped(select(MarkRow.id, MarkRow.name), user).order_by(MarkRow.id)).all()
    sites = session.scalars(select(SiteRow.name).order_by(SiteRow.name)).all()
    # States are not read here: the form offers every workflow state, and a DISTINCT over the alerts
    # cost more than the rest of the queue page with 100,000 alerts (bench/load_ui.py).
    return {"marks": [tuple(m) for m in marks], "sites": list(sites)}


def alert_item(session: Session, user: User, alert_id: int) -> AlertItem:
    """One alert as a queue row, if `user` may see it; else `NotVisible`."""
    row = session.execute(scoped(_base(), user).where(AlertRow.id == alert_id)).one_or_none()
    if row is None:
        raise NotVisible(f"alert {alert_id}")
    return _item(*row)
