"""The scheduler's promises: the plan is validated with file:line:field errors; jobs survive a restart
with their next run times; a job that misfired while nothing ran runs once (or not at all, as planned);
a job run is claimed by one scheduler only."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import pytest

from ipwatch import scheduler
from ipwatch.core.clock import utcnow
from ipwatch.core.leases import Leases
from ipwatch.core.plan import CrawlPlan, Plan, PlanError, When, read_plan
from ipwatch.core.settings import Settings
from ipwatch.core.storage.engine import Database

QUIET = {"deliver": None, "digests": None, "cleanup": None}


@pytest.mark.parametrize(("text", "expected"), [
    ("crawls:\n  - site: jd\n    every: 6 hours\n", "plan.yaml:3: crawls[0].every: '6 hours' is not a duration"),
    ("crawls:\n  - site: jd\n    every: 6h\n    cron: '0 * * * *'\n", "plan.yaml:2: crawls[0]: give exactly one"),
    ("verify:\n  cron: '0 25 * * *'\n", "plan.yaml:1: verify: cron '0 25 * * *'"),
    ("crawls:\n  - site: jd\n    every: 6h\n    misfire: later\n", "plan.yaml:4: crawls[0].misfire:"),
    ("cleanup: {cron: '0 4 * * *', raw_dayz: 3}\n", "plan.yaml:1: cleanup.raw_dayz: unknown field"),
    ("crawls:\n  - {site: jd, every: 1h}\n  - {site: jd, every: 2h}\n", "crawls: site(s) jd planned twice"),
])
def test_plan_mistakes_name_file_line_and_field(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PlanError) as caught:
        read_plan(path)
    assert expected in str(caught.value).replace(str(tmp_path) + "/", "")


def test_a_good_plan_reads_durations_and_cron(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text("crawls:\n  - {site: jd, every: 90m, jitter: 5m, processes: 2}\ndigests: {hours: [8, 18]}\n"
                    "cleanup: {cron: '0 4 * * *', raw_days: 7}\n", encoding="utf-8")
    plan = read_plan(path)
    assert plan.crawls[0] == CrawlPlan(site="jd", every=5400, jitter=300, processes=2)
    assert plan.digests is not None and plan.digests.hours == [8, 18] and plan.cleanup.raw_days == 7  # type: ignore[union-attr]


def next_runs(settings: Settings, plan: Plan) -> dict[str, object]:
    sched = scheduler.build_scheduler(settings, plan)
    try:
        return {job.id: job.next_run_time for job in sched.get_jobs()}
    finally:
        sched.shutdown(wait=False)


def test_jobs_survive_a_restart_with_their_next_run_times(settings: Settings, database: Database) -> None:
    plan = Plan(crawls=[CrawlPlan(site="jd", every=6 * 3600, jitter=600), CrawlPlan(site="tmall", every=3600)])
    first = next_runs(settings, plan)
    assert set(first) == {"crawl:jd", "crawl:tmall", "deliver", "digest:08", "verify", "cleanup"}
    time.sleep(1.1)  # a job planned afresh would get a later next run time (and a new jitter)
    assert next_runs(settings, plan) == first
    changed = Plan(crawls=[CrawlPlan(site="jd", every=6 * 3600, jitter=600), CrawlPlan(site="tmall", every=7200)])
    after = next_runs(settings, changed)
    assert after["crawl:jd"] == first["crawl:jd"] and after["crawl:tmall"] != first["crawl:tmall"]
    assert set(next_runs(settings, Plan(crawls=[], **QUIET))) == {"verify"}  # no longer planned: removed


@pytest.mark.parametrize(("misfire", "outcome"), [("run_once", "intact"), ("skip", "missed")])
def test_a_job_missed_three_times_while_down_runs_once_or_not_at_all(
        settings: Settings, database: Database, misfire: str, outcome: str) -> None:
    plan = Plan(crawls=[], verify=When(every=3600, misfire=misfire, grace=6 * 3600), **QUIET)  # type: ignore[arg-type]
    sched = scheduler.build_scheduler(settings, plan)
    sched.modify_job("verify", next_run_time=utcnow() - timedelta(hours=3, minutes=1))  # 3 runs missed
    sched.shutdown(wait=False)

    sched = scheduler.build_scheduler(settings, plan)  # the restart after the downtime
    sched.resume()
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not _finished(settings, "verify"):
            time.sleep(0.2)
        time.sleep(1.0)  # a second catch-up run would have started by now
        lease = Leases(Database(settings)).all()["verify"]
        next_time = sched.get_job("verify").next_run_time
    finally:
        sched.shutdown(wait=True)
    assert lease.runs == 1 and lease.outcome is not None and lease.outcome.startswith(outcome)
    assert next_time > utcnow()


def _finished(settings: Settings, job_id: str) -> bool:
    lease = Leases(Database(settings)).all().get(job_id)
    return lease is not None and lease.finished_at is not None


def test_a_scheduled_run_is_claimed_once(settings: Settings, database: Database) -> None:
    ours, theirs = (Leases(database, holder) for holder in ("a:1", "b:2"))
    at = utcnow().replace(microsecond=0)
    assert ours.claim("crawl:jd", at, 60)
    assert not theirs.claim("crawl:jd", at, 60)  # the same run
    assert not theirs.claim("crawl:jd", at + timedelta(hours=1), 60)  # the next one, while ours still runs
    ours.release("crawl:jd", "ok")
    assert not theirs.claim("crawl:jd", at, 60)  # done already
    assert theirs.claim("crawl:jd", at + timedelta(hours=1), -1)  # a lease that has expired: its holder died
    assert ours.claim("crawl:jd", at + timedelta(hours=2), 60)  # so the next run may be taken over
