"""Login rate limit: a few wrong passwords per account and per address, then a pause.

`LoginThrottle` counts in memory (one process); `SharedLoginThrottle`, which the app uses, counts in
the database, so that the worker processes of `ipwatch serve` share the counts.
"""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..core.storage.engine import Database
from ..core.storage.models import LoginFailureRow

PER_ACCOUNT = 5  # failures per window before that username is locked
PER_ADDRESS = 20  # failures per window before that client address is locked
WINDOW_S = 15 * 60
MAX_KEYS = 10_000


class LoginThrottle:
    """Counts failed logins in a sliding window, per username and per client address.

    >>> throttle = LoginThrottle(per_account=2)
    >>> throttle.failed("alice", "10.0.0.1"); throttle.failed("alice", "10.0.0.1")
    >>> throttle.retry_after("alice", "10.0.0.2") > 0
    True
    """

    def __init__(self, *, per_account: int = PER_ACCOUNT, per_address: int = PER_ADDRESS,
                 window_s: float = WINDOW_S, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_account, self.per_address, self.window_s = per_account, per_address, window_s
        self._clock = clock
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def retry_after(self, username: str, address: str) -> int:
        """Seconds until this username and address may try again; 0 when they may try now."""
        now = self._clock()
        with self._lock:
            waits = [self._wait(f"user:{username.strip().lower()}", self.per_account, now),
                     self._wait(f"addr:{address}", self.per_address, now)]
        return max(waits)

    def failed(self, username: str, address: str) -> None:
        """Count one wrong password."""
        now = self._clock()
        with self._lock:
            for key in (f"user:{username.strip().lower()}", f"addr:{address}"):
                self._failures[key].append(now)
            if len(self._failures) > MAX_KEYS:  # a spray of made-up names must not grow memory forever
                for key in list(self._failures):
                    self._wait(key, 1, now)

    def succeeded(self, username: str) -> None:
        """Forget the username's failures once its owner signs in."""
        with self._lock:
            self._failures.pop(f"user:{username.strip().lower()}", None)

    def _wait(self, key: str, limit: int, now: float) -> int:
        times = self._failures.get(key)
        if not times:
            return 0
        while times and times[0] <= now - self.window_s:
            times.popleft()
        if not times:
            del self._failures[key]
            return 0
        return math.ceil(times[0] + self.window_s - now) if len(times) >= limit else 0


class SharedLoginThrottle:
    """The same limits as `LoginThrottle`, counted in the database (table login_failures), so that the
    web worker processes of `ipwatch serve` share them: a guesser whose attempts land on different
    workers is paused as soon as on one. Times are wall-clock seconds, the same in every process."""

    def __init__(self, database: Database, *, per_account: int = PER_ACCOUNT, per_address: int = PER_ADDRESS,
                 window_s: float = WINDOW_S, clock: Callable[[], float] = time.time) -> None:
        self.database = database
        self.per_account, self.per_address, self.window_s = per_account, per_address, window_s
        self._clock = clock

    def retry_after(self, username: str, address: str) -> int:
        """Seconds until this username and address may try again; 0 when they may try now."""
        now = self._clock()
        with self.database.session() as session:
            return max(self._wait(session, _user_key(username), self.per_account, now),
                       self._wait(session, f"addr:{address}", self.per_address, now))

    def failed(self, username: str, address: str) -> None:
        """Count one wrong password (and forget those older than the window)."""
        now = self._clock()
        with self.database.session() as session:
            session.execute(delete(LoginFailureRow).where(LoginFailureRow.at <= now - self.window_s))
            session.add_all([LoginFailureRow(key=_user_key(username), at=now),
                             LoginFailureRow(key=f"addr:{address}"[:300], at=now)])

    def succeeded(self, username: str) -> None:
        """Forget the username's failures once its owner signs in."""
        with self.database.session() as session:
            session.execute(delete(LoginFailureRow).where(LoginFailureRow.key == _user_key(username)))

    def _wait(self, session: Session, key: str, limit: int, now: float) -> int:
        times = session.scalars(select(LoginFailureRow.at).where(
            LoginFailureRow.key == key[:300], LoginFailureRow.at > now - self.window_s)
            .order_by(LoginFailureRow.at).limit(limit)).all()
        return math.ceil(times[0] + self.window_s - now) if len(times) >= limit else 0


def _user_key(username: str) -> str:
    return f"user:{username.strip().lower()}"[:300]
