"""Fixtures for the alert queue: rows to match, a seeded scenario, a real SMTP server, a real
HTTPS endpoint for chat channels, the `ipwatch` command.

The `settings` and `database` fixtures come from tests/conftest.py: every test here that uses
them runs on SQLite and on PostgreSQL, unless marked `sqlite_only`.
"""

from __future__ import annotations

import asyncio
import hashlib
import ipaddress
import json
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from PIL import Image
from sqlalchemy.orm import Session
from typer.testing import CliRunner, Result

from ipwatch.alerts.queue import enqueue
from ipwatch.cli import app
from ipwatch.core.settings import Settings
from ipwatch.core.storage.engine import Database
from ipwatch.core.storage.models import ImageRow, ListingImageRow, ListingRow, MarkRow, SiteRow
from ipwatch.matchers.records import Match, Reason

# What a test checks about rendering or the command line does not depend on the database: such
# tests run on SQLite only, and the storage-dependent ones on both.
sqlite_only = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


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
             owner: str | None = None, **record_extra: Any) -> MarkRow:
        record = {"id": mark_id, "name": name, "kind": kind, "notify": notify, **record_extra}
        row = MarkRow(id=mark_id, name=name, kind=kind, owner=owner or f"{name}有限公司",
                      owner_email=email, record=record)
        self.session.add(row)
        self.session.flush()
        return row

    def listing(self, site: SiteRow, key: str, title: str, *, content_hash: str = "hash-1",
                image: Path | None = None, price: float | None = 19.9, seller: str | None = "某某专营店",
                url: str | None = None, contacts: tuple[str, ...] = ()) -> ListingRow:
        row = ListingRow(site_id=site.id, listing_key=key, url=url or f"http://127.0.0.1/item/{key}",
                         title=title, price=price, currency="CNY", seller=seller,
                         seller_location="广东 广州", content_hash=content_hash, problems=[],
                         seller_contacts=list(contacts))
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

    def show_picture(self, listing: ListingRow, sha256: str, phash: str | None = None) -> ImageRow:
        """Link a picture (found by sha256, else stored) to the listing, as the crawler would."""
        image_row = self.session.query(ImageRow).filter_by(sha256=sha256).one_or_none()
        if image_row is None:
            image_row = ImageRow(sha256=sha256, path=None, phash=phash)
            self.session.add(image_row)
            self.session.flush()
        position = len(self.session.query(ListingImageRow).filter_by(listing_id=listing.id).all())
        self.session.add(ListingImageRow(listing_id=listing.id, position=position, image_id=image_row.id))
        self.session.flush()
        return image_row


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
    """What the SMTP server was given: one entry per DATA command it accepted.

    `refuse` DATA commands are answered 451 first (the server is "down" for them); each
    accepted one waits `delay` seconds (a slow server, to catch a worker mid-delivery);
    `started` counts DATA commands begun; `gate`, when set, holds every DATA until that
    many conversations are inside DATA at once (two workers sending at the same time).
    """

    envelopes: list[tuple[str, list[str], bytes]] = field(default_factory=list)
    unknown: set[str] = field(default_factory=set)  # addresses answered 550 at RCPT
    refuse: int = 0
    delay: float = 0.0
    started: int = 0
    gate: int = 0
    inside: int = 0
    refused: int = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:  # noqa: N802
        if address in self.unknown:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        self.started += 1
        if self.refused < self.refuse:
            self.refused += 1
            return "451 4.3.0 try again later"
        self.inside += 1
        try:
            for _ in range(600):
                if not self.gate or self.inside >= self.gate:
                    self.gate = 0  # opened once, stays open
                    break
                await asyncio.sleep(0.05)
            await asyncio.sleep(self.delay)
        finally:
            self.inside -= 1
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 Message accepted for delivery"

    def per_recipient(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for _, rcpts, _ in self.envelopes:
            for rcpt in rcpts:
                counts[rcpt] = counts.get(rcpt, 0) + 1
        return counts


class SmtpServer:
    """An aiosmtpd server on 127.0.0.1 that keeps what it receives; started on demand.

    With `tls` (a server SSLContext) it offers STARTTLS, or speaks TLS from the first byte when
    `implicit`; with `logins` it requires AUTH with one of those user names and passwords.
    """

    def __init__(self, port: int) -> None:
        self.port, self.received, self._controller = port, Received(), None
        self.logins_seen: list[str] = []

    def start(self, *, tls: ssl.SSLContext | None = None, implicit: bool = False,
              logins: dict[str, str] | None = None) -> None:
        options: dict[str, Any] = {}
        if logins is not None:
            def check(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
                user, password = auth_data.login.decode(), auth_data.password.decode()
                self.logins_seen.append(user)
                return AuthResult(success=logins.get(user) == password, handled=False)
            options.update(authenticator=check, auth_required=True, auth_require_tls=not implicit)
        if tls is not None:
            options.update(ssl_context=tls) if implicit else options.update(tls_context=tls, require_starttls=True)
        self._controller = Controller(self.received, hostname="127.0.0.1", port=self.port,
                                      server_hostname="localhost", **options)
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


def configured(settings: Settings, **changes: Any) -> Settings:
    """`settings` with `changes`, validated as if read from the environment."""
    return Settings.model_validate({**settings.model_dump(), **changes})


def smtp_settings(settings: Settings, server: SmtpServer, **changes: Any) -> Settings:
    """`settings` sending by SMTP to `server`."""
    return configured(settings, smtp_host="127.0.0.1", smtp_port=server.port, **changes)


@pytest.fixture
def cli(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Run `ipwatch …` against the test database, as a user with IPWATCH_* set would."""
    monkeypatch.setenv("IPWATCH_DATA_DIR", str(settings.data_dir))
    if settings.database_url:
        monkeypatch.setenv("IPWATCH_DATABASE_URL", settings.database_url)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args), catch_exceptions=False)


# Chat services speak HTTPS to fixed hosts. The test server is their stand-in on 127.0.0.1: an
# HTTPS proxy (HTTPS_PROXY) that answers CONNECT itself, terminates TLS with a certificate for
# those hosts signed by a throwaway CA (REQUESTS_CA_BUNDLE), and records each request. Nothing
# leaves the machine, and Apprise runs unmodified, certificate checks included.
SERVICE_HOSTS = ("oapi.dingtalk.com", "qyapi.weixin.qq.com", "open.feishu.cn", "hooks.slack.com")


def make_certificates(folder: Path) -> tuple[Path, Path, Path]:
    """A throwaway CA and a server certificate for SERVICE_HOSTS signed by it: (ca, cert, key)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = datetime.now(UTC)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ipwatch test CA")])
    usage = x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True, content_commitment=False,
                          key_encipherment=False, data_encipherment=False, key_agreement=False,
                          encipher_only=False, decipher_only=False)

    def builder(subject: Any, public_key: Any) -> Any:
        return (x509.CertificateBuilder().subject_name(subject).issuer_name(ca_name).public_key(public_key)
                .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
                .not_valid_after(now + timedelta(days=2)))

    ca = (builder(ca_name, ca_key.public_key())
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(usage, critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    names = [x509.DNSName(host) for host in SERVICE_HOSTS] + [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    cert = (builder(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, SERVICE_HOSTS[0])]), key.public_key())
            .add_extension(x509.SubjectAlternativeName(names), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    paths = folder / "ca.pem", folder / "server.pem", folder / "server.key"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return paths


@dataclass(frozen=True)
class Hit:
    """One request a chat service (or webhook) received."""

    host: str
    path: str
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class HookServer:
    """Webhook receiver and TLS-terminating HTTPS proxy on 127.0.0.1; answers `status`."""

    def __init__(self, folder: Path) -> None:
        self.ca, cert, key = make_certificates(folder)
        self.tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.tls.load_cert_chain(cert, key)
        self.hits: list[Hit] = []
        self.status = 200
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def reset(self) -> None:
        self.hits.clear()
        self.status = 200

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            host = ""

            def log_message(self, *args: Any) -> None:
                pass

            def do_CONNECT(self) -> None:  # noqa: N802 - http.server's method name
                self.send_response(200, "Connection established")
                self.end_headers()
                self.connection = outer.tls.wrap_socket(self.connection, server_side=True)
                self.rfile, self.wfile = self.connection.makefile("rb"), self.connection.makefile("wb")
                self.host = self.path.rsplit(":", 1)[0]
                self.close_connection = False
                while not self.close_connection:
                    self.handle_one_request()

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                outer.hits.append(Hit(self.host or self.headers.get("Host", ""), self.path, body))
                answer = b"ok" if self.host == "hooks.slack.com" else b'{"errcode":0,"errmsg":"ok","code":0}'
                self.send_response(outer.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

        return Handler


@pytest.fixture(scope="session")
def hook_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HookServer]:
    """The chat services' stand-in, shared by the session."""
    server = HookServer(tmp_path_factory.mktemp("hooks"))
    yield server
    server.stop()


@pytest.fixture
def hooks(hook_server: HookServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[HookServer]:
    """The hook server, emptied, with HTTPS for the chat services routed to it and its CA trusted."""
    hook_server.reset()
    for name in ("NO_PROXY", "no_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{hook_server.port}")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(hook_server.ca))
    yield hook_server
