"""A test's own shop on 127.0.0.1: `Shop`, the base its request handler extends (quiet, with `send` and
`redirect` that survive a client hanging up), and the `serve` fixture that puts it on a free port."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

HTML = "text/html; charset=utf-8"


class Shop(BaseHTTPRequestHandler):
    """The plumbing of a hand-written shop; a subclass's do_GET says what each page is."""

    def log_message(self, *args: Any) -> None:
        pass

    def send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        """Answer `status` with `body` (HTML unless `headers` give another Content-Type)."""
        self.send_response(status)
        for key, value in {"Content-Type": HTML, **(headers or {})}.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (ConnectionResetError, BrokenPipeError):
            pass  # the crawler hung up (on a page too large, say), as it may

    def redirect(self, location: str, status: int = 302) -> None:
        self.send(status, b"", {"Location": location})


def start(server: ThreadingHTTPServer) -> str:
    """Serve in a daemon thread; the base URL."""
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address[:2]
    return f"http://{host}:{port}"


def stop(server: ThreadingHTTPServer) -> None:
    server.shutdown()
    server.server_close()


@pytest.fixture
def serve() -> Iterator[Callable[[type[BaseHTTPRequestHandler]], str]]:
    """`serve(HandlerClass) -> base URL`: an HTTP server on 127.0.0.1 for this test."""
    servers: list[ThreadingHTTPServer] = []

    def serve_one(handler: type[BaseHTTPRequestHandler]) -> str:
        servers.append(ThreadingHTTPServer(("127.0.0.1", 0), handler))
        return start(servers[-1])

    yield serve_one
    for server in servers:
        stop(server)
