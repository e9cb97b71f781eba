"""`ipwatch demo`: the whole pipeline on the embedded default, ending with a summary."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from ..alerts.mail import deliver_pending
from . import demo as demo_run
from ..core.settings import Settings
from ..alerts.routing import Routing
from ..pipeline import match_listings
from ..core.storage import migrate
from ..core.storage.engine import Database
from .report import console, crawl_table, crawl_with_progress
from ..spiders.crawl import CrawlReport
from ..spiders.profile import load_profile
from ..spiders.queries import search_terms
from ..watchlist.loader import load_watchlist
from ..watchlist.store import upsert_marks



def _summary(report: CrawlReport, match: object, delivery: object, database: Database,
             check: demo_run.TruthCheck, settings: Settings) -> None:
    crawl = crawl_table(report)
    rows, per_kind = demo_run.alert_counts(database)
    marks = Table(title="Alerts in the early-warning queue")
    for column in ("mark", "name", "kind", "alerts"):
        marks.add_column(column)
    for mark_id, name, kind, count in rows:
        marks.add_row(mark_id, name, kind, str(count))
    marks.add_section()
    for kind, count in sorted(per_kind.items()):
        marks.add_row(f"all {kind}", "", kind, str(count))
    console.print(crawl, marks)
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
    database = Database(settings)
    try:
        with database.session() as session:
            console.print(f"watchlist {watchlist.name}: {upsert_marks(session, marks)}")
        with demo_run.demo_marketplace(watchlist) as url:
            console.print(f"demo marketplace serving on {url}")
            profile = load_profile("demo").model_copy(update={"base_url": url})
            report = crawl_with_progress(settings, profile, search_terms(marks.marks))
            truth = demo_run.fetch_ground_truth(url)
        match = match_listings(database, threshold=settings.match_threshold, run_id=report.run_id,
                               evidence=settings, routing=Routing.from_settings(settings),
                               images_dir=settings.images_dir)
        delivery = deliver_pending(database, settings)
        check = demo_run.check_truth(truth, demo_run.alerted_marks(database, "demo"))
        _summary(report, match, delivery, database, check, settings)
    finally:
        database.dispose()
