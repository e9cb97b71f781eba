"""The alert email: Chinese first with English under it; plain text, HTML and inline thumbnails.

One template pair serves a single alert, a batch and the daily digest (`Notice.digest`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from functools import partial
from pathlib import Path
from typing import cast
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from ..core.clock import utcnow
from ..core.settings import Settings
from ..matchers.records import Reason
from .records import Alert, Notice
from .thumbnail import thumbnail_jpeg

TEMPLATES = Path(__file__).with_name("templates")
SUBJECT_NAMES = 5  # mark names listed in a subject before "…"
TITLE_CHARS = 300  # a scraped title longer than this is cut in the email; `alerts show` has it all
THUMBNAILS = 20  # inline images per message at most: a long digest shows the first ones

SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
SEVERITY_LABELS = {"high": "高 / high", "medium": "中 / medium", "low": "低 / low"}
SEVERITY_COLOURS = {"high": "#c62828", "medium": "#ef6c00", "low": "#607d8b"}
KIND_LABELS = {"trademark": "商标 / trademark", "gi": "地理标志 / geographical indication",
               "old_brand": "老字号 / time-honoured brand"}

templates = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=False,
                                 default=False),
    undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
)


def one_line(text: str) -> str:
    """`text` with every run of whitespace, newlines included, made one space."""
    return " ".join(text.split())


def web_link(url: str) -> str | None:
    """`url` if it is an http(s) link a reader may click; scraped `javascript:` and the like are not."""
    return url if urlsplit(url.strip()).scheme.lower() in ("http", "https") else None


def money(alert: Alert) -> str:
    """The listing's price for people, e.g. `25.00 CNY`, or `未知 / unknown`."""
    if alert.price is None:
        return "未知 / unknown"
    return f"{alert.price:.2f} {alert.currency or ''}".strip()


def owner_words(settings: Settings) -> Callable[[Reason], str]:
    """How reasons read in messages to owners: in the office's language, without internal scores."""
    return partial(Reason.render, language=settings.language, scores=False)


def subject_for(alerts: Sequence[Alert], *, digest: bool = False) -> str:
    """E.g. `[ipwatch] 3 条疑似侵权预警 / 3 suspected infringements — 小肥羊, 鹿王`."""
    names = list(dict.fromkeys(one_line(alert.mark_name) for alert in alerts))
    shown = ", ".join(names[:SUBJECT_NAMES]) + (", …" if len(names) > SUBJECT_NAMES else "")
    n = len(alerts)
    plural = "infringement" if n == 1 else "infringements"
    prefix = "每日摘要 / Daily digest: " if digest else ""
    return f"[ipwatch] {prefix}{n} 条疑似侵权预警 / {n} suspected {plural} — {shown}"


def ordered(alerts: Sequence[Alert]) -> list[Alert]:
    """Most severe first, then highest score, then oldest."""
    return sorted(alerts, key=lambda a: (SEVERITY_ORDER.get(a.severity, 3), -a.score, a.id))


def _domain(settings: Settings) -> str:
    return parseaddr(settings.mail_from)[1].rpartition("@")[2] or "ipwatch.invalid"


def build_message(notice: Notice, *, recipient: str, settings: Settings) -> EmailMessage:
    """One email to `recipient` with the notice's alerts, most severe first: text, HTML and inline thumbnails."""
    alerts = ordered(notice.alerts)
    domain = _domain(settings)
    thumbnails = {alert.id: data for alert in alerts[:THUMBNAILS] if alert.thumbnail
                  and (data := thumbnail_jpeg(alert.thumbnail, max_bytes=settings.image_max_bytes))}
    cids = {alert_id: make_msgid("thumb", domain=domain)[1:-1] for alert_id in thumbnails}
    base = settings.triage_base_url.rstrip("/")
    context = {
        "alerts": alerts, "subject": subject_for(alerts, digest=notice.digest), "digest": notice.digest,
        "renotified": set(notice.renotified), "links": notice.links, "images": cids,
        "owners": "、".join(dict.fromkeys(alert.owner for alert in alerts)),
        "triage_url": lambda alert: notice.links[alert.id].triage if alert.id in notice.links
        else f"{base}/alerts/{alert.id}",
        "money": money, "web_link": web_link, "severity_label": lambda s: SEVERITY_LABELS.get(s, s),
        "severity_colour": lambda s: SEVERITY_COLOURS.get(s, "#607d8b"),
        "kind_label": lambda k: KIND_LABELS.get(k, k), "TITLE_CHARS": TITLE_CHARS, "said": owner_words(settings),
    }
    message = EmailMessage()
    message["Subject"] = context["subject"]
    message["From"] = settings.mail_from
    message["To"] = recipient
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = make_msgid("alerts", domain=domain)
    # base64 bodies: the CJK text survives any SMTP server, 8BITMIME or not.
    message.set_content(templates.get_template("alert_email.txt.j2").render(context), cte="base64")
    message.add_alternative(templates.get_template("alert_email.html.j2").render(context),
                            subtype="html", cte="base64")
    html_part = cast(EmailMessage, message.get_payload()[1])  # type: ignore[index]
    for alert_id, data in thumbnails.items():
        html_part.add_related(data, maintype="image", subtype="jpeg", cid=f"<{cids[alert_id]}>",
                              filename=f"listing-{alert_id}.jpg", disposition="inline")
    return message
