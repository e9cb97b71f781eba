"""The demo marketplace for tests: `market`, one for the session built from the sample watchlist, and
`CountingMarket`, a marketplace of its own that counts every page it serves and can hold listing pages."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from ipwatch.demo_marketplace.catalogue import build_catalogue
from ipwatch.demo_marketplace.server import RunningMarket, make_server, start_in_thread
from tests.servers.shop import start, stop

SAMPLE = Path(__file__).resolve().parents[2] / "watchlist" / "samples" / "baotou.yaml"
LISTING_PAGES = ("/item", "/gbk/item")


@pytest.fixture(scope="session")
def market() -> Iterator[RunningMarket]:
    """The demo marketplace built from the sample watchlist, serving in a thread."""
    running = start_in_thread(SAMPLE)
    yield running
    running.stop()


class CountingMarket:
    """The demo marketplace, counting every GET by path (query string included). With `free_pages`, listing
    pages after that many are held at `gate` until it is set (so that a signal surely arrives while pages are
    being fetched and others are still queued)."""

    def __init__(self, free_pages: int | None = None) -> None:
        self.hits: Counter[str] = Counter()
        self.gate = threading.Event()
        self.server = make_server(build_catalogue(SAMPLE))
        handler = self.server.RequestHandlerClass
        hits, lock, gate = self.hits, threading.Lock(), self.gate

        def do_get(this: object) -> None:
            path = this.path  # type: ignore[attr-defined]
            with lock:
                hits[path] += 1
                held = (free_pages is not None and path.startswith(LISTING_PAGES)
                        and sum(n for seen, n in hits.items() if seen.startswith(LISTING_PAGES)) > free_pages)
            if held:
                gate.wait(timeout=60)
            handler.do_GET(this)  # type: ignore[arg-type]

        self.server.RequestHandlerClass = type("CountingHandler", (handler,), {"do_GET": do_get})
        self.url = start(self.server)

    def listing_hits(self) -> Counter[str]:
        return Counter({path: count for path, count in self.hits.items() if path.startswith(LISTING_PAGES)})

    def close(self) -> None:
        self.gate.set()
        stop(self.server)


@pytest.fixture
def counting_market() -> Iterator[CountingMarket]:
    """A demo marketplace of this test's own that counts the pages it serves."""
    market = CountingMarket()
    yield market
    market.close()
