"""The `ipwatch` command: the front door. Each sub-command group lives in its own module."""

from __future__ import annotations

import logging

import typer
from rich.logging import RichHandler

from ipwatch.cli import alerts_cmd, db_cmd, demo_cmd, match_cmd, watchlist_cmd

app = typer.Typer(help=__doc__, no_args_is_help=True, pretty_exceptions_enable=False)
app.add_typer(db_cmd.app, name="db")
app.add_typer(watchlist_cmd.app, name="watchlist")
app.add_typer(alerts_cmd.app, name="alerts")
app.command("demo")(demo_cmd.demo)
app.command("match")(match_cmd.match)


@app.callback()
def _root(verbose: bool = typer.Option(False, "--verbose", "-v", help="log debug detail")) -> None:
    """Watch marketplaces for infringements of protected marks and raise early warnings."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(message)s",
        handlers=[RichHandler(show_path=False, rich_tracebacks=False)],
        force=True,
    )
    for noisy in ("scrapy", "alembic", "asyncio", "PIL", "playwright", "scrapy_playwright"):
        logging.getLogger(noisy).setLevel(logging.DEBUG if verbose else logging.WARNING)


def main() -> None:
    """Console-script entry point."""
    app()
