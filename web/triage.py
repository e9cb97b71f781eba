"""The triage queue: alerts filtered by severity, mark, kind, site, seller, state and date, sorted."""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo
from typing import Any, Literal
from urllib.parse import urlencode

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from ..core.storage.models import AlertRow, CaseAlertRow, ListingRow, MarkRow, SiteRow
from .access import NotVisible, scoped
from .clock import midnight
from .users import User

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


# The columns a queue row shows, named as AlertItem's fields: whole rows would also load and decode
# the JSON columns (reasons, problems, the mark's record), a third of a page's Python time.
ITEM_COLUMNS = (
    AlertRow.id, AlertRow.severity, AlertRow.state, AlertRow.score, MarkRow.id.label("mark_id"),
    MarkRow.name.label("mark_name"), MarkRow.kind.label("mark_kind"), MarkRow.owner, SiteRow.name.label("site"),
    ListingRow.title, ListingRow.seller, ListingRow.price, ListingRow.currency, ListingRow.url.label("listing_url"),
    ListingRow.id.label("listing_id"), CaseAlertRow.case_id, AlertRow.created_at, AlertRow.updated_at,
)


def _base() -> Select[*tuple[Any, ...]]:
    return (
        select(*ITEM_COLUMNS)
        .select_from(AlertRow)
        .join(ListingRow, AlertRow.listing_id == ListingRow.id)
        .join(MarkRow, AlertRow.mark_id == MarkRow.id)
        .join(SiteRow, ListingRow.site_id == SiteRow.id)
        .join(CaseAlertRow, CaseAlertRow.alert_id == AlertRow.id, isouter=True)
    )


FEW_LISTINGS = 2_000  # a word that matches at most this many listings is looked up once per page


def _listing_words(f: AlertFilter) -> list[Any]:
    words = []
    if f.seller:
        words.append(func.lower(ListingRow.seller).contains(f.seller.strip().lower(), autoescape=True))
    if f.q:
        words.append(func.lower(ListingRow.title).contains(f.q.strip().lower(), autoescape=True))
    return words


def _few_listings(session: Session, f: AlertFilter) -> list[int] | None:
    """The ids of the listings whose seller and title match `f`'s words, if there are few; else None."""
    words = _listing_words(f)
    if not words:
        return None
    ids = list(session.scalars(select(ListingRow.id).where(*words).limit(FEW_LISTINGS + 1)))
    return ids if len(ids) <= FEW_LISTINGS else None


def _where(query: Select[Any], f: AlertFilter, zone: tzinfo, listings: list[int] | None = None) -> Select[Any]:
    words = _listing_words(f)
    if words:
        # The listings whose words match, first: then only their alerts are sorted. Read alert by alert
        # in the queue's order instead, a rare word cost a look-up of every listing (SQLite: 250 ms for
        # 100,000 alerts, 25 ms this way; PostgreSQL answers the words from a trigram index). When few
        # match, their ids (`listings`, found once) serve both the count and the page.
        matching = listings if listings is not None else select(ListingRow.id).where(*words).correlate(None)
        query = query.where(AlertRow.listing_id.in_(matching))
    if f.severity:
        query = query.where(AlertRow.severity == f.severity)
    if f.mark:
        query = query.where(AlertRow.mark_id == f.mark)
    if f.kind:
        query = query.where(MarkRow.kind == f.kind)
    if f.site:
        query = query.where(SiteRow.name == f.site)
    if f.state:
        query = query.where(AlertRow.state == f.state)
    if f.since:
        query = query.where(AlertRow.created_at >= midnight(f.since, zone))
    if f.until:
        query = query.where(AlertRow.created_at < midnight(f.until + timedelta(days=1), zone))
    return query


def _item(row: Any) -> AlertItem:
    return AlertItem(**row._mapping)


ALERT_SORTS = frozenset({"created", "updated", "severity", "score", "state"})  # columns of the alerts table


def _narrow(query: Select[Any], user: User, f: AlertFilter, zone: tzinfo,
            listings: list[int] | None = None) -> Select[Any]:
    """`query` on the alerts table, joined only to the tables `f`'s conditions (and `user`'s scope) name,
    then filtered. Every join of `_base` follows a foreign key that cannot be null and the case link is
    at most one row, so leaving one out changes neither which alerts match nor how many."""
    if not user.sees_all or f.kind:
        query = query.join(MarkRow, AlertRow.mark_id == MarkRow.id)
    if f.site:
        query = query.join(ListingRow, AlertRow.listing_id == ListingRow.id)
        query = query.join(SiteRow, ListingRow.site_id == SiteRow.id)
    return _where(scoped(query, user), f, zone, listings)


def find_alerts(session: Session, user: User, f: AlertFilter, zone: tzinfo, *, export: bool = False,
                total: int | None = None) -> tuple[list[AlertItem], int]:
    """The page of alerts `f` selects among those `user` may see, and how many match in all (counted
    unless `total` gives it: the count does not depend on the sort or the page). `f`'s days are days in `zone`."""
    listings = _few_listings(session, f)
    if total is None:
        total = session.scalar(_narrow(select(func.count()).select_from(AlertRow), user, f, zone, listings)) or 0
    column = SORT_COLUMNS[f.sort]
    order = (column.asc() if f.order == "asc" else column.desc(),
             AlertRow.id.asc() if f.order == "asc" else AlertRow.id.desc())
    if f.sort in ALERT_SORTS:
        # Sorted and cut on the alerts table alone, then joined for the page's rows only: with
        # 100,000 alerts a sort over the full join took most of the page's time (bench/load_ui.py).
        page = _narrow(select(AlertRow.id), user, f, zone, listings).order_by(*order)
        page = page.limit(EXPORT_LIMIT) if export else page.limit(f.limit).offset(f.offset)
        ordered = _base().where(AlertRow.id.in_(page.scalar_subquery())).order_by(*order)
    else:
        ordered = _where(scoped(_base(), user), f, zone, listings).order_by(*order)
        ordered = ordered.limit(EXPORT_LIMIT) if export else ordered.limit(f.limit).offset(f.offset)
    return [_item(row) for row in session.execute(ordered)], total


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
    return _item(row)
