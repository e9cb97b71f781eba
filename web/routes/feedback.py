"""One-click answers from alert e-mails: `/feedback/{token}` shows the question, a POST records the answer.

The token (alerts/feedback.py) is signed with the app's key and names the alert, the decision and
the recipient, so no sign-in is needed. A GET changes nothing (mail scanners follow links); the
page's button POSTs, with the CSRF token of the visitor's own session. A link that was altered
answers 400; one older than its life (90 days) answers 410 Gone.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from ...alerts.feedback import (
    BadFeedbackLink,
    ExpiredFeedbackLink,
    FeedbackToken,
    apply_feedback,
    read_token,
    signing_key,
)
from ...core.storage.models import AlertRow
from ..auth import app_state, verify_csrf
from ..pages import render

router = APIRouter(include_in_schema=False)
QUESTIONS = {"confirm": ("Confirm: this listing infringes the mark", "确认侵权"),
             "reject": ("Reject: this listing does not infringe", "不构成侵权")}


def _token(request: Request, token: str) -> FeedbackToken:
    return read_token(signing_key(app_state(request).settings), token)


def _refused(request: Request, exc: BadFeedbackLink) -> Response:
    """The page for a link that cannot be answered: 410 Gone when it is too old, 400 when it is not valid."""
    return render(request, "feedback.html", status_code=410 if isinstance(exc, ExpiredFeedbackLink) else 400,
                  problem=str(exc))


@router.get("/feedback/{token}", response_class=HTMLResponse)
def question(request: Request, token: str) -> Response:
    """Show what the answer would record; nothing changes until the button is pressed."""
    try:
        answer = _token(request, token)
    except BadFeedbackLink as exc:
        return _refused(request, exc)
    with app_state(request).database.session() as session:
        alert = session.get(AlertRow, answer.alert_id)
        if alert is None:
            return render(request, "feedback.html", status_code=404, problem=f"there is no alert {answer.alert_id}")
        return render(request, "feedback.html", alert=alert, answer=answer, token=token,
                      question=QUESTIONS[answer.decision])


@router.post("/feedback/{token}", response_class=HTMLResponse, dependencies=[Depends(verify_csrf)])
def answer(request: Request, token: str) -> Response:
    """Record the answer the link carries, as its recipient."""
    try:
        answer = _token(request, token)
    except BadFeedbackLink as exc:
        return _refused(request, exc)
    with app_state(request).database.session() as session:
        result = apply_feedback(session, answer.alert_id, answer.decision, f"email:{answer.recipient}")
    return render(request, "feedback.html", result=result)
