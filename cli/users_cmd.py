"""`ipwatch users`: accounts of the triage app (administrators, officers, brand owners)."""

from __future__ import annotations

import sys

import typer

from ..core.settings import Settings
from ..core.storage import migrate
from ..core.storage.engine import Database

app = typer.Typer(help="Accounts of the triage web app.", no_args_is_help=True)


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return typer.prompt("password", hide_input=True, confirmation_prompt=True)


@app.command("add")
def add(
    username: str = typer.Argument(..., help="lower-case letters, digits and . _ -"),
    role: str = typer.Option(..., "--role", help="admin | officer | owner"),
    owner: str | None = typer.Option(None, "--owner",
                                     help="for --role owner: the owner name as the watchlist spells it"),
    password_stdin: bool = typer.Option(False, "--password-stdin",
                                        help="read the password from the first line of stdin"),
) -> None:
    """Create an account."""
    from ..web.users import UserError, add_user

    settings = Settings()
    migrate.upgrade(settings)
    password = _password(password_stdin)
    try:
        with Database(settings) as database, database.session() as session:
            user = add_user(session, username, password, role, owner)
    except UserError as exc:
        typer.echo(f"user not added: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"added {user.username} ({user.role}{', for ' + user.owner if user.owner else ''})")


@app.command("list")
def list_users() -> None:
    """List accounts."""
    from ..web.users import list_users as rows

    settings = Settings()
    with Database(settings) as database, database.session() as session:
        for row in rows(session):
            state = "" if row.active else "  (disabled)"
            typer.echo(f"{row.username:20} {row.role:8} {row.owner or ''}{state}")


@app.command("password")
def password(
    username: str = typer.Argument(...),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="read the password from stdin"),
) -> None:
    """Set a new password (ends the account's open sessions)."""
    from ..web.users import UserError, set_password

    settings = Settings()
    try:
        with Database(settings) as database, database.session() as session:
            set_password(session, username, _password(password_stdin))
    except UserError as exc:
        typer.echo(f"password not changed: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"new password set for {username}")
