"""Fixtures of the spider tests: saved real pages, and bench/extraction.py's scoring rules. (The demo
marketplace, `serve` for a test's own shop and `ipwatch` in a child process are shared by every folder:
tests/servers/, tests/children.py.)"""

from __future__ import annotations

import gzip
import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]
# ../shared beside the checkout; a worktree elsewhere finds it beside one of its parent folders
SHARED = next((folder / "shared" / "fixtures" / "real_pages" for folder in REPO.parents
               if (folder / "shared" / "fixtures" / "real_pages").is_dir()),
              REPO.parent / "shared" / "fixtures" / "real_pages")
LOCAL = REPO / "tests" / "fixtures" / "real_pages"


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
def shared_page() -> Callable[[str], bytes]:
    """`shared_page(path)`: a saved page that only ../shared/fixtures/real_pages holds (none is copied here);
    the test is skipped, saying so, when ../shared is absent."""
    if not SHARED.is_dir():
        pytest.skip(f"the real saved pages are not here ({SHARED}): these tests need ../shared beside the checkout")
    return read_real_page


def _bench(name: str) -> ModuleType:
    bench = str(REPO / "bench")
    if bench not in sys.path:
        sys.path.insert(0, bench)  # bench scripts import each other as the scripts they are
    spec = importlib.util.spec_from_file_location(name, REPO / "bench" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def bench_real_pages() -> ModuleType:
    """bench/real_pages.py, whose reading of each real page and scoring rules the profile tests share."""
    return _bench("real_pages")


@pytest.fixture(scope="session")
def bench_extraction() -> ModuleType:
    """bench/extraction.py, whose scoring rules the accuracy tests share."""
    spec = importlib.util.spec_from_file_location("bench_extraction", REPO / "bench" / "extraction.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module
