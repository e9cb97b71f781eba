"""The installed distribution: one top-level name, `ipwatch`, holding every folder of code."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOT_PACKAGED = {"tests", "bench", ".venv", ".git", "build", "dist", "docs"}
DATA = "data"  # a folder of data files ships as package data, scripts that build them included


def _declared() -> set[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]
    assert config["package-dir"] == {"ipwatch": "."}
    return set(config["packages"])


def _on_disk() -> set[str]:
    """Every folder below the root that holds Python code, as the package name it installs under."""
    found = {"ipwatch"}
    for source in ROOT.rglob("*.py"):
        relative = source.relative_to(ROOT)
        if relative.parts[0] in NOT_PACKAGED or "__pycache__" in relative.parts or len(relative.parts) == 1 \
                or DATA in relative.parts:
            continue
        found.add(".".join(("ipwatch", *relative.parent.parts)))
    return found


def test_every_folder_of_code_is_installed_under_ipwatch() -> None:
    assert _on_disk() == _declared()


def test_nothing_installs_a_top_level_name_but_ipwatch() -> None:
    assert {name.split(".")[0] for name in _declared()} == {"ipwatch"}
