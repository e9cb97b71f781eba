"""`ipwatch watchlist`: check, load and show watchlist files."""

import typer

app = typer.Typer(help="Watchlists: check, load and show the protected marks.", no_args_is_help=True)
