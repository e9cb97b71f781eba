"""`ipwatch db`: schema migrations."""

from __future__ import annotations

import typer
from sqlalchemy.engine import make_url

from ..core.settings import Settings
from ..core.storage import migrate

app = typer.Typer(help="Database schema: upgrade and downgrade through Alembic migrations.",
                  no_args_is_help=True)


@app.command()
def upgrade(revision: str = typer.Argument("head", help="target revision")) -> None:
    """Bring the database schema up to date."""
    settings = Settings()
    migrate.upgrade(settings, revision)
    typer.echo(f"database at {revision}: {make_url(settings.db_url).render_as_string(hide_password=True)}")


@app.command()
def downgrade(revision: str = typer.Argument(..., help="target revision, e.g. base")) -> None:
    """Take the database schema back to an earlier revision."""
    settings = Settings()
    migrate.downgrade(settings, revision)
    typer.echo(f"database at {revision}")
