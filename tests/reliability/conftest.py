"""Fixtures of the reliability suite: the alert tests' rows and command, reused as they are. (The SMTP
server, the demo marketplace, `serve` and `ipwatch` in a child process are shared: tests/servers/,
tests/children.py.)"""

from __future__ import annotations

from tests.alerts.conftest import cli, rows  # noqa: F401 - re-exported fixtures
