"""Listing images are stored once per content, named by what their bytes are, and hashed into the
database with every hash; hostile bytes are stored as a named bad image."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from PIL import Image, ImageDraw
from scrapy import Request
from scrapy.http import Response
from scrapy.utils.test import get_crawler

from ipwatch.settings import Settings
from ipwatch.storage.engine import Database
from ipwatch.storage.models import ImageRow
from matchers.images import compute_hashes
from spiders.pipelines import ListingImagesPipeline, sniffed_extension
from spiders.records import ImageFile, Listing
from spiders.store import store_image


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
        assert (row.phash, row.dhash, row.whash, row.colorhash) == (
            expected.phash, expected.dhash, expected.whash, expected.colorhash)
        assert row.segments.split(",") == list(expected.segments)
        assert session.get(ImageRow, bad_id).error == "not an image in a known format"
