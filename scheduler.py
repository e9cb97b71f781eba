"""Scheduled jobs (APScheduler): the office's monitoring plan (core/plan.py), each job a named function
taking `Settings` and calling one step of the pipeline, or of evidence upkeep.

- Jobs live in a SQLAlchemy job store in ipwatch's own database (table `scheduler_jobs`), so they
  survive restarts: at start the plan is compared with the stored jobs, and a job whose plan entry is
  unchanged keeps its stored next run time, so runs missed while nothing ran are seen as missed
  (`misfire: run_once` runs one catch-up run within `grace`; `skip` lets them go).
- coalesce, max_instances=1 and a misfire grace: a slow crawl never piles up.
- A site's round runs in a child process (`pipeline.round_in_child`): Scrapy's reactor cannot restart in
  a process. The child's output goes to data_dir/logs/; its exit code, log and error end up on its runs.
- Several schedulers may share one database (PostgreSQL): before running a job for a scheduled time,
  a scheduler claims that run in `job_leases` with one conditional UPDATE (core/leases.py).

Job arguments are plain names, never the settings (which may hold secrets): the scheduler's executor
hands each job the `Settings` that `build_scheduler()` was given.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Sequence
from types import FrameType

from apscheduler.jobstores.base import ConflictingIdError
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_STOPPED, BaseScheduler
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from .core.leases import LeasedExecutor, Leases
from .core.plan import Plan, default_plan, read_plan
from .core.settings import Settings
from .core.storage.engine import Database
from .core.timetable import timetable
from .pipeline import deliver_alerts, round_in_child, signal_children
from .pipeline.rounds import ROUND_TIMEOUT_S, TERM_GRACE_S

log = logging.getLogger(__name__)


# -- the jobs: each a named function of Settings calling one step -------------------------------------

def crawl(settings: Settings, site: str, processes: int = 1) -> str:
    """A round of one site (crawl, match, evidence, delivery) in a child process; how it ended."""
    return round_in_child(settings, site, processes)


def deliver(settings: Settings) -> str:
    """Send the pending alert deliveries (one pass)."""
    return deliver_alerts(settings).summary()


def digest(settings: Settings) -> str:
    """At a digest hour: a delivery pass, which sends every recipient's due digest as one message."""
    return deliver(settings)


def verify_evidence(settings: Settings) -> str:
    """Check the evidence hash chain and every file it names; a break is logged as an error."""
    from .evidence import chain

    result = chain.verify(settings.evidence_dir)
    for problem in result.problems:
        log.error("evidence chain: %s", problem)
    if not result.intact:
        return f"BROKEN: {len(result.problems)} problem(s); {chain.REMEDY}"
    return f"intact: {result.entries} entries, {result.files} files"


def cleanup(settings: Settings, raw_days: int = 30, delivered_days: int = 90) -> str:
    """Retention: raw captures no alert needs, old delivered messages, old crawl logs (evidence/retention.py)."""
    from .evidence.retention import clean

    with Database(settings) as database:
        return clean(database, settings, raw_days=raw_days, delivered_days=delivered_days).summary()


JOBS: dict[str, Callable[..., str]] = {"crawl": crawl, "deliver": deliver, "digest": digest,
                                       "verify": verify_evidence, "cleanup": cleanup}


def run_named(name: str, *args: object, settings: Settings | None = None) -> str:
    """What the job store calls: the named job, with the `settings` the scheduler's executor gives it."""
    if settings is None:
        raise RuntimeError("scheduler jobs run only under scheduler.build_scheduler(settings, plan)")
    return JOBS[name](settings, *args)


def ttl_for(job_id: str) -> float:
    """How long a lease holds before another scheduler may take the job over (its holder died)."""
    return ROUND_TIMEOUT_S + 2 * TERM_GRACE_S if job_id.startswith("crawl:") else 3600.0


# -- the plan in the job store ---------------------------------------------------------------------------

