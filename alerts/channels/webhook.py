"""A webhook: Apprise's JSON POST (`{"title", "message", "type"}`) to any HTTP(S) endpoint."""

from __future__ import annotations

from .service import AppriseChannel


class WebhookChannel(AppriseChannel):
    """Webhook: json://HOST[:PORT]/PATH (jsons:// for HTTPS) receives title and Markdown message as JSON."""

    scheme = "json"
    also = ("jsons",)
    name = "webhook"
