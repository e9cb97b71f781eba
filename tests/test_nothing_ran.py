"""A test run in which no test ran fails (tests/nothing_ran.py): CI (.ci/run, whose last command is pytest)
cannot pass on a selection that went wrong, a folder that collects nothing, or tests that all skipped."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PASSES = "def test_passes():\n    assert True\n"
SKIPS = "import pytest\n\n\ndef test_skips():\n    pytest.skip('nothing to check here')\n"


def pytest_in(folder: Path) -> subprocess.CompletedProcess[str]:
    """pytest on `folder` with the plugin alone: no other plugin, its own rootdir, an empty configuration."""
    (folder / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "tests.nothing_ran", "-p", "no:cacheprovider",
                           "--rootdir", str(folder), "-c", str(folder / "pytest.ini"), str(folder)], cwd=REPO,
                          env={**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}, capture_output=True, text=True,
                          timeout=120)


@pytest.mark.parametrize(("files", "code"), [
    ({}, 5),  # no test file: pytest's own exit code 5
    ({"test_a.py": SKIPS}, 5),  # every test skipped: pytest says 0, the plugin 5
    ({"test_a.py": SKIPS, "test_b.py": PASSES}, 0),
    ({"test_b.py": PASSES}, 0),
])
def test_a_run_where_no_test_ran_fails_with_exit_code_5(tmp_path: Path, files: dict[str, str], code: int) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    done = pytest_in(tmp_path)
    assert done.returncode == code, done.stdout[-2000:] + done.stderr[-2000:]
    assert ("no test ran" in done.stdout) is (code == 5), done.stdout[-2000:]


def test_deselecting_every_test_of_the_suite_fails() -> None:
    """The suite's own configuration and plugins, as .ci/run starts them."""
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "tests/test_nothing_ran.py",
                           "-k", "no_test_has_this_name"], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == pytest.ExitCode.NO_TESTS_COLLECTED, done.stdout[-2000:]
    assert "no test ran" in done.stdout
