"""The app's promises about who sees what, forged forms, guessed passwords and hostile listings."""

from __future__ import annotations

import re

import pytest

OWNER_PAGES = [
    ("GET", "/alerts/{herb}"),
    ("GET", "/api/alerts/{herb}"),
    ("GET", "/media/alerts/{herb}/images/0"),
    ("POST", "/alerts/{herb}/move"),
    ("POST", "/api/alerts/{herb}/move"),
    ("POST", "/alerts/{herb}/allow"),
]


@pytest.mark.parametrize(("method", "path"), OWNER_PAGES)
def test_a_brand_owner_cannot_read_or_change_another_owners_alert(scene, client, method, path):
    sheep = client("sheep")
    url = path.format(**scene.ids)
    if method == "GET":
        response = sheep.get(url)
    elif url.startswith("/api/"):
        response = sheep.api(url, {"to_state": "false_positive"})
    else:
        response = sheep.form(url, {"to_state": "false_positive", "field": "seller", "pattern": "x"})
    assert response.status_code in (403, 404), response.text[:300]
    herb = client("herb").get(f"/api/alerts/{scene.ids['herb']}").json()
    assert herb["alert"]["state"] == "new"
    assert [e["action"] for e in herb["events"]] == ["created"]


def test_a_brand_owner_sees_only_their_own_marks_in_the_queue_exports_and_api(scene, client):
    sheep = client("sheep")
    listed = sheep.get("/api/alerts").json()
    assert listed["total"] == 4
    assert {item["owner"] for item in listed["items"]} == {"内蒙古小肥羊餐饮连锁有限公司"}
    assert "固陽黃芪" not in sheep.get("/alerts").text
    assert "固陽黃芪" not in sheep.get("/alerts/export.csv").content.decode("utf-8-sig")
    assert [m["id"] for m in sheep.get("/api/marks").json()] == ["xiaofeiyang"]
    assert client("officer").get("/api/alerts").json()["total"] == 5


def test_bulk_actions_and_merges_refuse_alerts_of_another_owner(scene, client):
    sheep = client("sheep")
    response = sheep.api("/api/alerts/bulk", {"alert_ids": [scene.ids["dashed"], scene.ids["herb"]],
                                              "action": "confirmed"})
    assert response.status_code == 404
    assert sheep.get(f"/api/alerts/{scene.ids['dashed']}").json()["alert"]["state"] == "new"


def test_a_brand_owner_cannot_reach_administration(scene, client):
    for who in ("sheep", "officer"):
        assert client(who).get("/admin/users").status_code == 403
        assert client(who).form("/admin/users", {"username": "mallory", "password": "x" * 12,
                                                 "role": "admin"}).status_code == 403


@pytest.mark.parametrize(("how", "extra"), [
    ("no token", {}),
    ("another session's token", {"csrf_token": "stolen"}),
])
def test_a_form_without_the_sessions_csrf_token_is_refused(scene, client, how, extra):
    officer = client("officer")
    url = f"/alerts/{scene.ids['dashed']}/move"
    response = officer.post(url, data={"to_state": "confirmed", **extra}, follow_redirects=False)
    assert response.status_code == 403
    assert "reload the page" in response.text
    api = officer.post(f"/api/alerts/{scene.ids['dashed']}/move", json={"to_state": "confirmed"})
    assert api.status_code == 403
    assert officer.get(f"/api/alerts/{scene.ids['dashed']}").json()["alert"]["state"] == "new"
    # the same request with the token goes through
    assert officer.form(url, {"to_state": "confirmed"}).status_code == 303
    assert officer.get(f"/api/alerts/{scene.ids['dashed']}").json()["alert"]["state"] == "confirmed"


def test_the_login_form_itself_needs_the_csrf_token(scene, client):
    anonymous = client(None)
    anonymous.get("/login")
    response = anonymous.post("/login", data={"username": "officer", "password": scene.password},
                              follow_redirects=False)
    assert response.status_code == 403


def test_wrong_passwords_are_rate_limited_even_for_the_right_password_afterwards(scene, client):
    anonymous = client(None)
    token = anonymous.csrf_of(anonymous.get("/login").text)
    statuses = [anonymous.post("/login", data={"username": "officer", "password": f"wrong-{i}",
                                               "csrf_token": token}).status_code for i in range(5)]
    assert statuses == [401] * 5
    locked = anonymous.post("/login", data={"username": "officer", "password": scene.password, "csrf_token": token},
                            follow_redirects=False)
    assert locked.status_code == 429
    assert int(locked.headers["Retry-After"]) > 60
    assert "Too many wrong passwords" in locked.text
    assert anonymous.get("/api/me").status_code == 401
    # another account is not locked by the first one's failures
    assert client("sheep").get("/api/me").json()["username"] == "sheep"


def test_the_session_cookie_is_httponly_samesite_and_signed(scene, client):
    anonymous = client(None)
    token = anonymous.csrf_of(anonymous.get("/login").text)
    response = anonymous.post("/login", data={"username": "officer", "password": scene.password, "csrf_token": token},
                              follow_redirects=False)
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("ipwatch_session=")
    assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
    value = cookie.split(";")[0].split("=", 1)[1]
    forged = client(None)
    forged.cookies.set("ipwatch_session", value[:-4] + ("AAAA" if not value.endswith("AAAA") else "BBBB"))
    assert forged.get("/api/me").status_code == 401


