"""WeCom (企业微信) group robot: a thin adapter to Apprise's `wecombot://` service."""

from __future__ import annotations

import apprise

from .service import AppriseChannel


class WeComChannel(AppriseChannel):
    """WeCom (企业微信) group robot: wecombot://BOT_KEY."""

    scheme = "wecombot"
    body_format = apprise.NotifyFormat.TEXT  # the robot's text message; Apprise sends no Markdown to it
