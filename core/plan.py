"""The monitoring plan: what the scheduler runs and when, validated at the door like a watchlist.

A YAML file named by `IPWATCH_PLAN` (or `ipwatch schedule --plan FILE`); without one, the default
plan crawls every shipped site profile but `demo` every 6 hours. Example:

    crawls:
      - site: jd                    # a profile name, or a profile YAML path
        every: 6h                   # or cron: "0 */6 * * *" (on the timezone setting's clock)
        jitter: 10m                 # each run starts up to this much later, at random
        misfire: run_once           # after downtime: run_once (one catch-up run) | skip
        processes: 2                # crawler processes sharing a Redis frontier (needs IPWATCH_REDIS_URL)
    deliver: {every: 5m}            # the alert delivery pass
    digests: {hours: auto}          # digest mail: Settings.digest_hour and every mark's digest_hour
    verify: {cron: "30 3 * * *"}    # evidence hash chain
    cleanup: {cron: "0 4 * * *", raw_days: 30, delivered_days: 90}

A mistake is reported as `plan.yaml:4: crawls[0].every: '6 hours' is not a duration like 30s, 5m, 6h, 1d`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Literal

from apscheduler.triggers.cron import CronTrigger
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from .problems import FileProblems
from .yamlfile import FileKind, read_model

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$")


def seconds(value: object) -> object:
    """'90s', '5m', '6h', '1d' (or a number of seconds) as seconds."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, timedelta):
        return value.total_seconds()
    match = _DURATION.match(str(value))
    if not match:
        raise ValueError(f"{value!r} is not a duration like 30s, 5m, 6h, 1d")
    return float(match[1]) * UNITS[match[2]]


Duration = Annotated[float, BeforeValidator(seconds), Field(ge=0)]


class When(BaseModel):
    """When a job runs: `every` (a duration) or `cron` (five fields), with jitter and a misfire rule."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    every: Duration | None = None
    cron: str | None = None
    jitter: Duration = 0
    misfire: Literal["run_once", "skip"] = "run_once"
    grace: Duration = Field(24 * 3600, description="a run later than this is missed (run_once)")

    @model_validator(mode="after")
    def _one_clock(self) -> When:
        if (self.every is None) == (self.cron is None):
            raise ValueError("give exactly one of every (e.g. 6h) or cron (e.g. '0 */6 * * *')")
        if self.every is not None and self.every < 1:
            raise ValueError("every must be at least 1s")
        if self.cron is not None:
            try:
                CronTrigger.from_crontab(self.cron)
            except ValueError as exc:
                raise ValueError(f"cron {self.cron!r}: {exc}") from None
        return self


class CrawlPlan(When):
    """One site's crawl schedule."""

    site: str = Field(min_length=1)
    processes: int = Field(1, ge=1, le=64)


class CleanupPlan(When):
    """Retention: raw captures no alert needs, delivered messages, old crawl logs."""

    raw_days: int = Field(30, ge=1, description="raw WARC captures of listings not seen for this long")
    delivered_days: int = Field(90, ge=1, description="sent or cancelled deliveries older than this")


class DigestPlan(BaseModel):
    """Digest mail times: `auto` (the digest_hour setting and every mark's), or a list of hours."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    hours: Literal["auto"] | list[Annotated[int, Field(ge=0, le=23)]] = "auto"


class Plan(BaseModel):
    """The office's monitoring plan: crawls, delivery, digests, evidence verification, cleanup."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    crawls: list[CrawlPlan] = Field(default_factory=list)
    deliver: When | None = When(every=300)
    digests: DigestPlan | None = DigestPlan()
    verify: When | None = When(cron="30 3 * * *")
    cleanup: CleanupPlan | None = CleanupPlan(cron="0 4 * * *")

    @field_validator("crawls")
    @classmethod
    def _sites_once(cls, crawls: list[CrawlPlan]) -> list[CrawlPlan]:
        seen = [crawl.site for crawl in crawls]
        twice = sorted({site for site in seen if seen.count(site) > 1})
        if twice:
            raise ValueError(f"site(s) {', '.join(twice)} planned twice: give each site one schedule")
        return crawls


def default_plan(sites: Sequence[str]) -> Plan:
    """Every site in `sites` crawled every 6 hours (10 minutes' jitter), and the default jobs."""
    return Plan(crawls=[CrawlPlan(site=site, every=6 * 3600, jitter=600) for site in sites])


class PlanError(FileProblems):
    """A plan file that cannot be used; `problems` lists every thing to fix."""

    remedy = "fix each line listed, then run `ipwatch schedule --list --plan FILE` again"


PLAN = FileKind("plan", empty=None, error=PlanError,
                top="a plan is a block of 'crawls:', 'deliver:', 'digests:', 'verify:', 'cleanup:' sections")


def read_plan(path: Path) -> Plan:
    """The validated plan in `path` (an empty file is the default jobs); raises `PlanError` naming the
    line and field of each mistake."""
    return read_model(path, Plan, PLAN)
