"""Scheduled jobs (APScheduler): the office's monitoring plan (ipwatch/plan.py), each job a named
function taking `Settings` and calling one stage.

- Jobs live in a SQLAlchemy job store in ipwatch's own database (table `scheduler_jobs`), so they
  survive restarts: at start the plan is compared with the stored jobs, and a job whose plan entry is
  unchanged keeps its stored next run time, so runs missed while nothing ran are seen as missed
  (`misfire: run_once` runs one catch-up run within `grace`; `skip` lets them go).
- coalesce, max_instances=1 and a misfire grace: a slow crawl never piles up.
- Crawls run as child processes (`ipwatch crawl SITE`): Scrapy's reactor cannot restart in a process.
  The child's output goes to data_dir/logs/; its exit code, log and error end up on its crawl run.
- Several schedulers may share one database (PostgreSQL): before running a job for a scheduled time,
  a scheduler claims that run in `job_leases` with one conditional UPDATE; see `Leases`.

Job arguments are plain names, never the settings (which may hold secrets); each job reads the one
`Settings` object that `build_scheduler()` was given.
"""

from __future__ import annotations

import hashlib
import logging
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import FrameType
from typing import Any

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.executors.base import run_job
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.job import Job
from apscheduler.jobstores.base import ConflictingIdError
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_STOPPED, BaseScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import inspect, or_, select, update
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from .core.plan import CleanupPlan, Plan, When, default_plan, read_plan
from .core.processes import gone, process_name
from .core.settings import Settings
from .core.storage.engine import Database
from .core.storage.models import JobLeaseRow, MarkRow
from .core.clock import utcnow

log = logging.getLogger(__name__)
_settings: Settings | None = None
CRAWL_TIMEOUT_S = 4 * 3600
TERM_GRACE_S = 60
_children: set[subprocess.Popen[bytes]] = set()
_children_lock = threading.Lock()


def _current() -> Settings:
    if _settings is None:
        raise RuntimeError("scheduler jobs run only under scheduler.build_scheduler(settings, plan)")
    return _settings


# -- the jobs: each a named function of Settings calling one stage ------------------------------------

