"""The crawl's frontier on disk, so that a crawl killed at any moment resumes with nothing lost or repeated.

Scrapy's own JOBDIR saves its queue only on a clean shutdown (queuelib writes the queue's head and
tail when it is closed), so after SIGKILL it cannot be trusted. This journal is a SQLite file in the
job folder, written through before anything depends on it:

- a request is journaled (pending) before it is scheduled; one already journaled is a duplicate;
- a request is marked done only once everything it produced is journaled or stored;
- on resume, every pending request is issued again under the same crawl run. A page fetched twice
  that way stores the same listing (listings are unique per site and key, one sighting per run).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS requests (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    fingerprint TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    url TEXT NOT NULL,
    params TEXT NOT NULL,
    outcome TEXT  -- NULL while pending; fetched | blocked | failed | skipped
);
"""


@dataclass(frozen=True, slots=True)
class Entry:
    """One journaled request: what kind of page, its URL, and what the spider needs to rebuild it."""

    fingerprint: str
    kind: str  # search | listing
    url: str
    params: dict[str, Any]


def fingerprint(kind: str, url: str) -> str:
    """The identity of a request in the journal: a page kind and its URL."""
    return hashlib.sha1(f"{kind} {url}".encode()).hexdigest()


class Journal:
    """A crawl's requests and state in `folder/frontier.sqlite3`, or in memory when `folder` is None."""

    def __init__(self, folder: Path | None) -> None:
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
        target = str(folder / "frontier.sqlite3") if folder is not None else ":memory:"
        # Autocommit: every statement is its own durable transaction (synchronous=FULL).
        self._db = sqlite3.connect(target, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(SCHEMA)
        self.persistent = folder is not None

    def get(self, key: str) -> Any:
        """A value of the crawl's state (run id, profile name, terms), or None."""
        row = self._db.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def put(self, key: str, value: Any) -> None:
        """Set a value of the crawl's state."""
        self._db.execute("INSERT OR REPLACE INTO state (key, value) VALUES (?, ?)", (key, json.dumps(value)))

    def add(self, kind: str, url: str, params: dict[str, Any]) -> Entry | None:
        """Journal a request as pending; None if the same page is journaled already (a duplicate)."""
        entry = Entry(fingerprint(kind, url), kind, url, params)
        cursor = self._db.execute(
            "INSERT OR IGNORE INTO requests (fingerprint, kind, url, params) VALUES (?, ?, ?, ?)",
            (entry.fingerprint, kind, url, json.dumps(params, ensure_ascii=False)))
        return entry if cursor.rowcount else None

    def add_many(self, entries: list[tuple[str, str, dict[str, Any]]]) -> None:
        """Journal several requests in one transaction (the crawl's start requests)."""
        with self._db:
            self._db.execute("BEGIN")
            for kind, url, params in entries:
                self._db.execute(
                    "INSERT OR IGNORE INTO requests (fingerprint, kind, url, params) VALUES (?, ?, ?, ?)",
                    (fingerprint(kind, url), kind, url, json.dumps(params, ensure_ascii=False)))

    def done(self, fingerprint_: str, outcome: str) -> None:
        """Mark a request done with its outcome: everything it produced is journaled or stored."""
        self._db.execute("UPDATE requests SET outcome = ? WHERE fingerprint = ? AND outcome IS NULL",
                         (outcome, fingerprint_))

    def pending(self) -> Iterator[Entry]:
        """Requests not done yet, in the order they were journaled."""
        rows = self._db.execute(
            "SELECT fingerprint, kind, url, params FROM requests WHERE outcome IS NULL ORDER BY seq")
        for fp, kind, url, params in rows.fetchall():
            yield Entry(fp, kind, url, json.loads(params))

    def outcomes(self) -> dict[str, int]:
        """Requests per outcome over the whole crawl, resumed parts included ('pending' for those not done)."""
        rows = self._db.execute("SELECT COALESCE(outcome, 'pending'), COUNT(*) FROM requests GROUP BY 1")
        return {outcome: int(count) for outcome, count in rows.fetchall()}

    def reset(self) -> None:
        """Forget everything: the next crawl in this folder starts afresh."""
        with self._db:
            self._db.execute("BEGIN")
            self._db.execute("DELETE FROM requests")
            self._db.execute("DELETE FROM state")

    def close(self) -> None:
        self._db.close()
