"""`ipwatch` in a child process, as crawls must run (Scrapy's reactor starts once per process): its
environment, `run` to the end, `spawn` in the background; and the `ipwatch` and `spawn` fixtures, which run
it on a data folder of the test's and kill what is still running at teardown."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def ipwatch_env(data_dir: Path, **settings: str | None) -> dict[str, str]:
    """The environment of a child `ipwatch` on `data_dir`: this one without any IPWATCH_* variable, and each
    of `settings` as one (`database_url=URL` → IPWATCH_DATABASE_URL=URL; None leaves it out)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("IPWATCH_")}
    chosen = {f"IPWATCH_{key.upper()}": value for key, value in settings.items() if value is not None}
    return {**env, "IPWATCH_DATA_DIR": str(data_dir), "COLUMNS": "160", **chosen}


def run(env: Mapping[str, str], *args: str, cwd: Path = REPO, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    """`ipwatch ARGS` to the end, its output captured."""
    return subprocess.run([sys.executable, "-m", "ipwatch.cli", *args], env=dict(env), cwd=cwd, text=True,
                          capture_output=True, timeout=timeout)


def spawn(env: Mapping[str, str], *args: str, log: Path | None = None, cwd: Path = REPO,
          new_session: bool = False) -> subprocess.Popen[bytes]:
    """`ipwatch ARGS` started in the background, its output appended to `log` (or dropped); with
    `new_session`, in a process group of its own, so that its children can be killed with it."""
    with (log.open("ab") if log else open(os.devnull, "wb")) as sink:
        return subprocess.Popen([sys.executable, "-m", "ipwatch.cli", *args], env=dict(env), cwd=cwd,
                                stdout=sink, stderr=subprocess.STDOUT, start_new_session=new_session)


@pytest.fixture
def ipwatch() -> Callable[..., subprocess.CompletedProcess[str]]:
    """`ipwatch(data_dir, *args)`: run the command in a child process on that data folder."""
    def run_on(data_dir: Path, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
        return run(ipwatch_env(data_dir), *args, cwd=data_dir.parent, timeout=timeout)
    return run_on


@pytest.fixture(name="spawn")
def spawn_fixture() -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    """`spawn(data_dir, *args)`: start `ipwatch` in a child process and return it (killed at teardown)."""
    children: list[subprocess.Popen[bytes]] = []

    def start(data_dir: Path, *args: str) -> subprocess.Popen[bytes]:
        children.append(spawn(ipwatch_env(data_dir), *args, cwd=data_dir.parent))
        return children[-1]

    yield start
    for child in children:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=10)
