"""The databases tests run on: SQLite files and a PostgreSQL server, and the templates they start from.

A `Template` is a database state built once per session and backend — migrated to the newest revision, or
that and a scene of rows — and copied for each test that starts from it: a file copy on SQLite, `CREATE
DATABASE … TEMPLATE` on PostgreSQL. A test pays for a copy (well under a second) instead of a migration.

PostgreSQL comes from, in order: `IPWATCH_TEST_PG_URL` (a URL whose user may CREATE DATABASE); a server on
127.0.0.1:5432 (database `test`, user postgres or the current user, trust auth); a throwaway server started
with the `pgserver` package. `IPWATCH_TEST_FORCE_PGSERVER=1` skips the first two, to check the fallback.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import getpass
import itertools
import os
import secrets
import shutil
import tempfile
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql
from sqlalchemy.engine import make_url

from ipwatch.core.settings import Settings
from ipwatch.core.storage.migrate import upgrade

LOCAL_PG = "postgresql://{user}@127.0.0.1:5432/test"

# What a test checks about rendering or the command line does not depend on the database: such tests run
# on SQLite only, and the storage-dependent ones on both.
sqlite_only = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@dataclass(frozen=True)
class Template:
    """A database state tests start from: `build(settings)` makes it on an empty database, once per backend."""

    name: str
    build: Callable[[Settings], None]


MIGRATED = Template("migrated", upgrade)


def copy_sqlite(template: Template, data_dir: Path) -> None:
    """Put a copy of `template` at data_dir/ipwatch.db (the SQLite database of Settings(data_dir=data_dir))."""
    data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_sqlite_template(template), data_dir / "ipwatch.db")


def migrated_sqlite(settings: Settings) -> None:
    """Bring the SQLite database of `settings` to the newest revision: a copy of the migrated template where
    there is no database yet, else Alembic's upgrade of the one there."""
    assert settings.database_url is None, "a SQLite data folder"
    if (settings.data_dir / "ipwatch.db").exists():
        upgrade(settings)
    else:
        copy_sqlite(MIGRATED, settings.data_dir)


@functools.cache
def _templates_folder() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="ipwatch-templates-"))
    atexit.register(shutil.rmtree, folder, True)
    return folder


@functools.cache
def _sqlite_template(template: Template) -> Path:
    """The template's SQLite file, built on first use in this process; never opened again, only copied."""
    settings = Settings(data_dir=_templates_folder() / template.name / "data", database_url=None)
    template.build(settings)
    database = settings.data_dir / "ipwatch.db"
    left = sorted(path.name for path in settings.data_dir.glob("ipwatch.db-*"))
    assert not left, f"template {template.name!r} left {left}: a connection was not closed, the copy would miss it"
    return database


class PostgresServer:
    """A PostgreSQL server the tests may create and drop their own databases on."""

    def __init__(self, admin_url: str, how: str) -> None:
        self.admin_url, self.how = admin_url, how
        self.prefix = f"ipwatch_test_{secrets.token_hex(4)}"
        self._numbers = itertools.count(1)
        self._templates: dict[Template, str] = {}

    @contextlib.contextmanager
    def fresh_database(self, template: Template | None = None) -> Iterator[str]:
        """A database for one test, as a SQLAlchemy URL: empty, or a copy of `template`; dropped afterwards."""
        name = f"{self.prefix}_{next(self._numbers)}"
        if template is None:
            self._run(sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'").format(sql.Identifier(name)))
        else:
            source = self._template(template)
            self._run(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(source)))
        try:
            yield self._url(name)
        finally:
            self._drop(name)

    def _template(self, template: Template) -> str:
        """The database holding `template`, built on first use (no connection to it stays open)."""
        if template not in self._templates:
            name = f"{self.prefix}_template_{len(self._templates) + 1}"
            self._run(sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'").format(sql.Identifier(name)))
            folder = Path(tempfile.mkdtemp(prefix="ipwatch-template-"))
            try:
                template.build(Settings(data_dir=folder / "data", database_url=self._url(name)))
            finally:
                shutil.rmtree(folder, ignore_errors=True)
            self._templates[template] = name
        return self._templates[template]

    def drop_leftovers(self) -> None:
        """Drop every database this session created that a test left behind, and the templates."""
        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            names = [name for (name,) in connection.execute("SELECT datname FROM pg_database")]
        for name in names:
            if name.startswith(self.prefix + "_"):
                self._drop(name)

    def _url(self, name: str) -> str:
        return make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)

    def _drop(self, name: str) -> None:
        self._run(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    def _run(self, statement: sql.Composed) -> None:
        with psycopg.connect(self.admin_url, autocommit=True, connect_timeout=10) as connection:
            connection.execute(statement)


def find_postgres() -> tuple[PostgresServer | None, list[str]]:
    """The server named by IPWATCH_TEST_PG_URL or the one on 127.0.0.1:5432 if usable; else None and why not."""
    tried: list[str] = []
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
            return PostgresServer(url, f"server at {_masked(url)}"), tried
        tried.append(reason)
    return None, tried


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


def start_pgserver(root: Path) -> tuple[Any, str]:
    """A throwaway server from the pgserver package (bundled binaries, Unix socket only)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
        import pgserver
    server = pgserver.get_server(root / "pgdata", cleanup_mode="delete")
    return server, server.get_uri("postgres")
