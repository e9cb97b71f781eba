"""Shared fixtures: every storage test runs on SQLite and on a real PostgreSQL (tests/databases.py says where
the server comes from; if none works, PostgreSQL tests fail, they never skip). Each PostgreSQL test gets its
own database, dropped after: empty (from template0), or a copy of a migrated template when the test uses
`database`. The servers tests talk to (demo marketplace, SMTP, webhooks, Redis) are in tests/servers/.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ipwatch.core.settings import Settings
from ipwatch.core.storage.engine import Database
from ipwatch.core.storage.migrate import upgrade
from tests.databases import MIGRATED, PostgresServer, Template, copy_sqlite, find_postgres, start_pgserver

pytest_plugins = (  # fixtures every folder shares (a module another imports comes first)
    "tests.nothing_ran",
    "tests.children",
    "tests.watchlists",
    "tests.servers.shop",
    "tests.servers.market",
    "tests.servers.smtp",
    "tests.servers.hooks",
)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    """The PostgreSQL server of this test session (see tests/databases.py for where it comes from)."""
    started = time.perf_counter()
    server, tried = find_postgres()
    if server is not None:
        yield from _serve(server, started)
        return
    if os.environ.get("IPWATCH_TEST_PG_URL"):
        pytest.fail(f"PostgreSQL tests need the server named by IPWATCH_TEST_PG_URL: {'; '.join(tried)}")
    root = Path(tempfile.mkdtemp(prefix="ipwatch-pg-"))
    try:
        handle, url = start_pgserver(root)
    except Exception as exc:  # noqa: BLE001 - any failure to start is reported, with what was tried
        shutil.rmtree(root, ignore_errors=True)
        tried.append(f"pgserver: {type(exc).__name__}: {exc}")
        pytest.fail("PostgreSQL tests need a server and none could be used:\n  " + "\n  ".join(tried)
                    + "\nStart one on 127.0.0.1:5432 with trust auth, set IPWATCH_TEST_PG_URL,"
                    " or `pip install pgserver`.")
    try:
        yield from _serve(PostgresServer(url, f"throwaway pgserver in {root}"), started)
    finally:
        handle.cleanup()
        shutil.rmtree(root, ignore_errors=True)


def _serve(server: PostgresServer, started: float) -> Iterator[PostgresServer]:
    _PG_SESSION["how"] = f"{server.how}, ready in {time.perf_counter() - started:.2f} s"
    try:
        yield server
    finally:
        server.drop_leftovers()


_PG_SESSION: dict[str, str] = {}


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _PG_SESSION:
        terminalreporter.write_line(f"postgresql: {_PG_SESSION['how']}")


@pytest.fixture
def database_template(request: pytest.FixtureRequest) -> Template | None:
    """What this test's database starts as: migrated when the test uses `database`, else empty (None).
    A folder's conftest may override it with a template of its own."""
    return MIGRATED if "database" in request.fixturenames else None


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, database_template: Template | None) -> Iterator[str]:
    """This test's database: a SQLite file in tmp_path, or a PostgreSQL database of its own; empty, or a copy
    of `database_template`."""
    if request.param == "sqlite":
        data_dir = tmp_path / "data"
        data_dir.mkdir(exist_ok=True)
        if database_template is not None:
            copy_sqlite(database_template, data_dir)
        yield f"sqlite:///{(data_dir / 'ipwatch.db').resolve()}"
        return
    server: PostgresServer = request.getfixturevalue("pg_server")
    with server.fresh_database(database_template) as url:
        yield url


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    """Settings on `db_url`; on SQLite the database is the default one inside data_dir."""
    is_sqlite = db_url.startswith("sqlite")
    configured = Settings(data_dir=tmp_path / "data", database_url=None if is_sqlite else db_url)
    assert configured.db_url == db_url
    return configured


@pytest.fixture
def database(settings: Settings, database_template: Template | None) -> Iterator[Database]:
    """The database of `settings`, migrated to the newest revision (it started as a copy of a template)."""
    if database_template is None:  # asked for by name at run time: not known when the database was made
        upgrade(settings)
    db = Database(settings)
    yield db
    db.dispose()
