"""E-mail to one address: by SMTP when `smtp_host` is set, else a `.eml` file in the outbox."""

from __future__ import annotations

import re

from ...core.settings import Settings
from ..failures import ChannelUnusable, DeliveryFailed
from ..message import build_message
from ..outbox import write_eml
from ..records import DeliveryResult, Notice
from ..smtp import send_smtp
from .base import Channel

_ADDRESS = re.compile(r"^[^@\s]+@[^@\s]+$")


class EmailChannel(Channel):
    """E-mail: mailto:someone@example.org, HTML and text with thumbnails, over the smtp_* settings."""

    scheme = "mailto"
    name = "email"

    def __init__(self, url: str, settings: Settings) -> None:
        self.address = url.strip().removeprefix("mailto:").strip()
        if not _ADDRESS.match(self.address):
            raise ChannelUnusable("mailto:…", f"{self.address!r} is not an e-mail address")
        self.settings = settings

    def __str__(self) -> str:
        return f"mailto:{self.address}"

    def deliver(self, notice: Notice) -> DeliveryResult:
        message = build_message(notice, recipient=self.address, settings=self.settings)
        settings, message_id = self.settings, message["Message-ID"]
        try:
            if settings.smtp_host:
                send_smtp(message, self.address, settings)
                return DeliveryResult(str(self), True, f"sent via SMTP {settings.smtp_host}:{settings.smtp_port}",
                                      message_id=message_id)
            path = write_eml(settings.outbox_dir, message, self.address)
        except DeliveryFailed as failure:
            return DeliveryResult(str(self), False, str(failure), failure=failure)
        return DeliveryResult(str(self), True, f"written to {path}", message_id=message_id, written=str(path))
