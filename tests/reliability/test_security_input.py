"""Hostile input at the triage app's door: text that is not valid Unicode, spreadsheet formulas hidden
after a separator, and the API's answers to what it refuses (one documented schema for every 422).
Also the feedback link's promise: one older than its life answers 410 Gone, as the README says."""

from __future__ import annotations

import json
import re
import time
from io import BytesIO

import pytest
import schemathesis
from itsdangerous import TimestampSigner
from schemathesis.checks import not_a_server_error, response_schema_conformance
from sqlalchemy import func, select

from ipwatch.alerts.feedback import MAX_AGE, make_token, signing_key
from ipwatch.core.storage.models import AlertRow, CaseCommentRow, ListingRow
from ipwatch.web.app import create_app
from tests.web.conftest import app, client, scene, web_settings  # noqa: F401 - fixtures

SURROGATE_BODY = b'{"body":"\\ud800"}'


@pytest.mark.reliability("security", "lone surrogates (\\ud800) in API bodies: 422 with a body that encodes, never 500")
def test_a_lone_surrogate_in_any_api_body_is_refused_with_a_readable_422(scene, client):
    officer = client("officer")
    case = officer.api(f"/api/alerts/{scene.ids['dashed']}/move", {"to_state": "reviewing"}).json()["id"]
    paths = [f"/api/cases/{case}/comments", f"/api/alerts/{scene.ids['dashed']}/move", "/api/alerts/bulk",
             "/api/marks/xiaofeiyang/allow", f"/api/cases/{case}/notices", f"/api/cases/{case}/move"]
    for path in paths:
        for body in (SURROGATE_BODY, b'{"to_state":"reviewing","note":"\\udfff","alert_ids":[1],'
                                     b'"action":"reviewing","field":"title","pattern":"\\ud83d","site":"\\ud800"}'):
            response = officer.post(path, content=body, headers={"X-CSRF-Token": officer.csrf,
                                                                 "Content-Type": "application/json"})
            assert response.status_code == 422, (path, body, response.status_code, response.text[:300])
            detail = json.loads(response.content.decode("utf-8"))["detail"]
            assert isinstance(detail, list) and all({"loc", "msg", "type"} <= set(error) for error in detail)
    with scene.database.session() as session:
        assert session.scalar(select(func.count()).select_from(CaseCommentRow)) == 0  # nothing half-stored


def formula_cells(text: str) -> list[str]:
    """Cells a spreadsheet would run, however it splits a line: at , ; tab or |, quoted or not."""
    found = []
    for line in text.splitlines():
        for segment in re.split(r"[,;\t|]", line):
            cell = segment.strip().lstrip('"').strip()
            if cell[:1] in ("=", "+", "-", "@"):
                found.append(cell)
    return found


@pytest.mark.reliability("security", "CSV/XLSX formula injection after a separator (Nike;=2+3; 官方;@SUM(1+1))")
def test_a_formula_after_a_separator_is_defused_in_csv_and_xlsx(scene, client):
    from openpyxl import load_workbook

    title, seller = "Nike 耐克 跑鞋 正品;=2+3;", "官方;@SUM(1+1)"
    with scene.database.session() as session:
        listing = session.scalar(select(ListingRow).join(AlertRow, AlertRow.listing_id == ListingRow.id)
                                 .where(AlertRow.id == scene.ids["genuine"]))
        listing.title, listing.seller = title, seller
    officer = client("officer")
    text = officer.get("/alerts/export.csv").content.decode("utf-8-sig")
    assert "Nike 耐克 跑鞋 正品" in text and "官方" in text
    assert formula_cells(text) == []
    sheet = load_workbook(BytesIO(officer.get("/alerts/export.xlsx").content)).active
    cells = "\n".join(";".join(str(value) for value in row if value is not None)
                      for row in sheet.iter_rows(values_only=True))
    assert "Nike 耐克 跑鞋 正品" in cells and formula_cells(cells) == []


@pytest.mark.reliability("security", "every 422 of the API follows its OpenAPI schema (schemathesis)")
def test_a_refused_allow_pattern_answers_422_in_the_documented_shape(scene, client):
    officer = client("officer")
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", create_app(scene.settings))
    operation = schema["/api/marks/{mark_id}/allow"]["POST"]
    headers = {"Cookie": f"ipwatch_session={officer.cookies['ipwatch_session']}", "X-CSRF-Token": officer.csrf}
    for body in ({"field": "title", "pattern": "0"}, {"field": "title", "pattern": "小肥羊"}, {"field": "x"}):
        case = operation.Case(path_parameters={"mark_id": "xiaofeiyang"}, body=body, media_type="application/json")
        response = case.call_and_validate(headers=headers, checks=[not_a_server_error, response_schema_conformance])
        assert response.status_code == 422, response.text
        assert isinstance(response.json()["detail"], list)


def expired_token(settings, alert_id: int) -> str:  # noqa: ANN001
    signer_clock = TimestampSigner.get_timestamp
    try:
        TimestampSigner.get_timestamp = lambda self: int(time.time() - MAX_AGE.total_seconds() - 86400)
        return make_token(signing_key(settings), alert_id, "confirm", "ip@xiaofeiyang.example.org")
    finally:
        TimestampSigner.get_timestamp = signer_clock


@pytest.mark.reliability("security", "a feedback link older than its life answers 410 Gone (README)")
def test_an_expired_feedback_link_answers_410_gone_and_says_so(scene, client):
    visitor = client(None)
    token = expired_token(scene.settings, scene.ids["genuine"])
    page = visitor.get(f"/feedback/{token}")
    assert page.status_code == 410
    assert "older than 90 days" in page.text
    csrf = visitor.csrf_of(visitor.get("/login").text)
    assert visitor.post(f"/feedback/{token}", data={"csrf_token": csrf}).status_code == 410
    assert client("officer").get(f"/api/alerts/{scene.ids['genuine']}").json()["alert"]["state"] == "new"
    assert visitor.get(f"/feedback/{token[:-3]}xyz").status_code == 400  # altered: still 400
