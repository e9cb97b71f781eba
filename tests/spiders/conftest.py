"""Shared fixtures for the spider tests: saved real pages, the demo marketplace, a hostile shop, and
`ipwatch` run as a child process (Scrapy's reactor runs once per process)."""

from __future__ import annotations

import gzip
import importlib.util
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from types import ModuleType

import pytest

from ipwatch.demo_marketplace.server import RunningMarket, start_in_thread

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "fixtures" / "real_pages"
LOCAL = REPO / "tests" / "fixtures" / "real_pages"
SAMPLE = REPO / "watchlist" / "samples" / "baotou.yaml"


def read_real_page(relative: str) -> bytes:
    """A saved real page: from ../shared/fixtures/real_pages when present, else the gzipped copy here."""
    shared = SHARED / relative
    if shared.is_file():
        data = shared.read_bytes()
    else:
        local = LOCAL / relative
        data = (local if local.is_file() else local.with_name(local.name + ".gz")).read_bytes()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


@pytest.fixture(scope="session")
def real_page() -> Callable[[str], bytes]:
    """`real_page(path)`: the bytes of a saved page under real_pages/ (gzip undone)."""
    return read_real_page


@pytest.fixture(scope="session")
def bench_extraction() -> ModuleType:
    """bench/extraction.py, whose scoring rules the accuracy tests share."""
    spec = importlib.util.spec_from_file_location("bench_extraction", REPO / "bench" / "extraction.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def market() -> Iterator[RunningMarket]:
    """The demo marketplace built from the sample watchlist, serving in a thread."""
    running = start_in_thread(SAMPLE)
    yield running
    running.stop()


@pytest.fixture
def serve() -> Iterator[Callable[[type], str]]:
    """`serve(HandlerClass) -> base URL`: an HTTP server on 127.0.0.1 for this test."""
    servers: list[ThreadingHTTPServer] = []

    def start(handler: type) -> str:
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def ipwatch_env(data_dir: Path) -> dict[str, str]:
    """The environment of a child `ipwatch` on its own SQLite data folder."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("IPWATCH_")}
    return {**env, "IPWATCH_DATA_DIR": str(data_dir), "COLUMNS": "160"}


@pytest.fixture
def spawn() -> Iterator[Callable[..., subprocess.Popen[str]]]:
    """`spawn(data_dir, *args)`: start `ipwatch` in a child process and return it (killed at teardown)."""
    children: list[subprocess.Popen[str]] = []

    def start(data_dir: Path, *args: str) -> subprocess.Popen[str]:
        child = subprocess.Popen([sys.executable, "-m", "ipwatch.cli", *args], env=ipwatch_env(data_dir), text=True,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=data_dir.parent)
        children.append(child)
        return child

    yield start
    for child in children:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=10)


def store_watchlist(data_dir: Path, text: str) -> None:
    """Migrate a fresh SQLite data folder and load a watchlist (YAML text) into it, in this process."""
    from ipwatch.core.settings import Settings
    from ipwatch.core.storage.engine import Database
    from ipwatch.core.storage.migrate import upgrade
    from ipwatch.watchlist.loader import load_watchlist
    from ipwatch.watchlist.store import upsert_marks

    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir.parent / "watchlist.yaml").write_text(text, encoding="utf-8")
    settings = Settings(data_dir=data_dir)
    upgrade(settings)
    database = Database(settings)
    try:
        with database.session() as session:
            upsert_marks(session, load_watchlist(data_dir.parent / "watchlist.yaml"))
    finally:
        database.dispose()


@pytest.fixture(scope="session")
def watchlist_in() -> Callable[[Path, str], None]:
    """`watchlist_in(data_dir, yaml_text)`: a migrated SQLite data folder holding that watchlist."""
    return store_watchlist


@pytest.fixture
def ipwatch() -> Callable[..., subprocess.CompletedProcess[str]]:
    """`ipwatch(data_dir, *args)`: run the command in a child process on that data folder."""
    def run(data_dir: Path, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "ipwatch.cli", *args], env=ipwatch_env(data_dir), text=True,
                              capture_output=True, timeout=timeout, cwd=data_dir.parent)
    return run
