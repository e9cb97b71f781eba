"""The `ipwatch` command: the front door. Each sub-command group lives in its own module."""

from __future__ import annotations

import logging

import typer
from rich.logging import RichHandler

from . import (
    alerts_cmd,
    channels_cmd,
    crawl_cmd,
    crawls_cmd,
    db_cmd,
    demo_cmd,
    evidence_cmd,
    extract_cmd,
    match_cmd,
    matchers_cmd,
    schedule_cmd,
    serve_cmd,
    sites_cmd,
    users_cmd,
    watchlist_cmd,
)

app = typer.Typer(help=__doc__, no_args_is_help=True, pretty_exceptions_enable=False)
app.add_typer(db_cmd.app, name="db")
app.add_typer(watchlist_cmd.app, name="watchlist")
app.add_typer(alerts_cmd.app, name="alerts")
app.command("demo")(demo_cmd.demo)
app.command("match")(match_cmd.match)
app.command("matchers")(matchers_cmd.matchers)
app.command("crawl")(crawl_cmd.crawl)
app.command("schedule")(schedule_cmd.schedule)
app.command("run")(schedule_cmd.run)
app.command("crawls")(crawls_cmd.crawls)
app.command("serve")(serve_cmd.serve)
app.add_typer(users_cmd.app, name="users")
app.command("extract")(extract_cmd.extract)
app.add_typer(evidence_cmd.app, name="evidence")
app.add_typer(sites_cmd.app, name="sites")
app.command("deliver")(alerts_cmd.deliver)
app.add_typer(channels_cmd.app, name="channels")


@app.callback()
def _root(verbose: bool = typer.Option(False, "--verbose", "-v", help="log debug detail")) -> None:
    """Watch marketplaces for infringements of protected marks and raise early warnings."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(message)s",
        handlers=[RichHandler(show_path=False, rich_tracebacks=False)],
        force=True,
    )
    for noisy in ("scrapy", "alembic", "asyncio", "PIL", "playwright", "scrapy_playwright", "apprise"):
        logging.getLogger(noisy).setLevel(logging.DEBUG if verbose else logging.WARNING)


def main() -> None:
    """Console-script entry point."""
    app()
