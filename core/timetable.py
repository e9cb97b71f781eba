"""The plan as a timetable: every job the plan asks for, with its id, the named job and its plain
arguments, and the APScheduler trigger that says when it runs."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import select

from .plan import CleanupPlan, Plan, When
from .settings import Settings
from .storage.engine import Database
from .storage.models import MarkRow


@dataclass(frozen=True, slots=True)
class Planned:
    """One job of the plan: its id, the named job and arguments, and when it runs."""

    id: str
    job: str
    args: tuple[Any, ...]
    when: When

    def trigger(self, timezone: str) -> BaseTrigger:
        """When it runs, on the clock of `timezone`."""
        jitter = int(self.when.jitter) or None
        if self.when.every is not None:
            return IntervalTrigger(seconds=self.when.every, jitter=jitter, timezone=timezone)
        return CronTrigger(**_cron_fields(str(self.when.cron)), timezone=timezone, jitter=jitter)

    def signature(self, timezone: str) -> str:
        """Changes whenever the plan entry does: a stored job with another signature is replaced."""
        text = f"{self.job}|{self.args!r}|{self.when.model_dump_json()}|{timezone}"
        return hashlib.sha1(text.encode()).hexdigest()[:10]


def _cron_fields(crontab: str) -> dict[str, str]:
    minute, hour, day, month, day_of_week = crontab.split()
    return {"minute": minute, "hour": hour, "day": day, "month": month, "day_of_week": day_of_week}


def digest_hours(settings: Settings, plan: Plan) -> list[int]:
    """The hours digests go out: the plan's, or the digest_hour setting and every stored mark's."""
    if plan.digests is None:
        return []
    if plan.digests.hours != "auto":
        return sorted(set(plan.digests.hours))
    hours = {settings.digest_hour}
    with Database(settings) as database, database.session() as session:
        for record in session.scalars(select(MarkRow.record)):
            hour = (record or {}).get("digest_hour")
            if isinstance(hour, int) and 0 <= hour <= 23:
                hours.add(hour)
    return sorted(hours)


def timetable(settings: Settings, plan: Plan) -> list[Planned]:
    """Every job the plan asks for."""
    jobs = [Planned(f"crawl:{entry.site}", "crawl", (entry.site, entry.processes), entry) for entry in plan.crawls]
    if plan.deliver is not None:
        jobs.append(Planned("deliver", "deliver", (), plan.deliver))
    for hour in digest_hours(settings, plan):
        jobs.append(Planned(f"digest:{hour:02d}", "digest", (), When(cron=f"0 {hour} * * *", grace=6 * 3600)))
    if plan.verify is not None:
        jobs.append(Planned("verify", "verify", (), plan.verify))
    if plan.cleanup is not None:
        when: CleanupPlan = plan.cleanup
        jobs.append(Planned("cleanup", "cleanup", (when.raw_days, when.delivered_days), when))
    return jobs
