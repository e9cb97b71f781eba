"""Crawler processes that start together on a new database share one site row."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from ipwatch.core.storage.engine import Database
from ipwatch.core.storage.models import SiteRow
from ipwatch.spiders.store import ensure_site

STARTING = 6


def test_crawlers_starting_together_add_the_site_once(database: Database) -> None:
    ready, ids, errors = threading.Barrier(STARTING), [], []

    def start() -> None:
        ready.wait()
        try:
            with database.session() as session:
                ids.append(ensure_site(session, "demo", "http://127.0.0.1:8000").id)
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(STARTING)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(set(ids)) == 1 and len(ids) == STARTING
    with database.session() as session:
        assert session.scalar(select(func.count(SiteRow.id))) == 1


def test_a_moved_site_keeps_its_row_with_the_new_address(database: Database) -> None:
    with database.session() as session:
        first = ensure_site(session, "jd", "https://old.example").id
    with database.session() as session:
        site = ensure_site(session, "jd", "https://new.example")
        assert (site.id, site.base_url) == (first, "https://new.example")
