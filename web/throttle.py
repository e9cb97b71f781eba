"""Login rate limit: sign-in attempts counted in the database, claimed before the password is checked.

Three budgets per 15-minute window, each counted under its own key (table login_attempts):

- `pair:<name>|<address>`, PER_PAIR (5): one address guessing one account. Only that guesser waits:
  the account's owner signs in from anywhere else as usual.
- `user:<name>`, PER_ACCOUNT (50): one account guessed from many addresses.
- `addr:<address>`, PER_ADDRESS (20): one address trying many accounts. Only names that are accounts
  spend it, so a spray of made-up names cannot lock out the people at that address (every client of
  a reverse proxy that `Settings.trusted_proxies` does not name shares the proxy's address).

A successful sign-in clears its pair and account counts and gives back the address's unit it spent.

Each attempt is claimed in one transaction of conditional upserts (INSERT … ON CONFLICT DO UPDATE …
RETURNING, on SQLite and PostgreSQL): the row's lock orders concurrent attempts, so of twenty guesses
sent at once five are checked and fifteen refused, where a check followed by a separate record let
them all through. A refused attempt counts nothing. Every web worker process shares the counts.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import cast

from sqlalchemy import Table, case, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..core.storage.engine import Database
from ..core.storage.models import LoginAttemptRow

PER_PAIR = 5  # attempts at one account from one address per window
PER_ACCOUNT = 50  # attempts at one account from any address per window
PER_ADDRESS = 20  # attempts from one address at accounts that exist, per window
WINDOW_S = 15 * 60


class _Refused(Exception):
    def __init__(self, wait: int) -> None:
        self.wait = wait


class LoginThrottle:
    """The budgets above, counted in the database shared by every web worker process."""

    def __init__(self, database: Database, *, per_pair: int = PER_PAIR, per_account: int = PER_ACCOUNT,
                 per_address: int = PER_ADDRESS, window_s: float = WINDOW_S,
                 clock: Callable[[], float] = time.time) -> None:
        self.database = database
        self.per_pair, self.per_account, self.per_address = per_pair, per_account, per_address
        self.window_s = window_s
        self._clock = clock

    def claim(self, username: str, address: str, *, account: bool) -> int:
        """Count one attempt at `username` from `address` before its password is checked: 0 when it may
        go ahead, else the seconds until it may (and nothing is counted). `account`: the name is an account's."""
        now = self._clock()
        name = username.strip().lower()
        budgets = [(_key("pair", f"{name}|{address}"), self.per_pair), (_key("user", name), self.per_account)]
        if account:
            budgets.append((_key("addr", address), self.per_address))
        try:
            with self.database.session() as session:
                waits = [self._count(session, key, limit, now) for key, limit in budgets]
                if any(waits):
                    raise _Refused(max(waits))  # rolls the counts back: a refused attempt counts nothing
        except _Refused as refused:
            return refused.wait
        finally:
            self._forget_expired(now)
        return 0

    def succeeded(self, username: str, address: str) -> None:
        """Clear the account's counts (from this address and overall); give back the address's unit."""
        name = username.strip().lower()
        with self.database.session() as session:
            session.execute(delete(LoginAttemptRow).where(
                LoginAttemptRow.key.in_([_key("pair", f"{name}|{address}"), _key("user", name)])))
            session.execute(update(LoginAttemptRow).where(LoginAttemptRow.key == _key("addr", address),
                                                          LoginAttemptRow.n > 0).values(n=LoginAttemptRow.n - 1))

    def _count(self, session: Session, key: str, limit: int, now: float) -> int:
        """One more attempt under `key` (a new window if the last one ended): the wait if that is too many."""
        table = cast(Table, LoginAttemptRow.__table__)
        ended = table.c.since <= now - self.window_s
        insert = (postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert)(table)
        count, since = session.execute(insert.values(key=key, n=1, since=now).on_conflict_do_update(
            index_elements=[table.c.key],
            set_={"n": case((ended, 1), else_=table.c.n + 1), "since": case((ended, now), else_=table.c.since)},
        ).returning(table.c.n, table.c.since)).one()
        return max(1, math.ceil(since + self.window_s - now)) if count > limit else 0

    def _forget_expired(self, now: float) -> None:
        """Delete counts whose window has ended, skipping rows another attempt holds (never waits)."""
        with self.database.session() as session:
            ended = select(LoginAttemptRow.key).where(LoginAttemptRow.since <= now - self.window_s)
            session.execute(delete(LoginAttemptRow).where(
                LoginAttemptRow.key.in_(ended.with_for_update(skip_locked=True))))


def _key(kind: str, value: str) -> str:
    return f"{kind}:{value}"[:300]
