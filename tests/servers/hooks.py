"""The chat services' and webhooks' stand-in on 127.0.0.1.

Chat services speak HTTPS to fixed hosts. The test server is their stand-in: an HTTPS proxy (HTTPS_PROXY)
that answers CONNECT itself, terminates TLS with a certificate for those hosts signed by a throwaway CA
(REQUESTS_CA_BUNDLE), and records each request. Nothing leaves the machine, and Apprise runs unmodified,
certificate checks included. A plain webhook (json://127.0.0.1:PORT/…) reaches it directly.
"""

from __future__ import annotations

import ipaddress
import json
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.servers.shop import start, stop

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
        start(self.server)

    def reset(self) -> None:
        self.hits.clear()
        self.status = 200

    def stop(self) -> None:
        stop(self.server)

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
