"""The demo marketplace as the crawl tests use it: its profile without the JavaScript section (a crawl of
a few seconds), the listings its searches should find for the stored search terms (the shop's ground
truth), and what a crawl left in its database. (`ipwatch` runs in a child process: tests/children.py.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from ipwatch.demo_marketplace.server import RunningMarket
from ipwatch.spiders.profile import load_profile

SECTIONS = {"/search": "static", "/mall/search": "mall", "/gbk/search": "gbk"}  # search path → shop section


def static_profile(folder: Path, base_url: str | None = None) -> Path:
    """The demo profile's static and GBK searches, without images, written to `folder` (pointed at
    `base_url` when given; otherwise `--base-url` says where the shop is)."""
    demo = load_profile("demo")
    searches = tuple(entry for entry in demo.searches if not entry.needs_javascript)
    changes = {"searches": searches, "max_images": 0, **({"base_url": base_url, "name": "demo"} if base_url else {})}
    path = folder / "demo-static.yaml"
    path.write_text(demo.model_copy(update=changes).model_dump_json(), encoding="utf-8")
    return path


def expected_listings(market: RunningMarket, data: Path, *, javascript: bool = False) -> set[str]:
    """Every listing the demo profile's searches return for the terms stored in `data`."""
    return set().union(*expected_by_section(market, data, javascript=javascript).values())


def expected_by_section(market: RunningMarket, data: Path, *, javascript: bool = False) -> dict[str, set[str]]:
    """Per shop section, every listing the demo profile's searches return for the terms stored in `data`,
    within their `max_pages` (the JavaScript mall's only when `javascript`)."""
    from ipwatch.core.settings import Settings
    from ipwatch.core.storage.engine import Database
    from ipwatch.spiders.queries import stored_search_terms

    database = Database(Settings(data_dir=data))
    try:
        with database.session() as session:
            terms = stored_search_terms(session)
    finally:
        database.dispose()
    by_section: dict[str, set[str]] = {}
    for entry in load_profile("demo").searches:
        if entry.needs_javascript and not javascript:
            continue
        section = SECTIONS[entry.url.split("?")[0]]
        for term in terms:
            by_section.setdefault(section, set()).update(
                product.id for product in market.catalogue.search(section, term)[: entry.max_pages * 10]
                if product.bad != "404")
    return by_section


def db_url_of(data: Path, database_url: str | None) -> str:
    return database_url or f"sqlite:///{(data / 'ipwatch.db').resolve()}"


def count(url: str, table: str) -> int:
    """Rows in `table`, or 0 while the database or table is not there."""
    engine = create_engine(url, connect_args={"timeout": 1} if url.startswith("sqlite") else {"connect_timeout": 2})
    try:
        with engine.connect() as connection:
            return int(connection.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar() or 0)  # noqa: S608
    except Exception:  # noqa: BLE001 - busy, restarting or not yet created: nothing counted yet
        return 0
    finally:
        engine.dispose()


def state(url: str) -> dict[str, Any]:
    """What a crawl left: listings, alerts, sightings, crawl runs, evidence per alert, deliveries."""
    engine = create_engine(url)
    try:
        with engine.connect() as db:
            rows = lambda sql: db.execute(text(sql)).all()  # noqa: E731
            evidence: dict[tuple[str, str], list[str]] = {}
            for key, mark, kind in rows("SELECT l.listing_key, a.mark_id, e.kind FROM evidence e JOIN alerts a ON"
                                        " a.id = e.alert_id JOIN listings l ON l.id = a.listing_id"):
                evidence.setdefault((key, mark), []).append(kind)
            return {
                "listings": {key for (key,) in rows("SELECT listing_key FROM listings")},
                "alerts": set(rows("SELECT l.listing_key, a.mark_id FROM alerts a JOIN listings l"
                                   " ON l.id = a.listing_id")),
                "sightings": tuple(rows("SELECT COUNT(*), COUNT(DISTINCT listing_id) FROM sightings")[0]),
                "runs": [status for (status,) in rows("SELECT status FROM crawl_runs ORDER BY id")],
                "evidence": {key: sorted(kinds) for key, kinds in evidence.items()},
                "deliveries": rows("SELECT COUNT(*), COUNT(DISTINCT alert_id) FROM deliveries")[0],
            }
    finally:
        engine.dispose()