def crawl(settings: Settings, site: str, processes: int = 1) -> str:
    """Crawl one site profile in a child process (which matches and delivers); record how it ended."""
    from .spiders.profile import load_profile
    from .spiders.runs import record_exit

    profile = load_profile(site)
    started = utcnow()
    launch = f"schedule:{profile.name}:{started.strftime('%Y%m%dT%H%M%S')}"
    logs = settings.data_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    log_file = logs / f"crawl-{profile.name}-{started.strftime('%Y%m%dT%H%M%S')}.log"
    command = [sys.executable, "-m", "ipwatch.cli", "crawl", site, "--launch", launch, "--processes", str(processes)]
    with log_file.open("wb") as output:
        child = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
        with _children_lock:
            _children.add(child)
        try:
            code = child.wait(timeout=CRAWL_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            log.warning("crawl %s: still running after %d s, stopping it", profile.name, CRAWL_TIMEOUT_S)
            code = _stop(child)
        finally:
            with _children_lock:
                _children.discard(child)
    error = log_file.read_text(encoding="utf-8", errors="replace")[-4000:] if code else None
    database = Database(settings)
    try:
        with database.session() as session:
            runs = record_exit(session, site=profile.name, base_url=profile.base_url, launch=launch, since=started,
                               exit_codes=[code], log=str(log_file), error=error)
    finally:
        database.dispose()
    return f"crawl {profile.name}: exit code {code}, crawl run(s) {', '.join(map(str, runs))}"


def deliver(settings: Settings) -> str:
    """Send the pending alert deliveries (one pass)."""
    from .alerts.delivery import deliver_pending

    database = Database(settings)
    try:
        return deliver_pending(database, settings).summary()
    finally:
        database.dispose()


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
    """Retention: raw captures no alert needs, old delivered messages, old crawl logs (ipwatch/retention.py)."""
    from .evidence.retention import clean

    database = Database(settings)
    try:
        return clean(database, settings, raw_days=raw_days, delivered_days=delivered_days).summary()
    finally:
        database.dispose()


JOBS: dict[str, Callable[..., str]] = {"crawl": crawl, "deliver": deliver, "digest": digest,
                                       "verify": verify_evidence, "cleanup": cleanup}


def run_named(name: str, *args: Any) -> str:
    """What the job store calls: the named job with this scheduler's settings."""
    return JOBS[name](_current(), *args)


def _stop(child: subprocess.Popen[bytes]) -> int:
    child.terminate()  # Scrapy closes the crawl cleanly on SIGTERM: the run is recorded as 'shutdown'
    try:
        return child.wait(timeout=TERM_GRACE_S)
    except subprocess.TimeoutExpired:
        child.kill()
        return child.wait()


# -- one run of one job, across schedulers ------------------------------------------------------------

class Leases:
    """Which scheduler runs a job's scheduled run: a row lease per job in `job_leases`.

    To run job J for scheduled time T, a scheduler moves the row's `run_time` forward to T while no
    unexpired lease is held, in one UPDATE … WHERE run_time < T AND (holder IS NULL OR expires_at <
    now). On PostgreSQL a second UPDATE of the same row waits for the first to commit and then sees
    the new row, so exactly one scheduler claims the run; SQLite serialises writers the same way.
    Why not `pg_try_advisory_lock`: an advisory lock lives as long as one connection, so a crawl of
    hours would hold a connection open; it only says "someone runs J now", not "T was already run",
    so a scheduler that read the due job a moment late would run T again once the first finished;
    and it exists only on PostgreSQL. The row lease is keyed by the run, expires if its holder dies
    (after the job's timeout), works on both databases and records each job's last run.
    """

    def __init__(self, database: Database, holder: str | None = None) -> None:
        self.database = database
        self.holder = holder or process_name()

    def claim(self, job_id: str, run_time: datetime, ttl_s: float) -> bool:
        """True if this scheduler may run `job_id` for `run_time`; False if it ran or runs elsewhere."""
        now = utcnow()
        with self.database.session() as session:
            if session.get(JobLeaseRow, job_id) is None:
                try:
                    with session.begin_nested():
                        session.add(JobLeaseRow(job_id=job_id, runs=0))
                except IntegrityError:
                    pass  # another scheduler created it at the same moment
            self._free_if_holder_died(session, job_id, now)
            claimed = session.execute(
                update(JobLeaseRow)
                .where(JobLeaseRow.job_id == job_id,
                       or_(JobLeaseRow.run_time.is_(None), JobLeaseRow.run_time < run_time),
                       or_(JobLeaseRow.holder.is_(None), JobLeaseRow.expires_at < now))
                .values(holder=self.holder, run_time=run_time, expires_at=now + timedelta(seconds=ttl_s),
                        started_at=now, finished_at=None, outcome=None, runs=JobLeaseRow.runs + 1)
                .execution_options(synchronize_session=False))
            return bool(claimed.rowcount)  # type: ignore[attr-defined]

    def _free_if_holder_died(self, session: Any, job_id: str, now: datetime) -> None:
        """A lease held by a scheduler process of this machine that is gone (SIGKILL, OOM, a restarted
        container whose scheduler has our own name) is freed now, not after its TTL — hours, for a crawl."""
        holder = session.scalar(select(JobLeaseRow.holder).where(JobLeaseRow.job_id == job_id))
        if not holder or holder.rpartition(":")[0] != self.holder.rpartition(":")[0]:
            return
        if holder != self.holder and not gone(holder):
            return  # running elsewhere on this machine (another scheduler process)
        log.warning("%s: its last run was cut off (scheduler %s is gone); it runs again", job_id, holder)
        session.execute(update(JobLeaseRow).where(JobLeaseRow.job_id == job_id, JobLeaseRow.holder == holder)
                        .values(holder=None, expires_at=None, finished_at=now,
                                outcome="interrupted: the scheduler running it died")
                        .execution_options(synchronize_session=False))

    def release(self, job_id: str, outcome: str) -> None:
        """The run is over: record its outcome and free the job for its next run."""
        with self.database.session() as session:
            session.execute(update(JobLeaseRow)
                            .where(JobLeaseRow.job_id == job_id, JobLeaseRow.holder == self.holder)
                            .values(holder=None, expires_at=None, finished_at=utcnow(), outcome=outcome[:2000])
                            .execution_options(synchronize_session=False))

    def all(self) -> dict[str, JobLeaseRow]:
        with self.database.session() as session:
            return {row.job_id: row for row in session.scalars(select(JobLeaseRow))}


def _outcome(events: list[JobExecutionEvent]) -> str:
    for event in events:
        if event.code == EVENT_JOB_EXECUTED:
            return str(event.retval or "ok")
        if event.code == EVENT_JOB_ERROR:
            return f"error: {event.exception!r}"
        if event.code == EVENT_JOB_MISSED:
            return "missed"
    return "ok"


class LeasedExecutor(ThreadPoolExecutor):
    """APScheduler's thread pool, running a job's scheduled time only if this scheduler claims its lease."""

    def __init__(self, leases: Leases, max_workers: int = 10) -> None:
        super().__init__(max_workers)
        self.leases = leases

    def _do_submit_job(self, job: Job, run_times: list[datetime]) -> None:
        def leased() -> list[JobExecutionEvent]:
            events: list[JobExecutionEvent] = []
            for run_time in run_times:
                if not self.leases.claim(job.id, run_time, ttl_for(job.id)):
                    log.info("%s at %s: run by another scheduler", job.id, run_time.isoformat())
                    continue
                done: list[JobExecutionEvent] = []
                try:
                    done = run_job(job, job._jobstore_alias, [run_time], self._logger.name)
                finally:
                    self.leases.release(job.id, _outcome(done) if done else "error: interrupted")
                events += done
            return events

        def callback(future: Any) -> None:
            if future.exception():
                self._run_job_error(job.id, future.exception(), None)
            else:
                self._run_job_success(job.id, future.result())

        self._pool.submit(leased).add_done_callback(callback)


def ttl_for(job_id: str) -> float:
    """How long a lease holds before another scheduler may take the job over (its holder died)."""
    return CRAWL_TIMEOUT_S + 2 * TERM_GRACE_S if job_id.startswith("crawl:") else 3600.0


# -- the plan as APScheduler jobs ----------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Planned:
    """One job of the plan: its id, the named job and arguments, and when it runs."""

    id: str
    job: str
    args: tuple[Any, ...]
    when: When

    def trigger(self, timezone: str) -> BaseTrigger:
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


def plan_of(settings: Settings, sites: Sequence[str] | None = None) -> Plan:
    """The plan in force: the file the `plan` setting names, else every site (default: all but demo)."""
    if settings.plan is not None:
        return read_plan(settings.plan)
    from .spiders.profile import profile_names

    return default_plan(sites or [name for name in profile_names() if name != "demo"])


def digest_hours(settings: Settings, plan: Plan) -> list[int]:
    """The hours digests go out: the plan's, or the digest_hour setting and every stored mark's."""
    if plan.digests is None:
        return []
    if plan.digests.hours != "auto":
        return sorted(set(plan.digests.hours))
    hours = {settings.digest_hour}
    database = Database(settings)
    try:
        with database.session() as session:
            for record in session.scalars(select(MarkRow.record)):
                hour = (record or {}).get("digest_hour")
                if isinstance(hour, int) and 0 <= hour <= 23:
                    hours.add(hour)
    finally:
        database.dispose()
    return sorted(hours)


def planned(settings: Settings, plan: Plan) -> list[Planned]:
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


def sync(scheduler: BaseScheduler, settings: Settings, plan: Plan) -> None:
    """Make the job store hold the plan: unchanged jobs keep their next run time, changed ones are
    replaced, jobs no longer planned removed. The scheduler must be started (paused is enough)."""
    wanted = planned(settings, plan)
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
    global _settings
    _settings = settings
    if plan is None or not isinstance(plan, Plan):
        plan = plan_of(settings, plan)
    database = Database(settings)
    store = SQLAlchemyJobStore(engine=database.engine, tablename="scheduler_jobs")
    _create_job_table(store, database)
    scheduler = PlanScheduler(jobstores={"default": store},
                                    executors={"default": LeasedExecutor(Leases(database))},
                                    timezone=settings.timezone)
    if start:
        scheduler.start(paused=True)
        sync(scheduler, settings, plan)
    return scheduler


def run(settings: Settings, plan: Plan | None = None) -> None:
    """Run the scheduler in the foreground until SIGTERM or Ctrl-C; then stop taking jobs, stop running
    crawls cleanly (their runs are recorded as 'shutdown'), wait for the jobs and exit."""
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
    with _children_lock:
        running = list(_children)
    for child in running:
        child.terminate()
    scheduler.shutdown(wait=True)
    log.info("scheduler stopped")
