"""Channels Apprise already speaks: the URL is Apprise's own, the message our Markdown."""

from __future__ import annotations

import logging
import re
from typing import ClassVar

import apprise

from ...core.settings import Settings
from ..chat import render_chat
from ..failures import ChannelRefused, ChannelUnusable
from ..records import DeliveryResult, Notice
from .base import Channel, scheme_of

log = logging.getLogger(__name__)


class AppriseChannel(Channel, abstract=True):
    """A thin adapter to one Apprise service; subclasses name the scheme and the message format."""

    body_format: ClassVar[str] = apprise.NotifyFormat.MARKDOWN

    def __init__(self, url: str, settings: Settings) -> None:
        self.url = url.strip()
        if scheme_of(self.url) not in (self.scheme, *self.also):
            raise ChannelUnusable(f"{scheme_of(self.url)}://…", f"not a {self.name} URL ({self.scheme}://…)")
        with apprise.LogCapture(level=logging.WARNING, fmt="%(message)s") as captured:
            plugin = apprise.Apprise.instantiate(self.url, suppress_exceptions=True)
        if plugin is None:
            said = " ".join(captured.getvalue().split())[-300:] or "Apprise could not read it"
            raise ChannelUnusable(f"{self.scheme}://…", f"not a usable {self.name} URL ({said}); the form is "
                                                         f"{self.summary().partition(': ')[2] or self.scheme + '://…'}")
        self._plugin = plugin

    def __str__(self) -> str:
        scheme, _, rest = str(self._plugin.url(privacy=True)).split("?", 1)[0].partition("://")
        return f"{scheme}://{re.sub('/{2,}', '/', rest)}"

    def deliver(self, notice: Notice) -> DeliveryResult:
        title, body = render_chat(notice, markdown=self.body_format == apprise.NotifyFormat.MARKDOWN)
        box = apprise.Apprise()
        box.add(self._plugin)
        result = box.notify(body=body, title=title, body_format=self.body_format)
        if result:
            return DeliveryResult(str(self), True, f"sent to {self}")
        said = "; ".join(" ".join(entry.message.split()) for entry in result.logs()) or "refused the message"
        failure = ChannelRefused(str(self), said[:500])
        return DeliveryResult(str(self), False, str(failure), failure=failure)
