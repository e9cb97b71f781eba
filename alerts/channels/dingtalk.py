"""DingTalk (钉钉) group robot: a thin adapter to Apprise's `dingtalk://` service."""

from __future__ import annotations

from .service import AppriseChannel


class DingTalkChannel(AppriseChannel):
    """DingTalk (钉钉) group robot: dingtalk://TOKEN/ or dingtalk://SECRET@TOKEN/ (加签 secret)."""

    scheme = "dingtalk"
