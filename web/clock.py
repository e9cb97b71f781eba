"""Times as the office reads them: in the settings' time zone (China Standard Time unless set), durations
in days and hours. Stored times are UTC; the pages, exports, notices and date filters use `office_zone`."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from ..alerts.workflow import TransitionRefused
from ..core.settings import Settings


def office_zone(settings: Settings) -> ZoneInfo:
    """The time zone people read times in: `Settings.timezone` (validated when settings are read)."""
    return ZoneInfo(settings.timezone)


def local(moment: datetime | None, zone: tzinfo) -> str:
    """`moment` as `2026-11-25 22:24` in `zone`; an em dash for None."""
    if moment is None:
        return "—"
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def midnight(day: date, zone: tzinfo) -> datetime:
    """The moment `day` begins in `zone`."""
    return datetime.combine(day, time(), tzinfo=zone)


def parse_day(text: str, zone: tzinfo) -> datetime | None:
    """A `YYYY-MM-DD` day from a form as noon in `zone` (e.g. when a counter-notice arrived); None if blank."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return datetime.combine(date.fromisoformat(text), time(12), tzinfo=zone)
    except ValueError:
        raise TransitionRefused(f"'{text[:20]}' is not a date: give it as YYYY-MM-DD") from None


def duration(span: timedelta) -> str:
    """A span as people say it: `3 d 4 h`, `5 h 10 min`, `2 min`; negative spans as positive."""
    seconds = abs(int(span.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min"
