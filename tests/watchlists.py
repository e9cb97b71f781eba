"""The small watchlist of the crawl tests (tests/fixtures/small_watchlist.yaml), and a data folder holding
it: `store_watchlist`, also the `watchlist_in` fixture."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from ipwatch.core.settings import Settings
from ipwatch.core.storage.engine import Database
from ipwatch.core.storage.migrate import upgrade
from ipwatch.watchlist.loader import load_watchlist
from ipwatch.watchlist.store import upsert_marks
from tests.databases import migrated_sqlite

SMALL = Path(__file__).parent / "fixtures" / "small_watchlist.yaml"


def small_watchlist(*ids: str) -> str:
    """The small watchlist as YAML text: only the marks `ids` names, or all of them."""
    marks = yaml.safe_load(SMALL.read_text(encoding="utf-8"))["marks"]
    chosen = [mark for mark in marks if mark["id"] in ids or not ids]
    assert len(chosen) == len(ids) or not ids, f"the small watchlist has no mark {set(ids) - {m['id'] for m in chosen}}"
    return yaml.safe_dump({"marks": chosen}, allow_unicode=True, sort_keys=False)


def store_watchlist(data_dir: Path, text: str, database_url: str | None = None) -> None:
    """A migrated data folder (SQLite, unless `database_url` names another database) with a watchlist (YAML
    text, also left in data_dir/../watchlist.yaml) loaded into it, in this process."""
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir.parent / "watchlist.yaml").write_text(text, encoding="utf-8")
    settings = Settings(data_dir=data_dir, database_url=database_url)
    if database_url is None:
        migrated_sqlite(settings)
    else:
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
