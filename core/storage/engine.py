"""Engines and sessions for the configured database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from ..settings import Settings

T = TypeVar("T")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_engine(url: str, *, pre_ping: bool = True) -> Engine:
    """An engine for `url` (whose pool checks each connection before use, if `pre_ping`); SQLite gets
    foreign keys, WAL and a busy timeout."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    engine = create_engine(url, pool_pre_ping=pre_ping, future=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


class Database:
    """The engine and session factory of one deployment; `with Database(settings) as database:` disposes
    of its connections at the end."""

    def __init__(self, settings: Settings) -> None:
        if settings.database_url is None:
            settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.engine = make_engine(settings.db_url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # Reads in one round trip each (the triage UI's sign-in check and queue page, bench/load_ui.py):
        # no BEGIN and COMMIT (autocommit), no ping before use (`read` retries on a dead connection).
        self._read_engine = make_engine(settings.db_url, pre_ping=False)
        self._reads = sessionmaker(self._read_engine.execution_options(isolation_level="AUTOCOMMIT"),
                                   expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in a transaction: committed on success, rolled back on error."""
        with self._sessions.begin() as session:
            yield session

    def read(self, work: Callable[[Session], T]) -> T:
        """`work(session)` with a session for reads only, each statement on its own (autocommit): so
        only where statements need not agree on one snapshot. Connections are not pinged before use;
        if one proves dead (the database server restarted), the pool is emptied and `work` runs again."""
        for attempt in range(2):
            try:
                with self._reads() as session:
                    return work(session)
            except DBAPIError as exc:
                if attempt or not exc.connection_invalidated:
                    raise
        raise AssertionError("unreachable")

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
        self._read_engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.dispose()
