"""Owners' answers: signed one-click links in the email, and the decision they record.

Each alert in an email carries two links, {triage_base_url}/feedback/{token}: "confirm" and
"reject". The token is signed (itsdangerous, with Settings.secret_key or the key the web app
keeps in data_dir/secret_key) and names the alert, the decision and the recipient. The web
app shows a page on GET and applies the answer on POST (mail scanners follow links, so a GET
must change nothing), calling `apply_feedback`. A rejected listing × mark is never alerted
again (its alert is `false_positive`, which the queue suppresses). The answer moves the alert
through the workflow (alerts/workflow.py) as triage decisions on the web page do, within what an
e-mail answer may still change, and `precision_by_mark` counts both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Literal, get_args

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import update
from sqlalchemy.orm import Session

from ..core.secret import secret_key
from ..core.settings import Settings
from ..core.storage.models import AlertRow, DeliveryRow
from .records import AlertLinks
from .workflow import ANSWERS, SUPPRESSED_STATES, TransitionRefused, case_of, move

Decision = Literal["confirm", "reject"]
MAX_AGE = timedelta(days=90)
SALT = "ipwatch-feedback"


class BadFeedbackLink(ValueError):
    """A feedback link that was altered, cut short or signed with another key."""

    remedy = "answer on the triage page instead, or ask the office for a new e-mail"

    def __str__(self) -> str:
        return f"{self.args[0] if self.args else 'this feedback link is not valid'} — {self.remedy}"


class ExpiredFeedbackLink(BadFeedbackLink):
    """A feedback link older than MAX_AGE."""


@dataclass(frozen=True, slots=True)
class FeedbackToken:
    """What a verified feedback link says: who answered what about which alert."""

    alert_id: int
    decision: Decision
    recipient: str


@dataclass(frozen=True, slots=True)
class FeedbackResult:
    """What `apply_feedback` did, with a sentence for the page that shows it."""

    outcome: Literal["applied", "unchanged", "too_late", "unknown_alert"]
    alert_id: int
    state: str | None
    message: str


def signing_key(settings: Settings) -> str:
    """The key feedback links are signed with: the one the triage app's cookies use."""
    return secret_key(settings)


def _serializer(key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(key, salt=SALT)


def make_token(key: str, alert_id: int, decision: Decision, recipient: str) -> str:
    """A signed, URL-safe token for one answer about one alert."""
    return _serializer(key).dumps({"a": alert_id, "d": decision, "r": recipient})


def read_token(key: str, token: str, *, max_age: timedelta = MAX_AGE) -> FeedbackToken:
    """The answer a token carries, or `BadFeedbackLink` / `ExpiredFeedbackLink`."""
    try:
        data = _serializer(key).loads(token, max_age=int(max_age.total_seconds()))
    except SignatureExpired as exc:
        raise ExpiredFeedbackLink(f"this feedback link is older than {max_age.days} days") from exc
    except BadSignature as exc:
        raise BadFeedbackLink("this feedback link is not valid") from exc
    if not (isinstance(data, dict) and isinstance(data.get("a"), int) and data.get("d") in get_args(Decision)):
        raise BadFeedbackLink("this feedback link carries no answer")
    return FeedbackToken(data["a"], data["d"], str(data.get("r") or ""))


def alert_links(settings: Settings, key: str | None, alert_id: int, recipient: str | None) -> AlertLinks:
    """The triage link of an alert and, when `key` and `recipient` are given, its feedback links."""
    base = settings.triage_base_url.rstrip("/")
    triage = f"{base}/alerts/{alert_id}"
    if key is None or recipient is None:
        return AlertLinks(triage)
    return AlertLinks(triage, *(f"{base}/feedback/{make_token(key, alert_id, d, recipient)}"
                                for d in ("confirm", "reject")))


def apply_feedback(session: Session, alert_id: int, decision: Decision, actor: str) -> FeedbackResult:
    """Record `actor`'s answer: the alert (and its case, if any) becomes confirmed or false_positive."""
    alert = session.get(AlertRow, alert_id)
    if alert is None:
        return FeedbackResult("unknown_alert", alert_id, None, f"预警 {alert_id} 不存在 / there is no alert {alert_id}")
    to_state = ANSWERS[decision]
    subject = case_of(session, alert_id) or alert
    current = subject.state
    if current == to_state:
        return FeedbackResult("unchanged", alert_id, current, "已记录 / already recorded — thank you")
    try:
        moved = move(session, subject, to_state, actor, via="email", decision=decision)
    except TransitionRefused:
        return FeedbackResult("too_late", alert_id, current,
                              f"该预警已进入“{current}”阶段，请在处理页面操作 / the alert "
                              f"is already at '{current}': please use the triage page")
    if to_state in SUPPRESSED_STATES:  # nothing still waiting goes out about it
        session.execute(update(DeliveryRow).where(DeliveryRow.alert_id.in_([m.id for m in moved]),
                                                  DeliveryRow.status == "pending")
                        .values(status="cancelled", last_error=f"alert marked {to_state} by {actor[:120]}"))
    return FeedbackResult("applied", alert_id, to_state, "谢谢，已记录 / thank you, your answer is recorded")
