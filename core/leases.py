"""Which scheduler runs a job's scheduled run, when several share one database: a row lease per job in
`job_leases`, and the APScheduler executor that runs a job only once it holds the lease."""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.executors.base import run_job
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.job import Job
from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from .clock import utcnow
from .processes import gone, process_name
from .settings import Settings
from .storage.engine import Database
from .storage.models import JobLeaseRow

log = logging.getLogger(__name__)


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
        """Every job's lease row: who holds it, its last run and outcome."""
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
    """APScheduler's thread pool, running a job's scheduled time only if this scheduler claims its lease
    (held for `ttl(job_id)` seconds at most). The job's function gets the scheduler's `settings` as the
    keyword `settings`: stored jobs hold plain names, never the settings (which may hold secrets)."""

    def __init__(self, leases: Leases, settings: Settings, ttl: Callable[[str], float],
                 max_workers: int = 10) -> None:
        super().__init__(max_workers)
        self.leases = leases
        self.settings = settings
        self.ttl = ttl

    def _do_submit_job(self, job: Job, run_times: list[datetime]) -> None:
        given = _with_settings(job, self.settings)

        def leased() -> list[JobExecutionEvent]:
            events: list[JobExecutionEvent] = []
            for run_time in run_times:
                if not self.leases.claim(job.id, run_time, self.ttl(job.id)):
                    log.info("%s at %s: run by another scheduler", job.id, run_time.isoformat())
                    continue
                done: list[JobExecutionEvent] = []
                try:
                    done = run_job(given, job._jobstore_alias, [run_time], self._logger.name)
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


def _with_settings(job: Job, settings: Settings) -> Job:
    """A copy of the stored `job` whose function is also given `settings=settings`."""
    given = copy.copy(job)
    given.func = partial(job.func, settings=settings)
    return given
