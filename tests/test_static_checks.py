"""Static checks run with the tests: ruff (lint and import order) over the repository, mypy over the product code.

Both read their settings from pyproject.toml. mypy checks the package `ipwatch` as installed names it: the
repository's root is the package, so the check runs from a folder where `ipwatch` is a link to this checkout.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent


def run(*command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *command], cwd=cwd, capture_output=True, text=True, timeout=600)


def test_ruff_finds_nothing() -> None:
    result = run("ruff", "check", "--no-cache", ".", cwd=REPOSITORY)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_nothing_in_the_product_code(tmp_path: Path) -> None:
    (tmp_path / "ipwatch").symlink_to(REPOSITORY, target_is_directory=True)
    result = run("mypy", "--config-file", str(REPOSITORY / "pyproject.toml"), "--cache-dir", str(tmp_path / "cache"),
                 "-p", "ipwatch", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found" in result.stdout
