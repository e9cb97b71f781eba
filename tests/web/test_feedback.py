"""One-click answers from alert e-mails land in the same workflow as the triage pages."""

from __future__ import annotations

from ipwatch.alerts.feedback import make_token, signing_key


def test_a_feedback_link_asks_first_and_records_the_answer_only_on_post(scene, client):
    token = make_token(signing_key(scene.settings), scene.ids["genuine"], "reject", "ip@xiaofeiyang.example.org")
    visitor = client(None)
    page = visitor.get(f"/feedback/{token}")
    assert page.status_code == 200 and "Reject: this listing does not infringe" in page.text
    officer = client("officer")
    assert officer.get(f"/api/alerts/{scene.ids['genuine']}").json()["alert"]["state"] == "new"
    done = visitor.post(f"/feedback/{token}", data={"csrf_token": visitor.csrf_of(page.text)})
    assert "thank you, your answer is recorded" in done.text
    answered = officer.get(f"/api/alerts/{scene.ids['genuine']}").json()
    assert answered["alert"]["state"] == "false_positive"
    assert answered["events"][-1]["actor"] == "email:ip@xiaofeiyang.example.org"


def test_an_altered_or_unsigned_feedback_link_is_refused(scene, client):
    token = make_token(signing_key(scene.settings), scene.ids["herb"], "confirm", "ip@herb.example.org")
    visitor = client(None)
    page = visitor.get(f"/feedback/{token[:-3]}xyz")
    assert page.status_code == 400 and "not valid" in page.text
    forged = visitor.post(f"/feedback/{token}", data={})
    assert forged.status_code == 403  # no CSRF token: a page elsewhere cannot answer for the recipient
    assert client("officer").get(f"/api/alerts/{scene.ids['herb']}").json()["alert"]["state"] == "new"
