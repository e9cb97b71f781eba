"""`ipwatch demo`: the whole pipeline on the embedded default, ending with a summary."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from ..core.settings import Settings
from ..core.storage import migrate
from ..core.storage.engine import Database
from ..pipeline import Crawl, RoundReport, site_round
from ..spiders.profile import load_profile
from ..spiders.queries import search_terms
from ..watchlist.loader import load_watchlist
from ..watchlist.store import upsert_marks
from . import demo as demo_run
from .report import RoundView, console


def _summary(report: RoundReport, database: Database, check: demo_run.TruthCheck, settings: Settings) -> None:
    rows, per_kind = demo_run.alert_counts(database)
    marks = Table(title="Alerts in the early-warning queue")
    for column in ("mark", "name", "kind", "alerts"):
        marks.add_column(column)
    for mark_id, name, kind, count in rows:
        marks.add_row(mark_id, name, kind, str(count))
    marks.add_section()
    for kind, count in sorted(per_kind.items()):
        marks.add_row(f"all {kind}", "", kind, str(count))
    console.print(marks)
    match, delivery = report.matched, report.delivery
    assert match is not None and delivery is not None  # a round with matching and delivery on
    console.print(f"this run: {match.listings} listings matched, outcomes "
                  f"{dict(match.outcomes) or 'none'}; {delivery.messages} e-mails to "
                  f"{len(delivery.recipients)} owners written to [bold]{settings.outbox_dir.resolve()}[/]"
                  if not settings.smtp_host else f"sent by SMTP via {settings.smtp_host}")
    colour = "green" if check.perfect else "red"
    console.print(f"[{colour}]ground truth: {check.caught}/{check.infringing} infringing listings alerted, "
                  f"{len(check.genuine_alerted)} genuine listings alerted, "
                  f"{len(check.false_alerts)} other false alerts[/]")
    for line in check.missed + check.genuine_alerted + check.false_alerts:
        console.print(f"  [{colour}]{line}[/]")


def demo(
    watchlist: Path = typer.Option(demo_run.SAMPLE_WATCHLIST, help="the watchlist the marketplace is built from"),
) -> None:
    """Run everything on the embedded default: demo marketplace → crawl → match → alerts → e-mail outbox."""
    settings = Settings()
    settings.ensure_dirs()
    console.print(f"database: {settings.db_url}")
    migrate.upgrade(settings)
    marks = load_watchlist(watchlist)
    with Database(settings) as database, database.session() as session:
        console.print(f"watchlist {watchlist.name}: {upsert_marks(session, marks)}")
    with demo_run.demo_marketplace(watchlist) as url:
        console.print(f"demo marketplace serving on {url}")
        job = Crawl(profile=load_profile("demo").model_copy(update={"base_url": url}),
                    terms=tuple(search_terms(marks.marks)))
        with RoundView("demo") as view:
            report = site_round(settings, job, on_progress=view.progress, tell=view.tell)
        truth = demo_run.fetch_ground_truth(url)
    with Database(settings) as database:
        check = demo_run.check_truth(truth, demo_run.alerted_marks(database, "demo"))
        _summary(report, database, check, settings)
