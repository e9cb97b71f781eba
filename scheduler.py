"""Scheduled jobs (APScheduler): each job is a named function that calls one stage.

Jobs live in a SQLAlchemy job store in ipwatch's own database, so they survive restarts.
Crawls run as child processes (`ipwatch crawl PROFILE`): Scrapy's reactor cannot restart
inside one process. Job arguments are plain names, never the settings (which may hold
secrets); each job reads the one `Settings` object that `run()` was given.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
from collections.abc import Sequence
from types import FrameType

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger

from ipwatch.settings import Settings
from ipwatch.storage.engine import Database, make_engine

log = logging.getLogger(__name__)
_settings: Settings | None = None
CRAWL_TIMEOUT_S = 4 * 3600


def _current() -> Settings:
    if _settings is None:
        raise RuntimeError("scheduler jobs run only under scheduler.run(settings)")
    return _settings


def deliver_job() -> None:
    """Send the pending alert deliveries (one pass)."""
    from alerts.mail import deliver_pending

    settings = _current()
    database = Database(settings)
    try:
        log.info("deliver: %s", deliver_pending(database, settings))
    finally:
        database.dispose()


def crawl_job(profile: str) -> None:
    """Crawl one site profile in a child process, then match and deliver there."""
    result = subprocess.run([sys.executable, "-m", "ipwatch", "crawl", profile],
                            timeout=CRAWL_TIMEOUT_S, check=False)
    log.info("crawl %s ended with exit code %d", profile, result.returncode)


def build_scheduler(settings: Settings, profiles: Sequence[str], *, blocking: bool = True,
                    crawl_every_h: float = 6, deliver_every_min: float = 5) -> BaseScheduler:
    """A scheduler with a persistent job store: one crawl job per profile and the delivery job."""
    global _settings
    _settings = settings
    store = SQLAlchemyJobStore(engine=make_engine(settings.db_url), tablename="scheduler_jobs")
    kind = BlockingScheduler if blocking else BackgroundScheduler
    scheduler = kind(
        jobstores={"default": store},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
    )
    for profile in profiles:
        scheduler.add_job(crawl_job, IntervalTrigger(hours=crawl_every_h, jitter=300),
                          args=[profile], id=f"crawl:{profile}", replace_existing=True)
    scheduler.add_job(deliver_job, IntervalTrigger(minutes=deliver_every_min), id="deliver",
                      replace_existing=True)
    return scheduler


def run(settings: Settings, profiles: Sequence[str]) -> None:
    """Run the scheduler in the foreground until SIGTERM or Ctrl-C, then shut down cleanly."""
    scheduler = build_scheduler(settings, profiles)

    def _stop(signum: int, _frame: FrameType | None) -> None:
        log.info("signal %d: finishing running jobs, then stopping", signum)
        scheduler.shutdown(wait=True)

    signal.signal(signal.SIGTERM, _stop)
    scheduler.start()
