"""A pytest plugin: a run in which no test ran fails with exit code 5, so that CI cannot pass on nothing.

pytest itself ends with 5 when it collects no test or deselects them all, but with 0 when every test it
ran was skipped; here that is 5 too. Either way a last line says why (tests/test_nothing_ran.py shows it).
"""

from __future__ import annotations

from typing import Any

import pytest

_ran: set[str] = set()
_NOTHING = pytest.StashKey[bool]()  # set when the run ends with 5


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call" and not report.skipped:
        _ran.add(report.nodeid)


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if exitstatus == pytest.ExitCode.OK and not _ran and not session.config.option.collectonly:
        session.exitstatus = pytest.ExitCode.NO_TESTS_COLLECTED
    if session.exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED:
        session.config.stash[_NOTHING] = True


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if terminalreporter.config.stash.get(_NOTHING, False):
        terminalreporter.write_line("no test ran (none collected, or every one deselected or skipped):"
                                    " exit code 5, a failure", red=True)

