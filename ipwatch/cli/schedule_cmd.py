"""`ipwatch schedule`: run the monitoring plan in the foreground."""

from __future__ import annotations

import typer

import scheduler
from ipwatch.settings import Settings
from ipwatch.storage import migrate
from spiders.profile import profile_names


def schedule(
    profiles: list[str] = typer.Argument(None, help="site profiles to crawl (default: all but demo)"),
    list_jobs: bool = typer.Option(False, "--list", help="show the jobs and their next run times, then exit"),
) -> None:
    """Run the scheduler: periodic crawls (child processes) and alert delivery; stops cleanly on SIGTERM."""
    settings = Settings()
    migrate.upgrade(settings)
    names = profiles or [name for name in profile_names() if name != "demo"]
    if list_jobs:
        sched = scheduler.build_scheduler(settings, names, blocking=False)
        sched.start(paused=True)
        for job in sched.get_jobs():
            typer.echo(f"{job.id:30} next run {job.next_run_time}")
        sched.shutdown(wait=False)
        return
    scheduler.run(settings, names)
