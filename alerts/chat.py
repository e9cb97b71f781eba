"""The short message chat channels and webhooks get: Markdown, Chinese first, English under it."""

from __future__ import annotations

import re

from ..core.i18n import DEFAULT_LANGUAGE
from .message import KIND_LABELS, SEVERITY_LABELS, money, one_line, ordered, subject_for, templates
from .records import Notice

CHAT_TITLE_CHARS = 120  # a scraped title is cut here in a chat message
CHAT_ALERTS = 20  # a longer notice lists the first ones and says how many more
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+!|~>-])")


def md(text: object) -> str:
    """Scraped text made inert in Markdown: no links, emphasis or headings of the seller's making."""
    return _MARKDOWN.sub(r"\\\1", one_line(str(text)))


def render_chat(notice: Notice, *, markdown: bool = True, language: str = DEFAULT_LANGUAGE) -> tuple[str, str]:
    """(title, body) of `notice` for a chat channel: Markdown, or plain text when `markdown` is false."""
    alerts = ordered(notice.alerts)
    context = {
        "notice": notice, "alerts": alerts[:CHAT_ALERTS], "more": max(0, len(alerts) - CHAT_ALERTS),
        "links": notice.links, "md": md if markdown else one_line, "markdown": markdown, "money": money,
        "CHAT_TITLE_CHARS": CHAT_TITLE_CHARS,
        "severity_label": lambda s: SEVERITY_LABELS.get(s, s), "kind_label": lambda k: KIND_LABELS.get(k, k),
        "said": lambda reason: reason.render(language, scores=False),
    }
    body = templates.get_template("alert_chat.md.j2").render(context)
    return subject_for(alerts, digest=notice.digest), body
