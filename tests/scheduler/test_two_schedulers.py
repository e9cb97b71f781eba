"""Two `ipwatch schedule` processes on one PostgreSQL database and one plan: each scheduled crawl of the
demo marketplace runs once, in one of them (the other logs that another scheduler ran it); both stop
cleanly on SIGTERM."""

from __future__ import annotations

import signal
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from ipwatch.demo_marketplace.server import RunningMarket
from ipwatch.spiders.profile import load_profile
from tests.children import ipwatch_env, run, spawn
from tests.watchlists import small_watchlist

WATCHLIST = small_watchlist("wahaha")


def test_two_schedulers_on_one_postgresql_run_each_crawl_once(tmp_path: Path, market: RunningMarket,
                                                              pg_server: object) -> None:
    demo = load_profile("demo")
    profile = tmp_path / "demo-static.yaml"
    profile.write_text(demo.model_copy(update={
        "searches": tuple(entry for entry in demo.searches if not entry.needs_javascript)[:1], "max_images": 0,
        "base_url": market.url}).model_dump_json(), encoding="utf-8")
    plan = tmp_path / "plan.yaml"
    plan.write_text(f"crawls:\n  - {{site: '{profile}', every: 20s}}\n"
                    "deliver: null\ndigests: null\nverify: null\ncleanup: null\n", encoding="utf-8")
    (tmp_path / "watchlist.yaml").write_text(WATCHLIST, encoding="utf-8")
    with pg_server.fresh_database() as url:  # type: ignore[attr-defined]
        envs = [{**ipwatch_env(tmp_path / name, database_url=url, plan=str(plan)), "COLUMNS": "200"}
                for name in ("a", "b")]
        loaded = run(envs[0], "watchlist", "load", str(tmp_path / "watchlist.yaml"), timeout=120)
        assert loaded.returncode == 0, loaded.stderr
        logs = [tmp_path / f"{name}.log" for name in ("a", "b")]
        schedulers = [spawn(env, "schedule", log=log, cwd=tmp_path) for env, log in zip(envs, logs, strict=True)]
        engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
        try:
            deadline = time.monotonic() + 75
            while time.monotonic() < deadline and not _one_run_done(engine):
                time.sleep(0.5)
        finally:
            for child in schedulers:
                child.send_signal(signal.SIGTERM)
            codes = [child.wait(timeout=60) for child in schedulers]
        with engine.connect() as connection:
            runs = connection.execute(text("SELECT status FROM crawl_runs")).scalars().all()
            lease = connection.execute(text("SELECT runs, holder FROM job_leases")).one()
        engine.dispose()
    output = "\n".join(log.read_text() for log in logs)
    assert codes == [0, 0], output[-3000:]
    assert "finished" in runs, output[-3000:]
    assert len(runs) == lease.runs and lease.holder is None  # one crawl run per claimed job run
    assert "run by another scheduler" in output  # both were due at the same time; one stood aside


def _one_run_done(engine: object) -> bool:
    with engine.connect() as connection:  # type: ignore[attr-defined]
        try:
            return bool(connection.execute(text(
                "SELECT count(*) FROM job_leases WHERE finished_at IS NOT NULL")).scalar())
        except Exception:  # noqa: BLE001 - the table appears when the first scheduler has migrated
            return False
