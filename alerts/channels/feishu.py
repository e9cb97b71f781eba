"""Feishu (飞书) custom bot: a thin adapter to Apprise's `feishu://` service."""

from __future__ import annotations

from .service import AppriseChannel


class FeishuChannel(AppriseChannel):
    """Feishu (飞书) custom bot: feishu://TOKEN."""

    scheme = "feishu"