def plan_of(settings: Settings, sites: Sequence[str] | None = None) -> Plan:
    """The plan in force: the file the `plan` setting names, else every site (default: all but demo)."""
    if settings.plan is not None:
        return read_plan(settings.plan)
    from .spiders.profile import profile_names

    return default_plan(sites or [name for name in profile_names() if name != "demo"])


def sync(scheduler: BaseScheduler, settings: Settings, plan: Plan) -> None:
    """Make the job store hold the plan: unchanged jobs keep their next run time, changed ones are
    replaced, jobs no longer planned removed. The scheduler must be started (paused is enough)."""
    wanted = timetable(settings, plan)
    ids = {job.id for job in wanted}
    for stored in scheduler.get_jobs():
        if stored.id not in ids:
            log.info("job %s is no longer planned: removed", stored.id)
            scheduler.remove_job(stored.id)
    for job in wanted:
        name = f"{job.id} [{job.signature(settings.timezone)}]"
        stored = scheduler.get_job(job.id)
        if stored is not None and stored.name == name:
            continue  # unchanged: keep its next run time, so runs missed while down are seen
        grace = int(job.when.grace) if job.when.misfire == "run_once" else 60
        options = {"id": job.id, "name": name, "args": [job.job, *job.args], "coalesce": True,
                   "max_instances": 1, "misfire_grace_time": grace, "replace_existing": stored is not None}
        try:
            scheduler.add_job(run_named, job.trigger(settings.timezone), **options)
        except ConflictingIdError:
            pass  # another scheduler stored it a moment ago


class PlanScheduler(BackgroundScheduler):
    """APScheduler's background scheduler, which also processes no jobs once it is shutting down."""

    def _process_jobs(self) -> float | None:
        if self.state == STATE_STOPPED:  # woken by shutdown: its executor is gone already
            return None
        return super()._process_jobs()


def _create_job_table(store: SQLAlchemyJobStore, database: Database) -> None:
    """Create the job store's table before APScheduler does: two schedulers starting together on
    PostgreSQL both find it missing, and the second CREATE TABLE fails (pg_type's unique index)."""
    try:
        store.jobs_t.create(database.engine, checkfirst=True)
    except (IntegrityError, OperationalError, ProgrammingError) as exc:
        if not inspect(database.engine).has_table(store.jobs_t.name):
            raise
        log.debug("job table created by another scheduler meanwhile: %s", exc.orig)


def build_scheduler(settings: Settings, plan: Plan | Sequence[str] | None = None, *,
                    blocking: bool = False, start: bool = True) -> BaseScheduler:
    """A scheduler on the database's job store holding `plan` (default: `plan_of(settings)`), started
    paused unless `start` is False; call `.resume()` to let it run jobs. (`blocking` is ignored: the
    foreground loop is `run()`.)"""
    if plan is None or not isinstance(plan, Plan):
        plan = plan_of(settings, plan)
    database = Database(settings)
    store = SQLAlchemyJobStore(engine=database.engine, tablename="scheduler_jobs")
    _create_job_table(store, database)
    executor = LeasedExecutor(Leases(database), settings, ttl_for)
    scheduler = PlanScheduler(jobstores={"default": store}, executors={"default": executor},
                              timezone=settings.timezone)
    if start:
        scheduler.start(paused=True)
        sync(scheduler, settings, plan)
    return scheduler


def run(settings: Settings, plan: Plan | None = None) -> None:
    """Run the scheduler in the foreground until SIGTERM or Ctrl-C; then stop taking jobs, stop running
    rounds cleanly (their crawl runs are recorded as 'shutdown'), wait for the jobs and exit."""
    scheduler = build_scheduler(settings, plan)
    stop = threading.Event()

    def _stop(signum: int, _frame: FrameType | None) -> None:
        log.info("signal %d: finishing running jobs, then stopping", signum)
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    scheduler.resume()
    log.info("scheduler running %d job(s); SIGTERM stops it", len(scheduler.get_jobs()))
    stop.wait()
    scheduler.pause()
    signal_children(signal.SIGTERM)
    scheduler.shutdown(wait=True)
    log.info("scheduler stopped")
