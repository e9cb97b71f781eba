"""docs/alerts.md promises what the code does: its watchlist example loads and is routed as it says.

Its commands, like every document's, are checked by tests/test_docs.py."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import yaml

from ipwatch.alerts.channels import channel_for
from ipwatch.alerts.routing import Routing
from ipwatch.core.settings import Settings
from ipwatch.core.storage.models import MarkRow
from ipwatch.watchlist.records import Watchlist

DOC = (Path(__file__).resolve().parents[2] / "docs" / "alerts.md").read_text(encoding="utf-8")


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DOC, flags=re.S)


def test_the_watchlist_example_is_a_valid_watchlist_routed_as_described():
    [block] = _blocks("yaml")
    [mark] = Watchlist.model_validate(yaml.safe_load(block)).marks
    assert (mark.notify, mark.digest_hour) == ("digest", 9)
    for url in mark.channels:
        channel_for(url, Settings())  # every channel URL in it is one a channel accepts
    row = MarkRow(id=mark.id, name=mark.name, kind=mark.kind, owner=mark.owner, owner_email=mark.owner_email,
                  record=mark.model_dump(mode="json"))
    targets = Routing().targets(row, "medium", datetime(2026, 1, 5, 4, 0, tzinfo=UTC))
    assert {(t.channel, t.mode) for t in targets} == {("email", "digest"), ("dingtalk", "digest"),
                                                     ("wecombot", "digest")}
    assert {t.due for t in targets} == {datetime(2026, 1, 6, 1, 0, tzinfo=UTC)}  # 09:00 in Baotou
