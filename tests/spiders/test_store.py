"""Storing listings: unique per site + key, a sighting per visit, images hashed once, bad images kept as errors."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

from PIL import Image
from sqlalchemy import func, select

from ipwatch.core.settings import Settings
from ipwatch.core.storage.engine import Database
from ipwatch.core.storage.models import EvidenceRow, ImageRow, ListingRow, SightingRow
from ipwatch.spiders.records import Capture, ImageFile, Listing
from ipwatch.spiders.store import ensure_site, start_run, store_listing


def write_image(folder: Path, name: str, colour: tuple[int, int, int]) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buffer, "JPEG")
    (folder / name).write_bytes(buffer.getvalue())
    return name


def listing(title: str, *images: ImageFile, price: float | None = 99.0) -> Listing:
    return Listing(site="demo", listing_key="p1", url="http://127.0.0.1/item/p1", title=title,
                   price=price, currency="CNY", seller="某店", images=images)


def store(database: Database, settings: Settings, item: Listing):
    with database.session() as session:
        site = ensure_site(session, "demo", "http://127.0.0.1")
        return store_listing(session, site, start_run(session, site), item, settings.images_dir)


def test_same_listing_twice_is_one_listing_with_two_sightings(database: Database, settings: Settings) -> None:
    image = ImageFile("http://127.0.0.1/img/1.jpg", write_image(settings.images_dir, "a.jpg", (200, 10, 10)))
    first = store(database, settings, listing("小肥羊火锅底料", image))
    second = store(database, settings, listing("小肥羊火锅底料", image, price=79.0))
    assert first.new and not second.new and not second.changed
    with database.session() as session:
        assert session.scalar(select(func.count(ListingRow.id))) == 1
        prices = session.scalars(select(SightingRow.price).order_by(SightingRow.id)).all()
        assert prices == [99.0, 79.0]
        assert session.scalar(select(ListingRow.price)) == 79.0
        row = session.scalars(select(ImageRow)).one()
        assert row.phash and len(row.phash) == 16 and row.error is None


def test_new_title_or_image_is_a_material_change(database: Database, settings: Settings) -> None:
    red = ImageFile("u1", write_image(settings.images_dir, "r.jpg", (200, 10, 10)))
    blue = ImageFile("u2", write_image(settings.images_dir, "b.jpg", (10, 10, 200)))
    store(database, settings, listing("鹿王羊绒衫", red))
    assert store(database, settings, listing("鹿王 羊绒衫", red)).changed is False  # spacing only
    assert store(database, settings, listing("鹿王羊绒衫 清仓", red)).changed is True
    assert store(database, settings, listing("鹿王羊绒衫 清仓", blue)).changed is True


def test_broken_image_is_recorded_not_raised(database: Database, settings: Settings) -> None:
    settings.images_dir.mkdir(parents=True, exist_ok=True)
    good = write_image(settings.images_dir, "ok.jpg", (1, 2, 3))
    (settings.images_dir / "cut.jpg").write_bytes((settings.images_dir / good).read_bytes()[:200])
    result = store(database, settings, listing("t", ImageFile("u", "cut.jpg"), ImageFile("v", None, "404")))
    assert [(url, "truncated" in reason) for url, reason in result.bad_images] == [("u", True)]
    with database.session() as session:
        row = session.scalars(select(ImageRow)).one()
        assert row.phash is None and "truncated" in row.error


def test_a_page_stored_twice_in_one_crawl_run_is_one_sighting(database: Database, settings: Settings) -> None:
    with database.session() as session:  # a resumed crawl may fetch a page it had stored before the kill
        site = ensure_site(session, "demo", "http://127.0.0.1")
        run = start_run(session, site)
        store_listing(session, site, run, listing("小肥羊火锅底料", price=99.0), settings.images_dir)
        store_listing(session, site, run, listing("小肥羊火锅底料", price=79.0), settings.images_dir)
    with database.session() as session:
        assert session.scalars(select(SightingRow.price)).all() == [79.0]


def test_older_raw_pages_no_alert_needs_are_let_go(database: Database, settings: Settings) -> None:
    first, second = (Capture(f"raw/demo/p1/{n}.warc.gz", "0" * 64, 10) for n in (1, 2))
    results = [store(database, settings, dataclasses.replace(listing("t"), raw=raw)) for raw in (first, second)]
    assert results[0].released == () and results[1].released == (first.path,)
    with database.session() as session:
        assert session.scalars(select(EvidenceRow.path)).all() == [second.path]
