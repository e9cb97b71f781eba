"""Listing images are stored once per content, named by what their bytes are, and hashed into the
database with every hash; hostile bytes are stored as a named bad image, counted and logged."""

from __future__ import annotations

import hashlib
import io
import logging
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from scrapy import Request
from scrapy.http import Response
from scrapy.utils.test import get_crawler
from sqlalchemy import select

from ipwatch.core.images import BadImage, compute_hashes
from ipwatch.core.settings import Settings
from ipwatch.core.storage.engine import Database
from ipwatch.core.storage.models import ImageRow
from ipwatch.spiders.pipelines import ListingImagesPipeline, StorePipeline, sniffed_extension
from ipwatch.spiders.records import ImageFile, Listing
from ipwatch.spiders.store import ensure_site, start_run, store_image


def png() -> bytes:
    image = Image.new("RGB", (120, 90), "white")
    ImageDraw.Draw(image).ellipse((10, 10, 80, 80), fill=(200, 30, 30))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def pipeline(tmp_path: Path) -> ListingImagesPipeline:
    settings = Settings(data_dir=tmp_path / "data")
    crawler = get_crawler(settings_dict={"IPWATCH_SETTINGS": settings, "FILES_STORE": str(tmp_path / "images")})
    return ListingImagesPipeline.from_crawler(crawler)


def test_a_file_is_named_by_its_content_and_its_real_format(tmp_path: Path) -> None:
    images = pipeline(tmp_path)
    data = png()
    digest = hashlib.sha256(data).hexdigest()
    for url in ("http://127.0.0.1/a/photo.jpg", "http://127.0.0.1/b/other-name.webp?x=1"):
        request = Request(url)
        path = images.file_path(request, response=Response(url, body=data, request=request))
        assert path == f"full/{digest[:2]}/{digest}.png"  # the same bytes under two URLs: one file


def test_the_same_content_is_written_once(tmp_path: Path) -> None:
    images = pipeline(tmp_path)
    data = png()
    request = Request("http://127.0.0.1/a.jpg")
    response = Response(request.url, body=data, request=request)
    path = images.file_path(request, response=response)
    target = tmp_path / "images" / path
    target.parent.mkdir(parents=True)
    target.write_bytes(b"already stored")  # stands for the earlier download of the same content
    checksum = images.file_downloaded(response, request, info=None)
    assert checksum == hashlib.md5(data).hexdigest()  # noqa: S324
    assert target.read_bytes() == b"already stored"


def test_requests_ask_for_http_images_only_and_results_stay_aligned(tmp_path: Path) -> None:
    images = pipeline(tmp_path)
    listing = Listing(site="t", listing_key="1", url="http://127.0.0.1/1", title="x",
                      image_urls=("data:image/png;base64,xx", "http://127.0.0.1/a.jpg", "http://127.0.0.1/b.jpg"))
    requests = images.get_media_requests(listing, info=None)
    assert [r.url for r in requests] == ["http://127.0.0.1/a.jpg", "http://127.0.0.1/b.jpg"]
    assert requests[0].meta["download_maxsize"] == Settings().image_max_bytes

    class Failed:
        value = "404"

    done = images.item_completed([(True, {"path": "full/aa/a.png"}), (False, Failed())], listing, info=None)
    assert done.images == (ImageFile("http://127.0.0.1/a.jpg", "full/aa/a.png"),
                           ImageFile("http://127.0.0.1/b.jpg", None, "404"))


def test_extensions_come_from_the_bytes() -> None:
    assert [sniffed_extension(data) for data in (png(), b"\xff\xd8\xff\xe0", b"GIF89a..", b"RIFF\0\0\0\0WEBPVP8 ",
                                                   b"<html>")] == [".png", ".jpg", ".gif", ".webp", ".bin"]


