"""Shared fixtures: every storage test runs on SQLite and on a real PostgreSQL.

PostgreSQL comes from, in order: `IPWATCH_TEST_PG_URL` (a URL whose user may CREATE DATABASE);
a server on 127.0.0.1:5432 (database `test`, user postgres or the current user, trust auth);
a throwaway server started with the `pgserver` package. `IPWATCH_TEST_FORCE_PGSERVER=1` skips
the first two, to check the fallback. If none works, PostgreSQL tests fail; they never skip.
Each PostgreSQL test gets its own database, created from template0 (~20 ms) and dropped after.
"""

from __future__ import annotations

import contextlib
import getpass
import itertools
import os
import secrets
import shutil
import tempfile
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql
from sqlalchemy.engine import make_url

from ipwatch.core.settings import Settings
from ipwatch.core.storage.engine import Database
from ipwatch.core.storage.migrate import upgrade

LOCAL_PG = "postgresql://{user}@127.0.0.1:5432/test"


class PostgresServer:
    """A PostgreSQL server the tests may create and drop their own databases on."""

    def __init__(self, admin_url: str, how: str) -> None:
        self.admin_url, self.how = admin_url, how
        self.prefix = f"ipwatch_test_{secrets.token_hex(4)}"
        self._numbers = itertools.count(1)

    @contextlib.contextmanager
    def fresh_database(self) -> Iterator[str]:
        """An empty database for one test, as a SQLAlchemy URL; dropped afterwards."""
        name = f"{self.prefix}_{next(self._numbers)}"
        self._run(sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'").format(sql.Identifier(name)))
        try:
            yield make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)
        finally:
            self._drop(name)

    def drop_leftovers(self) -> None:
        """Drop every database this session created that a test left behind."""
        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            names = [name for (name,) in connection.execute("SELECT datname FROM pg_database")]
        for name in names:
            if name.startswith(self.prefix + "_"):
                self._drop(name)

    def _drop(self, name: str) -> None:
        self._run(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    def _run(self, statement: sql.Composed) -> None:
        with psycopg.connect(self.admin_url, autocommit=True, connect_timeout=10) as connection:
            connection.execute(statement)


def _can_create_databases(url: str) -> str | None:
    """None if `url` connects within 2 s as a user who may CREATE DATABASE; else why not."""
    try:
        with psycopg.connect(url, connect_timeout=2) as connection:
            allowed = connection.execute(
                "SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user").fetchone()
    except psycopg.Error as exc:
        return f"{_masked(url)}: {str(exc).strip()}"
    return None if allowed and allowed[0] else f"{_masked(url)}: this user may not CREATE DATABASE"


def _masked(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def _start_pgserver(root: Path) -> tuple[Any, str]:
    """A throwaway server from the pgserver package (bundled binaries, Unix socket only)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
        import pgserver
    server = pgserver.get_server(root / "pgdata", cleanup_mode="delete")
    return server, server.get_uri("postgres")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    """The PostgreSQL server of this test session (see the module docstring for where it comes from)."""
    tried: list[str] = []
    started = time.perf_counter()
    candidates = []
    if os.environ.get("IPWATCH_TEST_PG_URL"):
        candidates = [os.environ["IPWATCH_TEST_PG_URL"].replace("postgresql+psycopg://", "postgresql://", 1)]
    elif os.environ.get("IPWATCH_TEST_FORCE_PGSERVER") != "1":
        candidates = [LOCAL_PG.format(user=user) for user in dict.fromkeys(("postgres", getpass.getuser()))]
    else:
        tried.append("127.0.0.1:5432: not tried (IPWATCH_TEST_FORCE_PGSERVER=1)")
    for url in candidates:
        reason = _can_create_databases(url)
        if reason is None:
            server = PostgresServer(url, f"server at {_masked(url)}")
            yield from _serve(server, started)
            return
        tried.append(reason)
    if os.environ.get("IPWATCH_TEST_PG_URL"):
        pytest.fail(f"PostgreSQL tests need the server named by IPWATCH_TEST_PG_URL: {'; '.join(tried)}")
    root = Path(tempfile.mkdtemp(prefix="ipwatch-pg-"))
    try:
        handle, url = _start_pgserver(root)
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


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database for this test: a SQLite file in tmp_path, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        data_dir = tmp_path / "data"
        data_dir.mkdir(exist_ok=True)
        yield f"sqlite:///{(data_dir / 'ipwatch.db').resolve()}"
        return
    server: PostgresServer = request.getfixturevalue("pg_server")
    with server.fresh_database() as url:
        yield url


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    """Settings on `db_url`; on SQLite the database is the default one inside data_dir."""
    is_sqlite = db_url.startswith("sqlite")
    configured = Settings(data_dir=tmp_path / "data", database_url=None if is_sqlite else db_url)
    assert configured.db_url == db_url
    return configured


@pytest.fixture
def database(settings: Settings) -> Iterator[Database]:
    """The database of `settings`, migrated to the newest revision."""
    upgrade(settings)
    db = Database(settings)
    yield db
    db.dispose()
