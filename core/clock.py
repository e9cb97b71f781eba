"""The clock: every stored time is timezone-aware UTC; people read it in the office's zone."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)
