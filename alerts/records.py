"""`Alert`: a match someone must hear about, as templates and channels see it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

Severity = Literal["low", "medium", "high"]


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
    reasons: tuple[str, ...]
    site: str
    listing_url: str
    title: str
    price: float | None
    currency: str | None
    seller: str | None
    seller_location: str | None
    thumbnail: str | None  # absolute path of the first downloaded image, if any
    created_at: datetime
