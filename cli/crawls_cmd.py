"""`ipwatch crawls`: the latest crawl runs, with their counts and errors."""

from __future__ import annotations

import json
from collections.abc import Sequence

import typer
from rich.table import Table

from ..core.settings import Settings
from ..core.storage import migrate
from ..core.storage.engine import Database
from ..spiders.runs import SUMMARY, RunView, recent
from .report import console


def runs_table(views: Sequence[RunView]) -> Table:
    """One row per crawl run: site, state, times, counts, exit code and error."""
    table = Table(title="Crawl runs")
    for column in ("run", "site", "status", "started (UTC)", "took", *(label for label, _ in SUMMARY), "exit", "error"):
        table.add_column(column)
    for run in views:
        took = str(run.duration).split(".")[0] if run.duration else ""
        error = (run.error or "").strip().splitlines()[-1:] or [""]
        table.add_row(str(run.id), run.site, run.status, f"{run.started_at:%Y-%m-%d %H:%M:%S}", took,
                      *(str(run.counts[label]) for label, _ in SUMMARY),
                      "" if run.exit_code is None else str(run.exit_code), error[0][:80])
    return table


def crawls(
    site: str | None = typer.Option(None, help="only this site"),
    status: str | None = typer.Option(None, help="only runs in this state: running, finished, failed, shutdown…"),
    limit: int = typer.Option(20, min=1, help="how many, newest first"),
    as_json: bool = typer.Option(False, "--json", help="JSON lines instead of a table"),
) -> None:
    """List the latest crawl runs: when, how they ended, pages, listings, blocks, failures, errors."""
    settings = Settings()
    migrate.upgrade(settings)
    with Database(settings) as database, database.session() as session:
        views = recent(session, limit=limit, site=site, status=status)
    if as_json:
        for run in views:
            typer.echo(json.dumps({"id": run.id, "site": run.site, "status": run.status,
                                   "started_at": run.started_at.isoformat(),
                                   "finished_at": run.finished_at.isoformat() if run.finished_at else None,
                                   "counts": run.counts, "exit_code": run.exit_code, "error": run.error,
                                   "log": run.log, "launch": run.launch}, ensure_ascii=False))
        return
    console.print(runs_table(views))
