"""Times as the Baotou office reads them: China Standard Time, durations in days and hours."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

try:
    from zoneinfo import ZoneInfo

    LOCAL_TZ: timezone | ZoneInfo = ZoneInfo("Asia/Shanghai")
except (ImportError, KeyError):  # no tz database on this machine: China has kept UTC+8 since 1991
    LOCAL_TZ = timezone(timedelta(hours=8), "CST")


def local(moment: datetime | None) -> str:
    """`moment` as `2026-11-25 22:24` in the office's time zone; an em dash for None."""
    if moment is None:
        return "—"
    return moment.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")


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
