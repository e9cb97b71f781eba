"""Fixtures of the demo marketplace tests: a small HTTP client and the shop's ground truth (the `market`
fixture, one demo marketplace on 127.0.0.1 for the session, is in tests/servers/market.py)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message
from html.parser import HTMLParser
from typing import Any

import pytest

from ipwatch.demo_marketplace.server import RunningMarket


@dataclass(frozen=True)
class Reply:
    """One HTTP response as the tests see it."""

    status: int
    headers: Message
    body: bytes

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "")

    def text(self) -> str:
        charset = self.headers.get_content_charset() or "utf-8"
        return self.body.decode(charset)

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))


def get(url: str) -> Reply:
    """GET `url` and return the reply, error statuses included."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return Reply(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return Reply(error.code, error.headers, error.read())


class Links(HTMLParser):
    """The result links and the next-page link of a search page."""

    def __init__(self) -> None:
        super().__init__()
        self.results: list[str] = []
        self.next: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "a" and attributes.get("class") == "result":
            self.results.append(attributes["href"] or "")
        if tag == "a" and attributes.get("rel") == "next":
            self.next = attributes["href"]


def links(html: str) -> Links:
    """Parse a search page's links."""
    parser = Links()
    parser.feed(html)
    return parser


@pytest.fixture(scope="session")
def http() -> Any:
    """`get(url) -> Reply`, for tests."""
    return get


@pytest.fixture(scope="session")
def parse_links() -> Any:
    """`links(html) -> Links`, for tests."""
    return links


@pytest.fixture(scope="session")
def truth(market: RunningMarket) -> list[dict[str, Any]]:
    """The ground truth as the marketplace serves it."""
    return get(market.url + "/ground-truth.json").json()
