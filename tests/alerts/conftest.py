"""Fixtures for the alert queue: rows to match, a seeded scenario, a real SMTP server.

The `settings` and `database` fixtures come from tests/conftest.py: every test here that uses
them runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import hashlib
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from PIL import Image
from sqlalchemy.orm import Session

from alerts.queue import enqueue
from ipwatch.settings import Settings
from ipwatch.storage.engine import Database
from ipwatch.storage.models import ImageRow, ListingImageRow, ListingRow, MarkRow, SiteRow
from matchers.records import Match, Reason


class Rows:
    """Inserts the sites, marks and listings a test needs, directly as rows."""

    def __init__(self, session: Session, images_dir: Path) -> None:
        self.session, self.images_dir = session, images_dir

    def site(self, name: str = "demo") -> SiteRow:
        row = SiteRow(name=name, base_url=f"http://127.0.0.1/{name}")
        self.session.add(row)
        self.session.flush()
        return row

    def mark(self, mark_id: str, name: str, *, kind: str = "trademark",
             email: str | None = "owner@brand.example.org", notify: str = "immediate",
             owner: str | None = None) -> MarkRow:
        record = {"id": mark_id, "name": name, "kind": kind, "notify": notify}
        row = MarkRow(id=mark_id, name=name, kind=kind, owner=owner or f"{name}有限公司",
                      owner_email=email, record=record)
        self.session.add(row)
        self.session.flush()
        return row

    def listing(self, site: SiteRow, key: str, title: str, *, content_hash: str = "hash-1",
                image: Path | None = None, price: float | None = 19.9, seller: str = "某某专营店",
                url: str | None = None) -> ListingRow:
        row = ListingRow(site_id=site.id, listing_key=key, url=url or f"http://127.0.0.1/item/{key}",
                         title=title, price=price, currency="CNY", seller=seller,
                         seller_location="广东 广州", content_hash=content_hash, problems=[])
        self.session.add(row)
        self.session.flush()
        if image is not None:
            self.attach_image(row, image)
        return row

    def attach_image(self, listing: ListingRow, image: Path) -> None:
        data = image.read_bytes()
        image_row = ImageRow(sha256=hashlib.sha256(data).hexdigest(),
                             path=str(image.relative_to(self.images_dir)))
        self.session.add(image_row)
        self.session.flush()
        self.session.add(ListingImageRow(listing_id=listing.id, position=0, image_id=image_row.id))
        self.session.flush()


    def match(self, listing: ListingRow, mark: MarkRow, score: float = 0.92,
              reasons: tuple[str, ...] = ("homophone 小肥洋≈小肥羊 (xiao fei yang)",)) -> Match:
        """A match of `listing` against `mark`, as a matcher would produce it."""
        site = self.session.get(SiteRow, listing.site_id)
        return Match(site=site.name, listing_key=listing.listing_key, mark_id=mark.id, score=score,
                     reasons=tuple(Reason(technique="homophone", text=text) for text in reasons))


@pytest.fixture
def rows() -> type[Rows]:
    return Rows


class Seed:
    """Three alerts: two marks of one owner (the first listing hostile), one mark of another."""

    sheep_owner = "ip@nmg-brands.example.org"
    herb_owner = "ip@guyang-huangqi.example.org"
    hostile_title = '小肥洋 火锅底料 <script>alert("x")</script> & 包邮'

    def __init__(self, database: Database, settings: Settings) -> None:
        self.database, self.settings = database, settings

    def __call__(self, image: Path | None = None, *, url: str = "http://127.0.0.1/item/1") -> None:
        with self.database.session() as session:
            r = Rows(session, self.settings.images_dir)
            site = r.site("demo")
            sheep = r.mark("xiaofeiyang", "小肥羊", email=self.sheep_owner, owner="内蒙古品牌公司")
            deer = r.mark("luwang", "鹿王", email=self.sheep_owner, owner="内蒙古品牌公司")
            herb = r.mark("guyang-huangqi", "固阳黄芪", kind="gi", email=self.herb_owner,
                          owner="固阳县黄芪产业协会")
            for key, title, mark, image_path, extra in [
                ("1", self.hostile_title, sheep, image, ()),
                ("2", "鹿王羊绒衫 高仿 男款", deer, None, ("title says 高仿 (replica)",)),
                ("3", "固阳黄芪 正宗 500g", herb, None, ()),
            ]:
                listing = r.listing(site, key, title, image=image_path,
                                    url=url if key == "1" else f"http://127.0.0.1/item/{key}")
                reasons = (f"title contains {mark.name}", *extra)
                enqueue(session, listing, r.match(listing, mark, 0.93, reasons), mark)


@pytest.fixture
def seed(database: Database, settings: Settings) -> Seed:
    """Call it to insert the three-alert scenario (optionally with a listing image)."""
    return Seed(database, settings)


@pytest.fixture
def listing_image(settings: Settings) -> Path:
    """A small PNG inside images_dir, as the crawler would have downloaded it."""
    path = settings.images_dir / "ab" / "listing.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (600, 400), (200, 30, 30)).save(path)
    return path


def free_port() -> int:
    """A loopback TCP port nothing listens on (right now)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Received:
    """What the SMTP server was given: one entry per DATA command."""

    envelopes: list[tuple[str, list[str], bytes]] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 Message accepted for delivery"


class SmtpServer:
    """An aiosmtpd server on 127.0.0.1 that keeps what it receives; started on demand."""

    def __init__(self, port: int) -> None:
        self.port, self.received, self._controller = port, Received(), None

    def start(self) -> None:
        self._controller = Controller(self.received, hostname="127.0.0.1", port=self.port,
                                      server_hostname="localhost")
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A loopback SMTP server on a free port, not yet started (tests can start it late)."""
    server = SmtpServer(free_port())
    yield server
    server.stop()
