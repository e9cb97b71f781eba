"""`ipwatch schedule`: run the monitoring plan in the foreground; `ipwatch run SITE`: one crawl now."""

from __future__ import annotations

import logging
from pathlib import Path

import typer

from .. import scheduler
from ..core.leases import Leases
from ..core.plan import PlanError
from ..core.settings import Settings
from ..core.storage import migrate
from ..core.storage.engine import Database
from ..spiders import runs
from .crawls_cmd import runs_table
from .report import console


def _settings(plan: Path | None) -> Settings:
    settings = Settings()
    return settings.model_copy(update={"plan": plan}) if plan is not None else settings


def schedule(
    sites: list[str] = typer.Argument(None, help="without a plan file: the sites to crawl (default: all but demo)"),
    list_jobs: bool = typer.Option(False, "--list", help="show the jobs, their next and last runs, then exit"),
    plan: Path | None = typer.Option(None, "--plan", help="the monitoring plan YAML (default: IPWATCH_PLAN)"),
) -> None:
    """Run the monitoring plan: crawls (child processes), delivery, digests, evidence checks, cleanup;
    stops cleanly on SIGTERM."""
    settings = _settings(plan)
    try:
        chosen = scheduler.plan_of(settings, sites or None)
    except PlanError as error:
        console.print(f"[red]{error}[/red]\n{error.remedy}", highlight=False)
        raise typer.Exit(2) from None
    migrate.upgrade(settings)
    if not list_jobs:
        scheduler.run(settings, chosen)
        return
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    sched = scheduler.build_scheduler(settings, chosen)
    try:
        with Database(settings) as database:
            leases = Leases(database).all()
        for job in sorted(sched.get_jobs(), key=lambda job: job.id):
            lease = leases.get(job.id)
            last = (f"last {lease.run_time:%Y-%m-%d %H:%M} {lease.outcome or 'running'}" if lease and lease.run_time
                    else "never run")
            typer.echo(f"{job.id:24} next {job.next_run_time:%Y-%m-%d %H:%M:%S %Z}  {job.trigger}  {last}")
    finally:
        sched.shutdown(wait=False)


def run(
    site: str = typer.Argument(..., help="a site profile name or a profile YAML path"),
    processes: int | None = typer.Option(None, min=1, max=64, help="crawler processes (distributed mode)"),
) -> None:
    """Crawl one site now, as the scheduler would (a child process, output to data_dir/logs)."""
    settings = Settings()
    migrate.upgrade(settings)
    console.print(scheduler.crawl(settings, site, processes or settings.crawl_processes))
    with Database(settings) as database, database.session() as session:
        console.print(runs_table(runs.recent(session, limit=1)))
