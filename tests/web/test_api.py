"""The triage API and pages end to end, on the scene the real queue raised."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from ipwatch.core.clock import utcnow
from ipwatch.core.storage.models import AlertRow


def _state(client, alert_id: int) -> str:
    return client.get(f"/api/alerts/{alert_id}").json()["alert"]["state"]


def test_an_officer_takes_an_alert_from_new_to_a_filed_complaint_with_every_step_audited(scene, client):
    officer = client("officer")
    alert = scene.ids["dashed"]
    for step in ("reviewing", "confirmed"):
        assert officer.api(f"/api/alerts/{alert}/move", {"to_state": step}).status_code == 200
    case = officer.get(f"/api/alerts/{alert}").json()["case"]
    notice = officer.api(f"/api/cases/{case['id']}/notices", {"site": "demo"})
    assert notice.status_code == 200, notice.text
    body = notice.json()["body"]
    assert "内蒙古小肥羊餐饮连锁有限公司" in body and "REG-xiaofeiyang" in body
    assert "http://127.0.0.1:9/item/p2" in body and "小-肥-羊 火锅蘸料 120g" in body
    assert "第四十二条" in body
    pdf = officer.get(notice.json()["pdf_url"])
    assert pdf.headers["content-type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "小-肥-羊 火锅蘸料 120g" in text and notice.json()["sha256"] in text
    assert officer.get(notice.json()["text_url"]).text == body
    arrived = (datetime.now(UTC) - timedelta(days=3)).isoformat()
    for step, extra in [("notice_sent", {}), ("measures_taken", {}),
                        ("counter_notice", {"counter_notice_at": arrived}), ("complaint_filed", {})]:
        response = officer.api(f"/api/cases/{case['id']}/move", {"to_state": step, "note": f"now {step}", **extra})
        assert response.status_code == 200, response.text
    moved = officer.get(f"/api/alerts/{alert}").json()
    assert moved["alert"]["state"] == "complaint_filed"
    trail = [(e["actor"], e["from_state"], e["to_state"]) for e in moved["events"] if e["action"] == "state"]
    assert trail == [("officer", "new", "reviewing"), ("officer", "reviewing", "confirmed"),
                     ("officer", "confirmed", "notice_sent"), ("officer", "notice_sent", "measures_taken"),
                     ("officer", "measures_taken", "counter_notice"), ("officer", "counter_notice", "complaint_filed")]
    assert moved["allowed_moves"] == ["resolved"]


@pytest.mark.parametrize(("days_ago", "complaint", "restored"), [(3, 200, 200), (16, 409, 200)])
def test_the_fifteen_day_counter_notice_clock_is_shown_and_enforced(scene, client, days_ago, complaint, restored):
    officer = client("officer")
    alert = scene.ids["dashed"]
    for step in ("confirmed", "notice_sent", "measures_taken"):
        officer.api(f"/api/alerts/{alert}/move", {"to_state": step})
    arrived = datetime.now(UTC) - timedelta(days=days_ago)
    case = officer.api(f"/api/alerts/{alert}/move", {"to_state": "counter_notice",
                                                      "counter_notice_at": arrived.isoformat()}).json()
    assert case["due_is_legal"] is True
    assert datetime.fromisoformat(case["due"]) == arrived + timedelta(days=15)
    page = officer.get(f"/cases/{case['id']}").text
    assert ("ended" in page) == (days_ago > 15) and "art. 43" in page
    refused = officer.api(f"/api/cases/{case['id']}/move", {"to_state": "complaint_filed"})
    assert refused.status_code == complaint
    if complaint == 409:
        assert "15-day period" in refused.json()["detail"] and "restored" in refused.json()["detail"]
        assert officer.api(f"/api/cases/{case['id']}/move", {"to_state": "restored"}).status_code == restored


def test_a_counter_notice_cannot_arrive_in_the_future(scene, client):
    officer = client("officer")
    alert = scene.ids["dashed"]
    for step in ("confirmed", "notice_sent", "measures_taken"):
        officer.api(f"/api/alerts/{alert}/move", {"to_state": step})
    future = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    response = officer.api(f"/api/alerts/{alert}/move", {"to_state": "counter_notice", "counter_notice_at": future})
    assert response.status_code == 409


@pytest.mark.parametrize(("query", "expected"), [
    ("", {"hostile", "dashed", "herb", "genuine", "seller_twin"}),
    ("kind=gi", {"herb"}),
    ("mark=xiaofeiyang", {"hostile", "dashed", "genuine", "seller_twin"}),
    ("seller=草原", {"dashed", "herb", "seller_twin"}),
    ("q=蘸料", {"dashed", "seller_twin"}),
    ("state=new&site=demo", {"hostile", "dashed", "herb", "genuine", "seller_twin"}),
    ("state=confirmed", set()),
    ("site=elsewhere", set()),
    ("since=2000-01-01&until=2000-01-02", set()),
])
def test_the_queue_filters_by_mark_kind_site_seller_state_title_and_date(scene, client, query, expected):
    names = {v: k for k, v in scene.ids.items()}
    listed = client("officer").get(f"/api/alerts?{query}").json()
    assert {names[item["id"]] for item in listed["items"]} == expected
    assert listed["total"] == len(expected)


def test_the_queue_sorts_and_pages(scene, client):
    officer = client("officer")
    by_title = [i["title"] for i in officer.get("/api/alerts?sort=title&order=asc").json()["items"]]
    assert by_title == sorted(by_title)
    first = officer.get("/api/alerts?sort=created&order=asc&limit=2").json()
    second = officer.get("/api/alerts?sort=created&order=asc&limit=2&offset=2").json()
    assert first["total"] == 5 and len(first["items"]) == 2
    assert [i["id"] for i in first["items"] + second["items"]] == sorted(scene.ids.values())[:4]


def test_bulk_merge_groups_one_sellers_alerts_into_one_case_that_moves_together(scene, client):
    officer = client("officer")
    ids = [scene.ids["dashed"], scene.ids["seller_twin"]]
    merged = officer.api("/api/alerts/bulk", {"alert_ids": ids, "action": "merge"}).json()["case_ids"]
    assert len(merged) == 1
    related = officer.get(f"/api/alerts/{scene.ids['dashed']}").json()["related"]
    assert {(r["id"], r["why"]) for r in related} >= {(scene.ids["seller_twin"], "same seller")}
    moved = officer.api("/api/alerts/bulk", {"alert_ids": [ids[0]], "action": "confirmed"}).json()["case_ids"]
    assert moved == merged
    assert [_state(officer, i) for i in ids] == ["confirmed", "confirmed"]
    mixed = officer.api("/api/alerts/bulk", {"alert_ids": [ids[0], scene.ids["herb"]], "action": "merge"})
    assert mixed.status_code == 409 and "different rights holders" in mixed.json()["detail"]


def test_the_queue_page_applies_a_bulk_move_and_says_what_it_did(scene, client):
    officer = client("officer")
    response = officer.form("/alerts/bulk", {"action": "false_positive", "ids": [scene.ids["hostile"],
                                                                                 scene.ids["genuine"]]})
    assert response.status_code == 303
    page = officer.get("/alerts?state=false_positive").text
    assert "2 alert(s) in 2 case(s) → False positive." in page
    assert officer.get("/api/alerts?state=false_positive").json()["total"] == 2


def test_a_refused_move_from_a_page_explains_what_is_allowed(scene, client):
    officer = client("officer")
    response = officer.form(f"/alerts/{scene.ids['dashed']}/move", {"to_state": "resolved"})
    assert response.status_code == 303
    page = officer.get(response.headers["location"]).text
    assert "can move to reviewing, confirmed, false_positive, not to &#39;resolved&#39;" in page


def test_comments_and_assignment_appear_on_the_case(scene, client):
    officer = client("officer")
    case = officer.api(f"/api/alerts/{scene.ids['dashed']}/move", {"to_state": "reviewing"}).json()
    officer.api(f"/api/cases/{case['id']}/comments", {"body": "seller also on another shop <b>bold</b>"})
    assert officer.form(f"/cases/{case['id']}/assign", {"assignee": "officer"}).status_code == 303
    page = officer.get(f"/cases/{case['id']}").text
    assert "seller also on another shop &lt;b&gt;bold&lt;/b&gt;" in page
    assert officer.get(f"/api/cases/{case['id']}").json()["assignee"] == "officer"


def test_the_dashboard_counts_alerts_and_the_median_time_to_resolution(scene, client):
    officer = client("officer")
    for step in ("confirmed", "notice_sent", "resolved"):
        officer.api(f"/api/alerts/{scene.ids['herb']}/move", {"to_state": step})
    board = officer.get("/api/dashboard?by=kind&days=7").json()
    assert board["total"] == 5 and sum(board["series"]["trademark"]) == 4 and sum(board["series"]["gi"]) == 1
    # The scene is copied from a template built earlier in the run: the alert was raised then, not now.
    with scene.database.session() as session:
        raised = session.scalar(select(AlertRow.created_at).where(AlertRow.id == scene.ids["herb"]))
    age_days = (utcnow() - raised).total_seconds() / 86400
    assert board["resolved"] == 1 and 0 <= board["median_days_to_resolution"] <= round(age_days, 2) + 0.01
    assert {c["name"]: c["count"] for c in board["top_sellers"]}["草原特产小店"] == 3
    sheep_board = client("sheep").get("/api/dashboard").json()
    assert sheep_board["total"] == 4 and sheep_board["resolved"] == 0
    page = officer.get("/dashboard").text
    assert page.count("<svg") == 7 and "Alerts per day by severity" in page


def test_exports_follow_the_filter(scene, client):
    officer = client("officer")
    text = officer.get("/alerts/export.csv?seller=草原").content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("id,severity,state,score,mark")
    assert len(text.strip().splitlines()) == 4
    sheet = load_workbook(io.BytesIO(officer.get("/alerts/export.xlsx?kind=gi").content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("id", "severity", "state") and len(rows) == 2
    assert rows[1][4] == "固阳黄芪" and rows[1][8] == "固陽黃芪切片 500g"
