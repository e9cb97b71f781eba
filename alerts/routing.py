"""Who hears about an alert, by which channel, and when: owners' preferences and the office's settings.

Per mark, in the watchlist: `notify` is `immediate` (every alert at the next delivery pass),
`digest` (high severity at once, the rest in one daily digest at `digest_hour`, default
Settings.digest_hour on the Settings.timezone clock) or `off`; `owner_email` and `channels`
say where. The office's `office_channels` get every alert of `office_channel_severity` or more
at once. A digest is scheduled in the queue itself: its deliveries fall due at the digest hour,
and whichever delivery pass runs next (`ipwatch deliver`, the worker, the scheduler) sends
each recipient's due digest deliveries as one message.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from ..core.settings import Settings
from ..core.storage.models import MarkRow
from .channels import channel_name, identity
from .records import SEVERITY_RANK
from .severity import DEFAULT_POLICY, SeverityPolicy

Mode = Literal["immediate", "digest"]


@dataclass(frozen=True, slots=True)
class Target:
    """One delivery to queue: channel name, recipient (an address, or a channel's masked identity), timing."""

    channel: str
    recipient: str
    mode: Mode
    due: datetime


@dataclass(frozen=True, slots=True)
class Routing:
    """The delivery rules in force: severity policy, office channels, digest clock."""

    policy: SeverityPolicy = DEFAULT_POLICY
    office_channels: tuple[str, ...] = ()
    office_severity: str = "high"
    digest_hour: int = 8
    timezone: str = "Asia/Shanghai"
    _zone: ZoneInfo = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_zone", ZoneInfo(self.timezone))

    @classmethod
    def from_settings(cls, settings: Settings) -> Routing:
        return cls(policy=SeverityPolicy.from_settings(settings),
                   office_channels=tuple(url.get_secret_value() for url in settings.office_channels),
                   office_severity=settings.office_channel_severity, digest_hour=settings.digest_hour,
                   timezone=settings.timezone)

    def next_digest(self, now: datetime, hour: int | None = None) -> datetime:
        """The next time the office clock shows `hour`:00 (default digest_hour), in UTC."""
        local = now.astimezone(self._zone)
        at = local.replace(hour=self.digest_hour if hour is None else hour, minute=0, second=0, microsecond=0)
        if at <= local:
            at = (at + timedelta(days=1)).replace(tzinfo=self._zone)  # wall clock, across DST changes
        return at.astimezone(now.tzinfo)

    def targets(self, mark: MarkRow, severity: str, now: datetime) -> list[Target]:
        """Every delivery an alert of `severity` about `mark` needs, owners' first."""
        record: dict[str, Any] = mark.record or {}
        notify = record.get("notify", "immediate")
        targets = []
        if notify != "off":
            digest = notify == "digest" and severity != "high"
            mode: Mode = "digest" if digest else "immediate"
            due = self.next_digest(now, record.get("digest_hour")) if digest else now
            if mark.owner_email:
                targets.append(Target("email", mark.owner_email, mode, due))
            targets.extend(Target(channel_name(url), identity(url), mode, due) for url in record.get("channels") or ())
        if SEVERITY_RANK.get(severity, 0) >= SEVERITY_RANK[self.office_severity]:
            targets.extend(Target(channel_name(url), identity(url), "immediate", now) for url in self.office_channels)
        return targets


DEFAULT_ROUTING = Routing()
