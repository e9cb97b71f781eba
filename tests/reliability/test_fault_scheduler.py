"""The scheduler (`ipwatch schedule`) SIGKILLed — with its crawl child, as when the machine or container
dies — at a random moment while a crawl runs: the job store keeps every job, and once restarted the
scheduler runs its jobs again on its own: delivery, evidence checks and the crawl whose run was cut off.
Alerts queued while it was down are delivered."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from ipwatch.demo_marketplace.server import RunningMarket
from tests.children import ipwatch_env, spawn
from tests.demo_crawl import count, db_url_of, static_profile
from tests.watchlists import small_watchlist, store_watchlist

PLAN = """crawls:
  - site: {profile}
    every: 4s
deliver: {{every: 1s}}
verify: {{every: 2s}}
digests: null
cleanup: null
"""


def leases(url: str) -> dict[str, tuple[int, str | None, str | None]]:
    """job id → (runs, holder, outcome) from job_leases; empty while unreadable."""
    engine = create_engine(url, connect_args={"timeout": 1})
    try:
        with engine.connect() as db:
            return {job: (runs, holder, outcome) for job, runs, holder, outcome in
                    db.execute(text("SELECT job_id, runs, holder, outcome FROM job_leases")).all()}
    except Exception:  # noqa: BLE001 - not created yet, or busy
        return {}
    finally:
        engine.dispose()


def stored_jobs(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as db:
            return {job for (job,) in db.execute(text("SELECT id FROM scheduler_jobs")).all()}
    finally:
        engine.dispose()


def wait_for(condition: Callable[[], bool], timeout: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}:\n{log.read_text()[-3000:]}"
        time.sleep(0.1)


def start(data: Path, plan: Path, log: Path) -> subprocess.Popen[bytes]:
    """`ipwatch schedule --plan PLAN` in a session of its own, so that its crawl children die with it."""
    return spawn(ipwatch_env(data), "schedule", "--plan", str(plan), log=log, new_session=True)


@pytest.mark.reliability("fault", "SIGKILL of the scheduler")
@pytest.mark.parametrize("seed", [1])
def test_a_scheduler_killed_mid_crawl_keeps_its_jobs_and_runs_them_again_after_a_restart(
        seed: int, market: RunningMarket, tmp_path: Path) -> None:
    chance = random.Random(seed)
    data, log = tmp_path / "data", tmp_path / "schedule.log"
    store_watchlist(data, small_watchlist())
    url = db_url_of(data, None)
    profile = static_profile(tmp_path)
    site = profile.with_name("demo-here.yaml")
    site.write_text(profile.read_text(encoding="utf-8").replace('"http://127.0.0.1:8800"', f'"{market.url}"'),
                    encoding="utf-8")
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN.format(profile=site), encoding="utf-8")
    crawl_job = f"crawl:{site}"

    first = start(data, plan, log)
    try:
        wait_for(lambda: leases(url).get(crawl_job, (0, None, None))[1] is not None, 90, "a crawl to start", log)
        wait_for(lambda: count(url, "listings") > 0, 90, "the crawl to store listings", log)
        time.sleep(chance.uniform(0, 2))
    finally:
        os.killpg(first.pid, signal.SIGKILL)  # the scheduler and its crawl child, at once
        first.wait(10)
    before = leases(url)
    assert {crawl_job, "deliver", "verify"} <= stored_jobs(url), "the job store lost jobs"

    outbox = data / "outbox"
    sent_before = len(list(outbox.glob("**/*.eml"))) if outbox.exists() else 0
    second = start(data, plan, log)
    try:
        def ran_again(job: str) -> Callable[[], bool]:
            return lambda: leases(url).get(job, (0, None, None))[0] > before.get(job, (0, None, None))[0] \
                and leases(url)[job][2] is not None
        wait_for(ran_again("deliver"), 60, "a delivery pass after the restart", log)
        wait_for(ran_again("verify"), 60, "an evidence check after the restart", log)
        wait_for(ran_again(crawl_job), 120, "the cut-off crawl to run again after the restart", log)
        wait_for(lambda: count(url, "alerts") > 0 and len(list(outbox.glob("**/*.eml"))) > sent_before, 60,
                 "the alerts to be delivered", log)
    finally:
        os.killpg(second.pid, signal.SIGTERM)
        try:
            second.wait(90)
        except subprocess.TimeoutExpired:
            os.killpg(second.pid, signal.SIGKILL)
    assert second.returncode == 0, log.read_text()[-3000:]
    assert "Traceback" not in log.read_text().split("scheduler running", 2)[-1], log.read_text()[-3000:]
