"""Fixtures of the reliability suite: the shared ones of the alert and spider tests, reused as they are
(a real SMTP server on loopback, rows inserted directly, `ipwatch` in a child process)."""

from __future__ import annotations

from tests.alerts.conftest import cli, rows, smtp_server  # noqa: F401 - re-exported fixtures
from tests.spiders.conftest import ipwatch, market, serve, spawn, watchlist_in  # noqa: F401
