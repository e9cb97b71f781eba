"""`ipwatch alerts`: the early-warning queue."""

import typer

app = typer.Typer(help="The early-warning queue.", no_args_is_help=True)
