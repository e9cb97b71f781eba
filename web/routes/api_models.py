"""What the JSON API reads and writes: request and response records, documented in the OpenAPI schema."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, Field, field_validator

from ...alerts.workflow import StateName
from ..triage import AlertItem
from . import BodyId


class Problem(BaseModel):
    detail: str


class Me(BaseModel):
    username: str
    role: str
    owner: str | None
    csrf_token: str


class AlertPage(BaseModel):
    total: int
    items: list[AlertItem]


class Event(BaseModel):
    at: datetime
    actor: str
    action: str
    from_state: str | None
    to_state: str | None
    detail: dict[str, object]


class CaseOut(BaseModel):
    id: int
    owner: str
    state: str
    state_label: str
    state_since: datetime
    assignee: str | None
    alert_ids: list[int]
    due: datetime | None
    due_is_legal: bool
    allowed_moves: list[str]
    counter_notice_at: datetime | None
    notice_ids: list[int]
    sites: list[str]


class AlertOut(BaseModel):
    alert: AlertItem
    reasons: list[str]
    matched_text: str
    similarity: float
    case: CaseOut | None
    related: list[dict[str, object]]
    events: list[Event]
    allowed_moves: list[str]


def _bounded(value: datetime | None) -> datetime | None:
    if value is not None and not datetime(2000, 1, 1, tzinfo=UTC) <= value <= datetime(2100, 1, 1, tzinfo=UTC):
        raise ValueError("give a date between 2000 and 2100")
    return value


class MoveIn(BaseModel):
    to_state: StateName
    note: str | None = Field(None, max_length=5000)
    counter_notice_at: AwareDatetime | None = Field(
        None, description="when the seller's counter-notice reached the rights holder (to counter_notice only)")

    _check_date = field_validator("counter_notice_at")(_bounded)


class BulkIn(BaseModel):
    alert_ids: list[BodyId] = Field(min_length=1, max_length=500)
    action: Literal[StateName, "merge"]
    note: str | None = Field(None, max_length=5000)


class BulkOut(BaseModel):
    case_ids: list[int]


class CommentIn(BaseModel):
    body: str = Field(min_length=1, max_length=5000)


class CommentOut(BaseModel):
    id: int
    author: str
    body: str
    at: datetime


class NoticeIn(BaseModel):
    site: str = Field(min_length=1, max_length=80)


class NoticeOut(BaseModel):
    id: int
    case_id: int
    site: str
    sha256: str
    created_by: str
    created_at: datetime
    body: str
    pdf_url: str
    text_url: str


class MarkOut(BaseModel):
    id: str
    name: str
    kind: str
    owner: str
    region: str | None


class PatternIn(BaseModel):
    field: Literal["title", "seller"]
    pattern: str = Field(min_length=1, max_length=200)
    note: str | None = Field(None, max_length=2000)


class PatternOut(BaseModel):
    id: int
    mark_id: str
    field: str
    pattern: str


class Count(BaseModel):
    name: str
    count: int


class DashboardOut(BaseModel):
    days: list[str]
    by: str
    series: dict[str, list[int]]
    totals: dict[str, list[Count]]
    top_sellers: list[Count]
    resolved: int
    median_days_to_resolution: float | None
    total: int
