"""`ipwatch watchlist`: check, load and show watchlist files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import NoReturn

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text
from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from ..core.settings import Settings
from ..core.storage import migrate
from ..core.storage.engine import Database
from ..watchlist.errors import WatchlistError
from ..watchlist.loader import load_watchlist
from ..watchlist.records import Mark, Watchlist
from ..watchlist.store import load_marks, upsert_marks

app = typer.Typer(help="Watchlists: check, load and show the protected marks.", no_args_is_help=True)

FILE = typer.Argument(..., help="a watchlist YAML file, e.g. watchlist/samples/baotou.yaml")


@app.command()
def check(file: Path = FILE) -> None:
    """Validate a watchlist file and list every problem with its line; changes nothing."""
    watchlist = _load_or_exit(file)
    typer.echo(f"{file}: {len(watchlist.marks)} marks OK")


@app.command()
def load(file: Path = FILE) -> None:
    """Validate a watchlist and store its marks; marks from other files are kept."""
    watchlist = _load_or_exit(file)
    settings = Settings()
    migrate.upgrade(settings)
    try:
        with Database(settings) as database, database.session() as session:
            report = upsert_marks(session, watchlist)
    except WatchlistError as exc:
        _exit_with(file, exc)
    typer.echo(f"{file}: {report} ({_masked(settings.db_url)})")


@app.command()
def show(as_json: bool = typer.Option(False, "--json", help="print the marks as JSON")) -> None:
    """List the marks stored in the database."""
    settings = Settings()
    with Database(settings) as database:
        if not inspect(database.engine).has_table("marks"):
            typer.echo(f"no marks: the database has no tables yet ({_masked(settings.db_url)});"
                       " run `ipwatch watchlist load FILE`", err=True)
            raise typer.Exit(1)
        with database.session() as session:
            marks = load_marks(session)
    if as_json:
        typer.echo(json.dumps([mark.model_dump(mode="json") for mark in marks], ensure_ascii=False, indent=2))
    elif not marks:
        typer.echo("no marks loaded yet: run `ipwatch watchlist load FILE`")
    else:
        Console().print(_table(marks))


def _load_or_exit(file: Path) -> Watchlist:
    try:
        return load_watchlist(file)
    except WatchlistError as exc:
        _exit_with(file, exc)


def _exit_with(file: Path, exc: WatchlistError) -> NoReturn:
    for problem in exc.problems:
        typer.echo(str(problem), err=True)
    count = len(exc.problems)
    typer.echo(f"{file}: {count} problem{'s' if count != 1 else ''}; nothing was loaded", err=True)
    raise typer.Exit(1)


def _table(marks: list[Mark]) -> Table:
    table = Table(title=f"{len(marks)} marks")
    table.add_column("id", no_wrap=True)
    for name in ("kind", "name", "aliases", "owner", "classes", "region", "images"):
        table.add_column(name, overflow="fold")
    for mark in marks:
        cells = (mark.id, mark.kind, mark.name, ", ".join(mark.aliases), mark.owner,
                 " ".join(map(str, mark.nice_classes)), mark.region or "",
                 ", ".join(image.name for image in mark.images))
        table.add_row(*(Text(cell) for cell in cells))  # Text: a name like [TM] is not rich markup
    return table


def _masked(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)
