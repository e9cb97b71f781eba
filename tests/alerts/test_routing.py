"""Routing: who hears about an alert, by which channel, and when — from the watchlist and settings."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ipwatch.alerts.channels import identity
from ipwatch.alerts.routing import Routing
from ipwatch.core.settings import Settings
from ipwatch.core.storage.models import MarkRow

NOW = datetime(2026, 3, 10, 3, 30, tzinfo=UTC)  # 11:30 in Baotou (UTC+8)
NEXT_8AM = datetime(2026, 3, 11, 0, 0, tzinfo=UTC)  # 08:00 tomorrow in Baotou
DING = "dingtalk://0123456789abcdef/"
OFFICE = "wecombot://officekey123"


def _mark(notify: str = "immediate", email: str | None = "ip@brand.example.org", **record) -> MarkRow:
    return MarkRow(id="xiaofeiyang", name="小肥羊", kind="trademark", owner="内蒙古小肥羊", owner_email=email,
                   record={"id": "xiaofeiyang", "notify": notify, **record})


CASES = [
    # notify, severity, extra record, expected (channel, recipient, mode, due)
    ("immediate", "low", {}, [("email", "ip@brand.example.org", "immediate", NOW)]),
    ("digest", "medium", {}, [("email", "ip@brand.example.org", "digest", NEXT_8AM)]),
    ("digest", "high", {}, [("email", "ip@brand.example.org", "immediate", NOW)]),
    ("digest", "low", {"digest_hour": 18}, [("email", "ip@brand.example.org", "digest",
                                              datetime(2026, 3, 10, 10, 0, tzinfo=UTC))]),
    ("off", "high", {"channels": [DING]}, []),
    ("immediate", "medium", {"channels": [DING]}, [("email", "ip@brand.example.org", "immediate", NOW),
                                                   ("dingtalk", identity(DING), "immediate", NOW)]),
]


@pytest.mark.parametrize(("notify", "severity", "extra", "expected"), CASES)
def test_owners_choose_immediate_digest_or_off_per_mark(notify, severity, extra, expected):
    targets = Routing().targets(_mark(notify, **extra), severity, NOW)
    assert [(t.channel, t.recipient, t.mode, t.due) for t in targets] == expected


@pytest.mark.parametrize(("severity", "office_heard"), [("low", False), ("medium", True), ("high", True)])
def test_the_office_channels_hear_alerts_of_their_severity_and_up(severity, office_heard):
    routing = Routing.from_settings(Settings(office_channels=[OFFICE], office_channel_severity="medium"))
    targets = routing.targets(_mark("off", email=None), severity, NOW)
    assert [(t.channel, t.mode) for t in targets] == ([("wecombot", "immediate")] if office_heard else [])


def test_a_delivery_names_its_channel_without_the_secret():
    recipient = identity(DING)
    assert "0123456789abcdef" not in recipient
    assert recipient.startswith("dingtalk://0...f/") and recipient != identity("dingtalk://0123456789abcdee/")


@pytest.mark.parametrize(("now", "expected"), [
    (datetime(2026, 3, 9, 23, 59, tzinfo=UTC), datetime(2026, 3, 10, 0, 0, tzinfo=UTC)),  # 07:59 local
    (datetime(2026, 3, 10, 0, 0, tzinfo=UTC), datetime(2026, 3, 11, 0, 0, tzinfo=UTC)),  # 08:00 sharp: tomorrow
    (datetime(2026, 3, 10, 16, 30, tzinfo=UTC), datetime(2026, 3, 11, 0, 0, tzinfo=UTC)),  # 00:30 local
])
def test_the_digest_falls_due_at_the_next_digest_hour_on_the_office_clock(now, expected):
    assert Routing(digest_hour=8, timezone="Asia/Shanghai").next_digest(now) == expected


def test_a_digest_hour_follows_the_wall_clock_across_daylight_saving():
    # Europe/Berlin springs forward on 2026-03-29: 08:00 is 07:00 UTC before, 06:00 UTC after.
    routing = Routing(digest_hour=8, timezone="Europe/Berlin")
    assert routing.next_digest(datetime(2026, 3, 28, 12, 0, tzinfo=UTC)) == datetime(2026, 3, 29, 6, 0, tzinfo=UTC)
