"""The shop's HTTP server (standard library ThreadingHTTPServer), in a thread or in the foreground."""

from __future__ import annotations

import json
import logging
import re
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, cast
from urllib.parse import parse_qs, quote, urlsplit

from . import images, pages
from .catalogue import Catalogue, build_catalogue
from .records import Product, Section

log = logging.getLogger(__name__)
PER_PAGE = 10
ROBOTS = "User-agent: *\nDisallow: /admin/\nDisallow: /cart/\n"
_HOST = re.compile(r"^[A-Za-z0-9.\-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$")
_ITEM = re.compile(r"^/(gbk/)?item/([A-Za-z0-9]+)/?$")
_IMAGE = re.compile(r"^/img/([A-Za-z0-9]+)/(\d{1,2})\.(jpg|png)$")


class BadQuery(ValueError):
    """A search request whose page number is not a positive integer."""


def query_params(raw: str) -> dict[str, str]:
    """The first value of each query parameter; UTF-8 as browsers send it, GBK tolerated from old forms."""
    if not raw.isascii():  # raw bytes in the request line, which http.server decodes as Latin-1
        raw = quote(raw.encode("latin-1", errors="replace"), safe="=&+%;")
    try:
        params = parse_qs(raw, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        params = parse_qs(raw, encoding="gbk", errors="replace")
    return {key: values[0] for key, values in params.items()}


def paginate(hits: list[Product], params: dict[str, str], path: str) -> tuple[int, list[Product], str | None]:
    """The page number, its hits, and the link to the next page if there is one."""
    text = params.get("page", "1").strip() or "1"
    if not text.isdigit() or not 1 <= int(text) <= 100_000:
        raise BadQuery(f"page must be a positive integer, not {text[:20]!r}")
    number = int(text)
    start = (number - 1) * PER_PAGE
    more = len(hits) > start + PER_PAGE
    next_href = f"{path}?q={quote(params.get('q', ''))}&page={number + 1}" if more else None
    return number, hits[start:start + PER_PAGE], next_href


class ShopHandler(BaseHTTPRequestHandler):
    """Routes one request to the page, JSON or image it asks for."""

    catalogue: Catalogue  # set on the subclass make_handler builds
    server_version = "DemoMarketplace/1.0"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        log.debug("%s " + format, self.address_string(), *args)

    def do_HEAD(self) -> None:  # noqa: N802 - http.server's naming
        self._route(head=True)

    def do_GET(self) -> None:  # noqa: N802
        self._route(head=False)

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not self._head:
            self.wfile.write(body)

    def _html(self, status: int, text: str, charset: str = "utf-8") -> None:
        self._send(status, text.encode(charset, errors="xmlcharrefreplace"), f"text/html; charset={charset}")

    def _base_url(self) -> str:
        host = self.headers.get("Host", "")
        if not _HOST.match(host):
            address, port = cast(tuple[str, int], self.server.server_address)[:2]
            host = f"{address}:{port}"
        return f"http://{host}"

    def _route(self, *, head: bool) -> None:
        self._head = head
        try:
            self._dispatch()
        except Exception:  # a bug in one page must not take the shop down; the client sees a 500
            log.exception("demo marketplace failed on %s", self.path)
            self._html(500, pages.error_page(500, "服务器内部错误"))

    def _dispatch(self) -> None:
        url = urlsplit(self.path)
        path = url.path
        try:
            params = query_params(url.query)
            if path == "/":
                return self._html(200, pages.home())
            if path == "/robots.txt":
                return self._send(200, ROBOTS.encode(), "text/plain; charset=utf-8")
            if path == "/ground-truth.json":
                body = json.dumps(self.catalogue.ground_truth(), ensure_ascii=False, indent=1).encode()
                return self._send(200, body, "application/json; charset=utf-8")
            if path == "/admin" or path.startswith("/admin/"):
                return self._html(403, pages.error_page(403, "禁止访问"))
            if path in ("/search", "/gbk/search"):
                return self._search("gbk" if path.startswith("/gbk") else "static", params, path)
            if path == "/mall/search":
                return self._html(200, pages.mall_shell(params.get("q", "")))
            if path == "/api/mall/search":
                return self._mall_api(params)
            if match := _ITEM.match(path):
                return self._listing(match.group(2), gbk=bool(match.group(1)))
            if match := _IMAGE.match(path):
                return self._image(match.group(1), int(match.group(2)), match.group(3))
        except BadQuery as error:
            return self._html(400, pages.error_page(400, str(error)))
        self._not_found()

    def _not_found(self) -> None:
        self._html(404, pages.error_page(404, "页面不存在或商品已下架"))

    def _search(self, section: Section, params: dict[str, str], path: str) -> None:
        query = params.get("q", "")
        hits = self.catalogue.search(section, query)
        number, shown, next_href = paginate(hits, params, path)
        charset = "gbk" if section == "gbk" else "utf-8"
        self._html(200, pages.search_page(section, query, number, shown, next_href, len(hits)), charset)

    def _mall_api(self, params: dict[str, str]) -> None:
        hits = self.catalogue.search("mall", params.get("q", ""))
        number, shown, next_href = paginate(hits, params, "/mall/search")
        data = {"query": params.get("q", ""), "page": number, "total": len(hits), "next": next_href,
                "results": [{"id": p.id, "title": p.title, "url": p.url_path} for p in shown]}
        self._send(200, json.dumps(data, ensure_ascii=False).encode(), "application/json; charset=utf-8")

    def _listing(self, product_id: str, *, gbk: bool) -> None:
        product = self.catalogue.product(product_id)
        if product is None or product.bad == "404" or (product.section == "gbk") != gbk:
            return self._not_found()
        self._html(200, pages.listing_page(product, self._base_url()), "gbk" if gbk else "utf-8")

    def _image(self, product_id: str, number: int, ext: str) -> None:
        product = self.catalogue.product(product_id)
        if product is None or product.bad == "404" or not 1 <= number <= len(product.images):
            return self._not_found()
        spec = product.images[number - 1]
        if spec.ext != ext:
            return self._not_found()
        self._send(200, images.render(spec), images.content_type(spec))


def make_server(catalogue: Catalogue, host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
    """A listening server for `catalogue` (port 0 picks a free port)."""
    handler = type("BoundShopHandler", (ShopHandler,), {"catalogue": catalogue})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


def url_of(server: ThreadingHTTPServer) -> str:
    """The base URL a server answers on."""
    host, port = cast(tuple[str, int], server.server_address)[:2]
    return f"http://{host}:{port}"


@dataclass
class RunningMarket:
    """A demo marketplace serving in a background thread."""

    url: str
    catalogue: Catalogue
    _server: ThreadingHTTPServer
    _thread: threading.Thread

    def stop(self) -> None:
        """Stop serving and release the port."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)


def start_in_thread(watchlist_path: Path, port: int = 0) -> RunningMarket:
    """Build the catalogue for `watchlist_path` and serve it on 127.0.0.1 in a daemon thread."""
    catalogue = build_catalogue(watchlist_path)
    server = make_server(catalogue, "127.0.0.1", port)
    thread = threading.Thread(target=server.serve_forever, name="demo-marketplace", daemon=True)
    thread.start()
    return RunningMarket(url=url_of(server), catalogue=catalogue, _server=server, _thread=thread)
