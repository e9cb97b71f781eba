"""Alembic, driven from code: `ipwatch db upgrade` and the demo call `upgrade(settings)`."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from ..settings import Settings

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(url: str) -> Config:
    """An Alembic config for `url` that needs no alembic.ini on disk."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(settings: Settings, revision: str = "head") -> None:
    """Bring the database to `revision` (default: the newest)."""
    if settings.database_url is None:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(settings.db_url), revision)


def downgrade(settings: Settings, revision: str) -> None:
    """Take the database back to `revision`."""
    command.downgrade(alembic_config(settings.db_url), revision)
