"""The channel registry: a channel is a class with a URL scheme, named by the URL users write.

    # alerts/channels/dingtalk.py
    class DingTalkChannel(AppriseChannel):
        \"\"\"DingTalk (钉钉) group robot: dingtalk://TOKEN/ or dingtalk://SECRET@TOKEN/.\"\"\"
        scheme = "dingtalk"

A channel registers itself under its `name` (its scheme unless it says otherwise; its module is
named for it) and, in `REGISTRY`, under its schemes (`scheme` and `also`); a second class
claiming a name or a scheme is refused at import. A channel checks its URL in its constructor,
sends a `Notice` with `deliver(notice)` (or one alert with `send(alert)`), and prints itself with
its secrets masked.
"""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from functools import lru_cache
from typing import Any, ClassVar
from urllib.parse import urlsplit

from ...core.registry import Kind
from ...core.settings import Settings
from ..failures import ChannelUnusable
from ..records import Alert, DeliveryResult, Notice

REGISTRY: dict[str, type[Channel]] = {}  # URL scheme → channel


class Channel(ABC, Kind, family="channel", package=__package__):
    """A way to reach people: e-mail, a chat group robot, a webhook."""

    scheme: ClassVar[str]
    also: ClassVar[tuple[str, ...]] = ()  # further URL schemes it accepts, e.g. jsons for json
    name: ClassVar[str]  # what `deliveries.channel` and the CLI call it; defaults to `scheme`
    registry: ClassVar[dict[str, type[Channel]]]

    def __init_subclass__(cls, *, abstract: bool = False, **kwargs: Any) -> None:
        if not abstract:  # a middle class (AppriseChannel) claims no scheme
            if "scheme" not in cls.__dict__:
                raise TypeError(f"{cls.__qualname__} must set a class attribute `scheme`")
            for scheme in (cls.scheme, *cls.also):
                if scheme in REGISTRY:
                    raise TypeError(f"channel scheme {scheme!r} of {cls.__name__} is already "
                                    f"{REGISTRY[scheme].__name__}'s")
            cls.name = cls.__dict__.get("name", cls.scheme)
        super().__init_subclass__(abstract=abstract, **kwargs)
        if not abstract:
            REGISTRY.update(dict.fromkeys((cls.scheme, *cls.also), cls))

    @abstractmethod
    def __init__(self, url: str, settings: Settings) -> None:
        """Check `url`; raise `ChannelUnusable` saying what is wrong with it."""

    @abstractmethod
    def deliver(self, notice: Notice) -> DeliveryResult:
        """Hand `notice` over; a failure is returned as a result, never raised."""

    @abstractmethod
    def __str__(self) -> str:
        """The channel's URL with its secrets masked."""

    def send(self, alert: Alert) -> DeliveryResult:
        """Send one alert at once."""
        return self.deliver(Notice(alerts=(alert,)))


def scheme_of(url: str) -> str:
    """The URL's scheme, lower case (`mailto` for `mailto:x@y`)."""
    return urlsplit(url.strip()).scheme.lower()


def channel_for(url: str, settings: Settings) -> Channel:
    """The channel for `url`, or `ChannelUnusable` naming the schemes there are."""
    cls = REGISTRY.get(scheme_of(url))
    if cls is None:
        known = ", ".join(sorted(REGISTRY))
        said = f"no channel speaks {scheme_of(url) or 'this URL'}:// (known: {known})"
        raise ChannelUnusable(_scheme_only(url), said)
    return cls(url, settings)


def shown(url: str, settings: Settings) -> str:
    """`url` as it may be printed (secrets masked), or why no channel can use it."""
    try:
        return str(channel_for(url, settings))
    except ChannelUnusable as failure:
        return f"unusable ({failure.reason})"


def _scheme_only(url: str) -> str:
    scheme = scheme_of(url)
    return f"{scheme}://…" if scheme else "a URL without a scheme"


@lru_cache(maxsize=1024)
def identity(url: str) -> str:
    """How a delivery names a channel without its secrets: masked URL and a digest of the real one."""
    digest = hashlib.sha256(url.strip().encode()).hexdigest()[:10]
    try:
        printed = str(channel_for(url, Settings.model_construct()))  # masking needs no settings
    except ChannelUnusable:
        printed = _scheme_only(url)
    return f"{printed[:200]}#{digest}"


def channel_name(url: str) -> str:
    """The `deliveries.channel` name of the channel for `url` (its scheme when none speaks it)."""
    cls = REGISTRY.get(scheme_of(url))
    return cls.name if cls else (scheme_of(url) or "unknown")[:40]
