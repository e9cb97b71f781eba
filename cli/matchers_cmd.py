"""`ipwatch matchers`: the matching techniques this installation has, and which are on."""

from __future__ import annotations

from pathlib import Path

import typer

from ..matchers.base import discover
from ..matchers.scorer import Scorer
from ..watchlist.errors import WatchlistError
from ..watchlist.loader import load_watchlist
from ..watchlist.records import Mark


def matchers(
    watchlist: Path | None = typer.Option(
        None, "--watchlist", "-w", help="build the matchers for this watchlist (default: an empty one)"
    ),
) -> None:
    """List the registered matchers with what each finds; say which are off, and why."""
    marks: tuple[Mark, ...] = ()
    if watchlist is not None:
        try:
            marks = load_watchlist(watchlist).marks
        except WatchlistError as exc:
            typer.echo(f"{exc}\n{WatchlistError.remedy}", err=True)
            raise typer.Exit(1) from None
    registry = discover()
    scorer = Scorer.from_marks(marks)
    width = max(len(name) for name in registry)
    for name in sorted(registry):
        summary = registry[name].summary()
        if name in scorer.declined:
            typer.echo(f"{name:<{width}}  off  {summary}\n{'':<{width}}       off because: {scorer.declined[name]}")
        else:
            typer.echo(f"{name:<{width}}  on   {summary}")
    on = len(registry) - len(scorer.declined)
    typer.echo(f"{on} of {len(registry)} matchers on", err=True)