def test_a_new_password_ends_the_accounts_open_sessions(scene, client):
    officer = client("officer")
    admin = client("admin")
    assert admin.form("/admin/users/officer/password", {"password": "another-long-password"}).status_code == 303
    assert officer.get("/api/me").status_code == 401


def test_hostile_listing_text_is_escaped_in_every_page_that_shows_it(scene, client):
    officer = client("officer")
    for url in ("/alerts", f"/alerts/{scene.ids['hostile']}"):
        html = officer.get(url).text
        assert "<script>window.__xss" not in html
        assert '"><img src=x' not in html
        assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in html
    page = officer.get(f"/alerts/{scene.ids['hostile']}").text
    assert 'href="javascript:' not in page  # the scraped javascript: URL is shown, never linked
    assert "javascript:window.__xss=3" in page
    assert "script-src 'self'" in officer.get("/alerts").headers["content-security-policy"]


def test_exports_defuse_cells_a_spreadsheet_would_run_as_formulas(scene, client):
    from io import BytesIO

    from openpyxl import load_workbook

    officer = client("officer")
    text = officer.get("/alerts/export.csv").content.decode("utf-8-sig")
    assert "'" + scene.hostile_seller.replace('"', '""') in text
    assert scene.hostile_title.replace('"', '""') in text
    sheet = load_workbook(BytesIO(officer.get("/alerts/export.xlsx").content)).active
    sellers = [row[9] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "'" + scene.hostile_seller in sellers
    assert not any(str(cell.value).startswith("=") for row in sheet.iter_rows() for cell in row if cell.value)


@pytest.mark.parametrize("target", ["https://127.0.0.2/phish", "//127.0.0.2/phish", "/\\127.0.0.2", "javascript:x"])
def test_login_never_redirects_off_site(scene, client, target):
    anonymous = client(None)
    token = anonymous.csrf_of(anonymous.get(f"/login?next={target}").text)
    response = anonymous.post("/login", data={"username": "sheep", "password": scene.password, "csrf_token": token,
                                              "next": target}, follow_redirects=False)
    assert response.headers["location"] == "/alerts"


def test_pages_and_api_ask_anonymous_visitors_to_sign_in(scene, client):
    anonymous = client(None)
    page = anonymous.get(f"/alerts/{scene.ids['dashed']}", follow_redirects=False)
    assert page.status_code == 303
    assert re.match(r"/login\?next=%2Falerts%2F\d+$", page.headers["location"])
    assert anonymous.get("/api/alerts").status_code == 401
    assert anonymous.get("/notices/1.pdf", follow_redirects=False).status_code == 303


def test_input_the_database_cannot_store_is_refused_not_a_server_error(db_scene):
    from fastapi.testclient import TestClient

    from ipwatch.web.app import create_app

    with TestClient(create_app(db_scene.settings), base_url="http://127.0.0.1") as anonymous:
        token = anonymous.get("/login").text.split('name="csrf_token" value="')[1].split('"')[0]
        anonymous.post("/login", data={"username": "officer", "password": db_scene.password, "csrf_token": token})
        token = anonymous.get("/api/me").json()["csrf_token"]
        for query in ("seller=%00", "q=a%00b", "mark=%00"):
            assert anonymous.get(f"/api/alerts?{query}").status_code == 422
            assert anonymous.get(f"/alerts?{query}").status_code == 422
        allowed = anonymous.post(f"/alerts/{db_scene.ids['dashed']}/allow", data={
            "csrf_token": token, "field": "title", "pattern": "火锅\x00蘸料"})
        assert "Not allow-listed: the pattern cannot hold control characters" in allowed.text
        note = anonymous.post(f"/api/alerts/{db_scene.ids['dashed']}/move", headers={"X-CSRF-Token": token},
                              json={"to_state": "reviewing", "note": "a\x00b"})
        assert note.status_code in (200, 422)  # PostgreSQL text cannot hold NUL: refused, never a 500


@pytest.mark.parametrize("path", ["/alerts/99999999999999999999", "/cases/-1", "/notices/0.pdf",
                                  "/media/alerts/1/images/99999999999", "/evidence/18446744073709551616"])
def test_ids_no_row_can_have_are_refused_before_the_database(scene, client, path):
    assert client("officer").get(path).status_code == 422


def test_blank_filter_fields_from_the_queue_form_mean_any(scene, client):
    page = client("officer").get("/alerts?severity=&mark=&kind=&site=&state=&seller=&q=&since=&until=&sort=created")
    assert page.status_code == 200 and '<span class="count" data-testid="total">5</span>' in page.text


def test_a_brand_owner_cannot_open_another_owners_case_or_notice(scene, client):
    officer = client("officer")
    case = officer.api(f"/api/alerts/{scene.ids['herb']}/move", {"to_state": "confirmed"}).json()
    notice = officer.api(f"/api/cases/{case['id']}/notices", {"site": "demo"}).json()
    sheep = client("sheep")
    for url in (f"/cases/{case['id']}", f"/api/cases/{case['id']}", f"/notices/{notice['id']}.pdf",
                f"/notices/{notice['id']}.txt", f"/api/notices/{notice['id']}"):
        assert sheep.get(url).status_code == 404, url
    assert sheep.api(f"/api/cases/{case['id']}/comments", {"body": "mine now"}).status_code == 404
    assert "固阳" not in sheep.get("/cases?show=all").text
    assert client("herb").get(f"/notices/{notice['id']}.txt").status_code == 200