def test_every_hash_is_stored_with_the_image(database: Database, settings: Settings) -> None:
    folder = settings.images_dir / "full" / "ab"
    folder.mkdir(parents=True)
    (folder / "good.png").write_bytes(png())
    (folder / "bad.bin").write_bytes(b"<html>captcha</html>")
    with database.session() as session:
        good = store_image(session, settings.images_dir, ImageFile("http://127.0.0.1/g", "full/ab/good.png"))
        bad = store_image(session, settings.images_dir, ImageFile("http://127.0.0.1/b", "full/ab/bad.bin"))
        assert good is not None and bad is not None
        good_id, bad_id = good.id, bad.id
    expected = compute_hashes(png())
    with database.session() as session:
        row = session.get(ImageRow, good_id)
        assert (row.phash, row.dhash, row.whash, row.colorhash, row.detail) == (
            expected.phash, expected.dhash, expected.whash, expected.colorhash, expected.detail)
        assert row.segments.split(",") == list(expected.segments)
        assert session.get(ImageRow, bad_id).error == "not an image in a known format"


def _encoded(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def _animated_gif() -> bytes:
    frames = [Image.new("P", (600, 600), index % 200) for index in range(300)]
    return _encoded(Image.open(io.BytesIO(png())).convert("P"), "GIF", save_all=True, append_images=frames,
                    duration=20)


def _sideways_jpeg() -> bytes:
    exif = Image.Exif()
    exif[0x0112] = 6  # stored sideways: viewers turn it upright
    return _encoded(Image.open(io.BytesIO(png())), "JPEG", exif=exif)


# (case, file name as served, bytes, the reason logged for a bad image or None, (width, height) when good)
FILES: list[tuple[str, str, bytes, str | None, tuple[int, int] | None]] = [
    ("zero bytes", "empty.jpg", b"", "empty file (0 bytes)", None),
    ("truncated JPEG", "cut.jpg", _encoded(Image.new("RGB", (400, 300), "red"), "JPEG")[:300],
     "corrupt or truncated image", None),
    ("a captcha page served as .jpg", "captcha.jpg", b"<html><body>slide to verify</body></html>",
     "not an image in a known format", None),
    ("decompression bomb", "bomb.png", _encoded(Image.new("1", (8000, 6000)), "PNG"), "decompression bomb", None),
    ("PNG signature, then garbage", "junk.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "not an image", None),
    ("a PNG named .webp", "photo.webp", png(), None, (120, 90)),
    ("a 300-frame animated GIF: first frame", "anim.gif", _animated_gif(), None, (120, 90)),
    ("EXIF orientation applied", "side.jpg", _sideways_jpeg(), None, (90, 120)),
    ("WebP", "photo.webp", _encoded(Image.open(io.BytesIO(png())), "WEBP"), None, (120, 90)),
]


@pytest.mark.parametrize(("case", "name", "data", "reason", "size"), FILES, ids=[case[0] for case in FILES])
def test_every_bad_image_is_a_logged_outcome_and_good_ones_are_hashed(
        case: str, name: str, data: bytes, reason: str | None, size: tuple[int, int] | None,
        database: Database, settings: Settings, caplog: pytest.LogCaptureFixture) -> None:
    path = f"full/{hashlib.sha256(data).hexdigest()[:2]}/{name}"
    (settings.images_dir / path).parent.mkdir(parents=True, exist_ok=True)
    (settings.images_dir / path).write_bytes(data)
    crawler = get_crawler(settings_dict={"IPWATCH_SETTINGS": settings})
    store = StorePipeline(crawler)
    with database.session() as session:
        site = ensure_site(session, "demo", "http://127.0.0.1")
        store.site_id, store.run_id = site.id, start_run(session, site).id
    url = f"http://127.0.0.1/img/{name}"
    listing = Listing(site="demo", listing_key="1", url="http://127.0.0.1/item/1", title="羊绒衫",
                      images=(ImageFile(url, path),))
    with caplog.at_level(logging.INFO, logger="ipwatch.spiders.outcomes"):
        assert store.process_item(listing) is listing  # never raises: the crawl goes on
    store.database.dispose()
    with database.session() as session:
        row = session.scalars(select(ImageRow)).one()
    logged = [record.getMessage() for record in caplog.records if record.name == "ipwatch.spiders.outcomes"]
    if reason is None:
        assert row.error is None and (row.width, row.height) == size and len(row.phash) == 16
        assert crawler.stats.get_value("outcome/bad_image") is None and logged == []
    else:
        assert row.phash is None and reason in row.error
        assert crawler.stats.get_value("outcome/bad_image") == 1
        assert len(logged) == 1 and logged[0].startswith(f"bad_image: {url} ({reason}")
        assert logged[0].endswith("listing http://127.0.0.1/item/1) — " + BadImage.remedy)
