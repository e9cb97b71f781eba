"""Fixtures of the alert tests: rows to match, a seeded scenario, a listing image, the `ipwatch` command.

The `settings` and `database` fixtures come from tests/conftest.py: every test here that uses them runs
on SQLite and on PostgreSQL, unless marked `sqlite_only` (tests/databases.py). The SMTP server and the
chat services' stand-in are in tests/servers/.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner, Result

from ipwatch.cli import app
from ipwatch.core.settings import Settings
from ipwatch.core.storage.engine import Database
from tests.alerts.rows import Rows, Seed


@pytest.fixture
def rows() -> type[Rows]:
    return Rows


@pytest.fixture
def seed(database: Database, settings: Settings) -> Seed:
    """Call it to insert the three-alert scenario (optionally with a listing image)."""
    return Seed(database, settings)


@pytest.fixture
def listing_image(settings: Settings) -> Path:
    """A small PNG inside images_dir, as the crawler would have downloaded it."""
    path = settings.images_dir / "ab" / "listing.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (600, 400), (200, 30, 30)).save(path)
    return path


@pytest.fixture
def cli(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Run `ipwatch …` against the test database, as a user with IPWATCH_* set would."""
    monkeypatch.setenv("IPWATCH_DATA_DIR", str(settings.data_dir))
    if settings.database_url:
        monkeypatch.setenv("IPWATCH_DATABASE_URL", settings.database_url)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args), catch_exceptions=False)
