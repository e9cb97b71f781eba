"""The records of the alert stage: `Alert` as people see it, a `Notice` to send, a `DeliveryResult`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from ..matchers.records import Reason

if TYPE_CHECKING:
    from .failures import DeliveryFailed

Severity = Literal["low", "medium", "high"]
SEVERITY_RANK: dict[str, int] = {"low": 0, "medium": 1, "high": 2}


@dataclass(frozen=True, slots=True)
class Alert:
    """An alert as rendered for a person: no scoring internals, only what they act on."""

    id: int
    dedup_key: str
    mark_id: str
    mark_name: str
    mark_kind: str
    owner: str
    owner_email: str | None
    severity: Severity
    state: str
    score: float
    reasons: tuple[Reason, ...]  # shown in the reader's language; scores only to officers
    site: str
    listing_url: str
    title: str
    price: float | None
    currency: str | None
    seller: str | None
    seller_location: str | None
    thumbnail: str | None  # absolute path of the first downloaded image, if any
    created_at: datetime


@dataclass(frozen=True, slots=True)
class AlertLinks:
    """Where a reader acts on one alert: its triage page, and one-click feedback links."""

    triage: str
    confirm: str | None = None
    reject: str | None = None


@dataclass(frozen=True, slots=True)
class Notice:
    """One message to one recipient: its alerts, most severe first, and how to word it."""

    alerts: tuple[Alert, ...]
    links: Mapping[int, AlertLinks] = field(default_factory=dict)
    digest: bool = False  # the daily digest rather than an alert sent at once
    renotified: frozenset[int] = frozenset()  # alerts sent before whose listing has changed


@dataclass(frozen=True, slots=True)
class DeliveryResult:
    """What a channel did with a notice: handed over (and where), or the named failure."""

    channel: str  # the channel as printed, secrets masked
    ok: bool
    detail: str  # where it went, or why not
    message_id: str | None = None
    failure: DeliveryFailed | None = None
    written: str | None = None  # the .eml file, when e-mail went to the outbox
