"""`ipwatch extract FILE_OR_URL [--url URL]` prints the listing a page shows as JSON: a public interface."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ipwatch.cli import app
from tests.servers.shop import Shop

GBK_PAGE = ('<html><head><meta charset="gbk"><title>鹿王羊绒衫</title></head><body><h1>鹿王羊绒衫 男士圆领</h1>'
            '<span class="price">￥398.00</span><dl><dt>品牌</dt><dd>鹿王</dd></dl></body></html>')


@pytest.fixture
def run(tmp_path: Path) -> Iterator[Callable[..., Any]]:
    saved = {key: os.environ.pop(key) for key in list(os.environ) if key.startswith("IPWATCH_")}
    env = {"IPWATCH_DATA_DIR": str(tmp_path / "data"), "IPWATCH_PAGE_MAX_BYTES": str(1024 * 1024)}
    yield lambda *args: CliRunner().invoke(app, ["extract", *args], env=env)
    os.environ.update(saved)


def test_a_saved_gbk_page(tmp_path: Path, run: Callable[..., Any]) -> None:
    page = tmp_path / "item.html"
    page.write_bytes(GBK_PAGE.encode("gbk"))
    result = run(str(page), "--url", "https://shop.example.cn/item/42")
    assert result.exit_code == 0, result.output
    listing = json.loads(result.output)
    assert {key: listing[key] for key in ("title", "price", "currency", "brand", "url", "encoding")} == {
        "title": "鹿王羊绒衫 男士圆领", "price": 398.0, "currency": "CNY", "brand": "鹿王",
        "url": "https://shop.example.cn/item/42", "encoding": "gb18030"}
    assert listing["sources"]["price"] == "html" and listing["problems"] == []


def test_a_saved_tmall_page_is_read_with_the_tmall_profile(run: Callable[..., Any],
                                                           real_page: Callable[[str], bytes], tmp_path: Path) -> None:
    page = tmp_path / "item.123.html"
    page.write_bytes(real_page("zmnxksdf/item.123.html"))
    listing = json.loads(run(str(page), "--url", "https://detail.tmall.com/item.htm?id=18959526273").output)
    assert (listing["profile"], listing["brand"], listing["price"], listing["seller"]) == \
        ("tmall", "AMH", 298.0, "amh官方旗舰店")


class GbkShop(Shop):
    def do_GET(self) -> None:  # noqa: N802
        self.send(200, GBK_PAGE.encode("gbk"), {"Content-Type": "text/html; charset=GBK"})


def test_a_url_is_fetched(serve: Callable[[type], str], run: Callable[..., Any]) -> None:
    url = serve(GbkShop) + "/item/7"
    listing = json.loads(run(url).output)
    assert (listing["url"], listing["title"], listing["price"]) == (url, "鹿王羊绒衫 男士圆领", 398.0)


@pytest.mark.parametrize(("make", "message"), [
    (lambda folder: folder / "nothing.html", "cannot be read"),
    (lambda folder: _big(folder), "more than the page limit"),
])
def test_unreadable_pages_are_errors_with_a_reason(tmp_path: Path, run: Callable[..., Any],
                                                  make: Callable[[Path], Path], message: str) -> None:
    result = run(str(make(tmp_path)))
    assert result.exit_code == 2 and message in result.output


def _big(folder: Path) -> Path:
    path = folder / "big.html"
    path.write_bytes(b"<html><h1>x</h1>" + b" " * (2 * 1024 * 1024))
    return path
