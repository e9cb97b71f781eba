"""Queue pages kept per data version: rows, total and filter choices, until the queue's data changes.

With 100,000 alerts, counting the alerts a filter selects (and sorting them) was most of a queue
page's cost, paid again by every officer on every view (bench/load_ui.py). The database keeps a
counter, `data_versions.n` for "queue", that triggers (migration 0009) raise in every transaction
that inserts, updates or deletes alerts, case links, marks, sites or what a listing shows, whoever
writes: this app, the pipeline, the CLI or another process. A request reads the counter first, then
takes the page computed at that version or computes and keeps it. The counter comes with the
signed-in user (`user_and_version`, web/auth.py): a page kept for this version costs one statement.

Why a page is never older than the request: the counter is raised in the writing transaction, so it
becomes visible together with the write. A request that reads version n started after every write
counted in n committed; the page kept under n was computed by a request that also read n, so its
queries ran after those writes too (later statements see the same or newer data). Pages differ
only by the viewer's scope (all alerts, or one rights holder's), which is part of the key.

If the counter or its triggers are missing (a database built without migration 0009, or a later
SQLite migration that rebuilt a table and dropped its triggers), nothing is cached and every
request computes its page, as before.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any

from markupsafe import Markup
from sqlalchemy import select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from ..core.storage.engine import Database
from ..core.storage.models import DataVersionRow, UserRow
from .templating import page_templates
from .triage import AlertFilter, AlertItem, choices, find_alerts
from .users import User, active_user

log = logging.getLogger(__name__)
TRACKED_TABLES = ("alerts", "listings", "marks", "sites", "case_alerts")
PAGES = 512  # kept per process; a page is ~50 rows
VERSION = select(DataVersionRow.n).where(DataVersionRow.name == "queue").scalar_subquery()


@dataclass(frozen=True, slots=True)
class QueuePage:
    """What the queue template needs besides the filter: rows (and their HTML), how many match, the
    form's choices."""

    items: list[AlertItem]
    total: int
    options: dict[str, list[Any]]
    rows: Markup  # the table's rows, rendered (autoescaped) once: they are the same for every viewer


def compute_page(database: Database, user: User, f: AlertFilter, zone: tzinfo, total: int | None = None) -> QueuePage:
    """The queue page `f` selects for `user`, from the database, with times in `zone` (`total`: how many
    match, if known)."""
    # statements read on their own (autocommit): the module's reasoning needs no more
    items, total, options = database.read(lambda session: (*find_alerts(session, user, f, zone, total=total),
                                                            choices(session, user)))
    rows = Markup(page_templates(zone).get_template("_queue_rows.html").render(items=items))
    return QueuePage(items=items, total=total, options=options, rows=rows)


def expected_triggers(dialect: str) -> set[str]:
    """The version triggers migration 0009 creates: one per table on PostgreSQL, one per event on SQLite."""
    if dialect == "postgresql":
        return {f"queue_version_{table}" for table in TRACKED_TABLES}
    return {f"queue_version_{table}_{event}" for table in TRACKED_TABLES for event in ("insert", "update", "delete")}


def triggers_present(database: Database) -> bool:
    """True if the counter row and every version trigger exist (migration 0009)."""
    try:
        with database.session() as session:
            if session.get(DataVersionRow, "queue") is None:
                log.warning("queue cache off: no data version row; run `ipwatch db upgrade`")
                return False
            dialect = session.get_bind().dialect.name
            if dialect == "postgresql":
                query = text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
            else:
                query = text("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            missing = expected_triggers(dialect) - set(session.scalars(query))
    except SQLAlchemyError as exc:
        log.warning("queue cache off: cannot read the data version (%s)", str(exc).splitlines()[0])
        return False
    if missing:
        log.warning("queue cache off: version trigger(s) %s missing; run `ipwatch db upgrade`",
                    ", ".join(sorted(missing)))
    return not missing


class QueueCache:
    """Queue pages by (version, viewer's scope, filter), the most recently used `size` of them, with times
    in `zone`."""

    def __init__(self, *, enabled: bool, zone: tzinfo, size: int = PAGES) -> None:
        self.enabled, self.zone, self.size = enabled, zone, size
        self._pages: OrderedDict[tuple[int, str, str], QueuePage] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[tuple[int, str, str], threading.Lock] = {}
        # how many alerts a filter selects, whatever the sort and page: the next pages and other
        # sorts of a filter need no count of their own
        self._totals: OrderedDict[tuple[int, str, str], int] = OrderedDict()
        self.hits = self.misses = 0

    @classmethod
    def for_database(cls, database: Database, zone: tzinfo, size: int = PAGES) -> QueueCache:
        return cls(enabled=size > 0 and triggers_present(database), zone=zone, size=size)

    def user_and_version(self, session: Session, user_id: int) -> tuple[User | None, int | None]:
        """The active user with this id and, if the cache is on, the queue's data version: one statement."""
        if not self.enabled:
            return active_user(session.get(UserRow, user_id)), None
        row = session.execute(select(UserRow, VERSION).where(UserRow.id == user_id)).one_or_none()
        return (None, None) if row is None else (active_user(row[0]), row[1])

    @staticmethod
    def _key(user: User, f: AlertFilter, version: int, *, total: bool = False) -> tuple[int, str, str]:
        scope = "*" if user.sees_all else f"owner:{user.owner}"
        return version, scope, f.model_dump_json(exclude={"sort", "order", "limit", "offset"} if total else None)

    def kept(self, user: User, f: AlertFilter, version: int | None) -> QueuePage | None:
        """The page kept for this version, if any: no database work (the app serves it from its event loop)."""
        if version is None or not self.enabled:
            return None
        with self._lock:
            return self._found(self._key(user, f, version))

    def page(self, database: Database, user: User, f: AlertFilter, version: int | None) -> QueuePage:
        """The queue page `f` selects for `user`, as of the moment `version` was read (before this call)."""
        if version is None or not self.enabled:
            return compute_page(database, user, f, self.zone)
        key = self._key(user, f, version)
        with self._lock:
            found = self._found(key)
            if found is not None:
                return found
            computing = self._computing.setdefault(key, threading.Lock())
        with computing:  # the same page asked by many at once (after a change) is computed once
            try:
                with self._lock:
                    found = self._found(key)
                    if found is not None:
                        return found
                total_key = self._key(user, f, version, total=True)
                with self._lock:
                    total = self._totals.get(total_key)
                page = compute_page(database, user, f, self.zone, total)
                with self._lock:
                    self.misses += 1
                    self._pages[key] = page
                    self._totals[total_key] = page.total
                    self._totals.move_to_end(total_key)
                    while len(self._pages) > self.size:
                        self._pages.popitem(last=False)
                    while len(self._totals) > self.size:
                        self._totals.popitem(last=False)
            finally:
                with self._lock:
                    self._computing.pop(key, None)
        return page

    def _found(self, key: tuple[int, str, str]) -> QueuePage | None:
        page = self._pages.get(key)
        if page is not None:
            self._pages.move_to_end(key)
            self.hits += 1
        return page

