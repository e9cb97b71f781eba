"""Slack incoming webhook: a thin adapter to Apprise's `slack://` service."""

from __future__ import annotations

from .service import AppriseChannel


class SlackChannel(AppriseChannel):
    """Slack incoming webhook: slack://TOKEN_A/TOKEN_B/TOKEN_C[/#channel]."""

    scheme = "slack"
