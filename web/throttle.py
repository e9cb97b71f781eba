"""Login rate limit: a few wrong passwords per account and per address, then a pause."""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable

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
