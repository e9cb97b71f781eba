"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives; it can refuse, be slow, hold
conversations at a gate, speak TLS and require a login."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from ipwatch.core.settings import Settings
from tests.servers import configured, free_port


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


def smtp_settings(settings: Settings, server: SmtpServer, **changes: Any) -> Settings:
    """`settings` sending by SMTP to `server`."""
    return configured(settings, smtp_host="127.0.0.1", smtp_port=server.port, **changes)
