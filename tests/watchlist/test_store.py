"""Loading a watchlist into the database is idempotent, keeps other files' marks, and reads back whole."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from sqlalchemy import func, select

from ipwatch.core.images import compute_hashes
from ipwatch.core.storage.engine import Database
from ipwatch.core.storage.models import ImageRow, MarkImageRow, MarkRow, MarkVariantRow
from ipwatch.watchlist.loader import load_watchlist
from ipwatch.watchlist.records import Watchlist
from ipwatch.watchlist.store import load_marks, reference_hashes, remove_marks, upsert_marks

SAMPLES = Path(__file__).resolve().parents[2] / "watchlist" / "samples"
IDS = sorted(["xiaofeiyang", "luwang", "guyang-huangqi", "xilinguole-yangrou", "quanjude", "tongrentang",
              "wangzhihe", "kangshifu", "yili", "mengniu", "wahaha", "adidas", "nike"])


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A copy of the sample watchlist and its images that a test may edit."""
    shutil.copytree(SAMPLES, tmp_path / "samples")
    return tmp_path / "samples" / "baotou.yaml"


def _counts(database: Database) -> dict[str, int]:
    with database.session() as session:
        return {row.__tablename__: session.scalar(select(func.count()).select_from(row))
                for row in (MarkRow, MarkVariantRow, ImageRow, MarkImageRow)}


def _upsert(database: Database, watchlist: Watchlist) -> tuple[tuple[str, ...], ...]:
    with database.session() as session:
        report = upsert_marks(session, watchlist)
    return report.added, report.updated, report.unchanged


def test_loading_the_sample_twice_changes_nothing_the_second_time(database: Database, sample: Path) -> None:
    watchlist = load_watchlist(sample)
    assert _upsert(database, watchlist) == (tuple(m.id for m in watchlist.marks), (), ())
    first = _counts(database)
    names = sum(len(set(mark.names)) for mark in watchlist.marks)
    assert first == {"marks": 13, "mark_variants": names, "images": 13, "mark_images": 13}
    with database.session() as session:
        stamps = dict(session.execute(select(MarkRow.id, MarkRow.updated_at)).all())
    assert _upsert(database, load_watchlist(sample)) == ((), (), tuple(m.id for m in watchlist.marks))
    assert _counts(database) == first
    with database.session() as session:
        assert dict(session.execute(select(MarkRow.id, MarkRow.updated_at)).all()) == stamps


def test_an_edited_mark_is_updated_and_its_variants_follow(database: Database, sample: Path) -> None:
    _upsert(database, load_watchlist(sample))
    text = sample.read_text(encoding="utf-8")
    sample.write_text(text.replace("aliases: [Little Sheep, 小肥羊火锅]", "aliases: [小肥羊火锅, 小肥羊调料]"),
                      encoding="utf-8")
    added, updated, unchanged = _upsert(database, load_watchlist(sample))
    assert (added, updated, len(unchanged)) == ((), ("xiaofeiyang",), 12)
    with database.session() as session:
        variants = session.execute(select(MarkVariantRow.text, MarkVariantRow.source)
                                   .where(MarkVariantRow.mark_id == "xiaofeiyang")).all()
        assert sorted(variants) == [("小肥羊", "name"), ("小肥羊火锅", "alias"), ("小肥羊调料", "alias")]
        assert session.get(MarkRow, "xiaofeiyang").record["aliases"] == ["小肥羊火锅", "小肥羊调料"]


def test_a_changed_reference_image_is_an_update_with_new_hashes(database: Database, sample: Path) -> None:
    _upsert(database, load_watchlist(sample))
    with database.session() as session:
        before = reference_hashes(session)["nike"]
    new_logo = sample.parent / "images" / "nike.png"
    image = Image.new("RGB", (256, 256), "white")
    ImageDraw.Draw(image).ellipse((40, 40, 216, 216), fill="black")
    image.save(new_logo)
    assert _upsert(database, load_watchlist(sample))[1] == ("nike",)
    with database.session() as session:
        after = reference_hashes(session)["nike"]
    assert after == [("nike.png", compute_hashes(new_logo.read_bytes()).phash)] != before
    assert _counts(database)["images"] == 14  # the old image row stays: a listing may show the same picture


def test_marks_missing_from_a_later_file_are_kept_until_removed(database: Database, sample: Path,
                                                                tmp_path: Path) -> None:
    _upsert(database, load_watchlist(sample))
    other = sample.with_name("nike-only.yaml")
    text = sample.read_text(encoding="utf-8")
    other.write_text("marks:\n" + text[text.index("  - id: nike"):], encoding="utf-8")
    assert _upsert(database, load_watchlist(other)) == ((), ("nike",), ())  # its source file changed
    assert _counts(database)["marks"] == 13
    with database.session() as session:
        assert remove_marks(session, ["nike", "not-a-mark"]) == ["nike"]
    with database.session() as session:
        assert [mark.id for mark in load_marks(session)] == [i for i in IDS if i != "nike"]
        assert session.scalar(select(func.count()).select_from(MarkVariantRow)
                              .where(MarkVariantRow.mark_id == "nike")) == 0
        assert session.scalar(select(func.count()).select_from(MarkImageRow)
                              .where(MarkImageRow.mark_id == "nike")) == 0


def test_stored_marks_read_back_equal_to_the_file(database: Database, sample: Path) -> None:
    watchlist = load_watchlist(sample)
    _upsert(database, watchlist)
    with database.session() as session:
        marks = load_marks(session)
    assert marks == sorted(watchlist.marks, key=lambda mark: mark.id)
    assert marks[IDS.index("guyang-huangqi")].region == "内蒙古自治区包头市固阳县"


def test_reference_hashes_are_the_phash_of_each_image_file(database: Database, sample: Path) -> None:
    _upsert(database, load_watchlist(sample))
    with database.session() as session:
        hashes = reference_hashes(session)
    assert sorted(hashes) == IDS
    images = sample.parent / "images"
    assert hashes == {i: [(f"{i}.png", compute_hashes((images / f"{i}.png").read_bytes()).phash)] for i in IDS}


def test_one_image_shared_by_two_marks_is_stored_once(database: Database, sample: Path) -> None:
    text = sample.read_text(encoding="utf-8").replace("images: [images/nike.png]", "images: [images/adidas.png]")
    sample.write_text(text, encoding="utf-8")
    _upsert(database, load_watchlist(sample))
    assert _counts(database)["images"] == 12
    with database.session() as session:
        hashes = reference_hashes(session)
    assert hashes["nike"] == hashes["adidas"]
