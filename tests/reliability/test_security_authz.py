"""Authorisation, route by route: every route of the triage app, for anonymous visitors and every role.

The routes are read from the app itself, so a route added without a row in ACCESS fails
`test_every_route_has_an_access_rule`. Each rule says who may use the route:

    public   anyone (signing in, static files, the owner's feedback link whose token authorises it)
    user     any signed-in account: administrators and officers on every mark, brand owners only on
             their own marks' alerts, cases, notices and images (another owner's answer 404: ids reveal
             nothing)
    staff    IP-office staff: officers and administrators (crawl runs and their logs)
    admin    administrators only (watchlists, sites, accounts)

and is checked three ways: an anonymous visitor is sent to sign in (pages: 303 to /login; API: 401;
a form POST without a session has no CSRF token either: 403) and changes nothing; a role below the
rule is refused (403); a role the rule admits is not refused (no 401/403, no server error). On top,
a brand owner asking for another owner's things by id gets 404 on every route that takes one.
tests/web/test_security.py keeps the detailed per-feature cases (CSRF, throttling, sessions).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.routing import Mount, Route

from ipwatch.core.settings import Settings
from ipwatch.core.storage.engine import Database
from ipwatch.core.storage.migrate import upgrade
from ipwatch.web.app import create_app
from ipwatch.web.users import add_user
from tests.web.conftest import Client, build_scene

pytestmark = pytest.mark.reliability("security", "authorisation per role on every route")

ROLES = ("anonymous", "owner", "officer", "admin")
RANK = {"public": 0, "user": 1, "staff": 2, "admin": 3}
ROLE_RANK = {"anonymous": 0, "owner": 1, "officer": 2, "admin": 3}
LOGIN = {"owner": "sheep", "officer": "officer", "admin": "admin"}  # the scene's accounts (tests/web/conftest.py)

# (methods, path) → (rule, body). Bodies are valid, so a refusal cannot hide behind a 422.
# Ids: {alert} the 小肥羊 owner's alert, {case}/{notice} its case and notice, {mark} its mark.
ACCESS: dict[tuple[str, str], tuple[str, dict[str, Any] | None]] = {
    ("GET", "/api/openapi.json"): ("public", None),
    ("GET", "/static"): ("public", None),
    ("GET", "/login"): ("public", None),
    ("POST", "/login"): ("public", {"username": "spare", "password": "spare-password-long"}),
    ("POST", "/logout"): ("public", {}),
    ("GET", "/feedback/{token}"): ("public", None),
    ("POST", "/feedback/{token}"): ("public", {"answer": "yes"}),
    ("GET", "/"): ("user", None),
    ("GET", "/alerts"): ("user", None),
    ("GET", "/alerts/export.{fmt}"): ("user", None),
    ("POST", "/alerts/bulk"): ("user", {"action": "reviewing", "ids": ["{alert}"]}),
    ("GET", "/alerts/{alert_id}"): ("user", None),
    ("POST", "/alerts/{alert_id}/move"): ("user", {"to_state": "reviewing"}),
    ("POST", "/alerts/{alert_id}/allow"): ("user", {"field": "seller", "pattern": "某某店"}),
    ("GET", "/cases"): ("user", None),
    ("GET", "/cases/{case_id}"): ("user", None),
    ("POST", "/cases/{case_id}/move"): ("user", {"to_state": "notice_sent"}),
    ("POST", "/cases/{case_id}/comment"): ("user", {"body": "seen"}),
    ("POST", "/cases/{case_id}/assign"): ("user", {"assignee": ""}),
    ("POST", "/cases/{case_id}/merge"): ("user", {"ids": ["{alert}"]}),
    ("POST", "/cases/{case_id}/notices"): ("user", {"site": "demo"}),
    ("GET", "/notices/{notice_id}.txt"): ("user", None),
    ("GET", "/notices/{notice_id}.pdf"): ("user", None),
    ("GET", "/media/alerts/{alert_id}/images/{position}"): ("user", None),
    ("GET", "/media/marks/{mark_id}/images/{name}"): ("user", None),
    ("GET", "/evidence/{evidence_id}"): ("user", None),
    ("GET", "/dashboard"): ("user", None),
    ("GET", "/crawls"): ("staff", None),
    ("GET", "/crawls/{run_id}/log"): ("staff", None),
    ("GET", "/api/crawls"): ("staff", None),
    ("GET", "/admin/marks"): ("admin", None),
    ("GET", "/admin/marks/new"): ("admin", None),
    ("GET", "/admin/marks/{mark_id}"): ("admin", None),
    ("POST", "/admin/marks"): ("admin", {"id": "probe-mark", "name": "探针", "kind": "trademark", "owner": "x"}),
    ("POST", "/admin/marks/{mark_id}/images"): ("admin", {"__file__": "image"}),
    ("POST", "/admin/marks/{mark_id}/images/remove"): ("admin", {"name": "none.png"}),
    ("POST", "/admin/marks/{mark_id}/allow"): ("admin", {"field": "seller", "pattern": "某店"}),
    ("POST", "/admin/marks/{mark_id}/allow/{pattern_id}/remove"): ("admin", {}),
    ("POST", "/admin/watchlist/import"): ("admin", {"__file__": "file"}),
    ("GET", "/admin/watchlist/export"): ("admin", None),
    ("GET", "/admin/users"): ("admin", None),
    ("POST", "/admin/users"): ("admin", {"username": "probe-user", "password": "x" * 16, "role": "officer"}),
    ("POST", "/admin/users/{username}/active"): ("admin", {"active": "true"}),
    ("POST", "/admin/users/{username}/password"): ("admin", {"password": "y" * 16}),
    ("GET", "/admin/sites"): ("admin", None),
    ("GET", "/api/me"): ("user", None),
    ("GET", "/api/alerts"): ("user", None),
    ("GET", "/api/alerts/{alert_id}"): ("user", None),
    ("POST", "/api/alerts/{alert_id}/move"): ("user", {"to_state": "reviewing"}),
    ("POST", "/api/alerts/bulk"): ("user", {"alert_ids": ["{alert}"], "action": "reviewing"}),
    ("GET", "/api/cases/{case_id}"): ("user", None),
    ("POST", "/api/cases/{case_id}/move"): ("user", {"to_state": "notice_sent"}),
    ("POST", "/api/cases/{case_id}/comments"): ("user", {"body": "seen"}),
    ("POST", "/api/cases/{case_id}/notices"): ("user", {"site": "demo"}),
    ("GET", "/api/notices/{notice_id}"): ("user", None),
    ("GET", "/api/marks"): ("user", None),
    ("GET", "/api/marks/{mark_id}/allow"): ("user", None),
    ("POST", "/api/marks/{mark_id}/allow"): ("user", {"field": "seller", "pattern": "某某店"}),
    ("GET", "/api/dashboard"): ("user", None),
}


def app_routes(app: FastAPI) -> set[tuple[str, str]]:
    """Every (method, path) the app answers, read from the app (FastAPI's included routers too)."""
    found: set[tuple[str, str]] = set()

    def add(methods: set[str] | None, path: str) -> None:
        for method in sorted((methods or {"GET"}) - {"HEAD", "OPTIONS"}):
            found.add((method, path))

    for route in app.routes:
        if hasattr(route, "effective_route_contexts"):  # FastAPI ≥ 0.16x keeps included routers whole
            for context in route.effective_route_contexts():
                add(set(context.methods), context.path)
        elif isinstance(route, APIRoute | Route):
            add(set(route.methods or ()), route.path)
        elif isinstance(route, Mount):
            add({"GET"}, route.path)
        else:
            raise AssertionError(f"a route of an unknown kind: {route!r}")
    return found


@dataclass
class World:
    app: FastAPI
    ids: dict[str, str]
    clients: dict[str, Client]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """The tests/web scene (two rights holders, one account per role), a case and notice of the
    小肥羊 owner, and one signed-in client per role."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("authz") / "data")
    settings.ensure_dirs()
    upgrade(settings)
    database = Database(settings)
    scene = build_scene(settings, database)
    with database.session() as session:
        add_user(session, "spare", "spare-password-long", "officer", None)  # signs in on POST /login
        add_user(session, "target", "target-password-long", "officer", None)  # the admin routes change it
    database.dispose()
    app = create_app(settings)
    clients: dict[str, Client] = {}
    for role in ROLES:
        client = Client(app, base_url="http://127.0.0.1")
        client.__enter__()
        clients[role] = client.sign_in(LOGIN[role]) if role in LOGIN else client
        if role == "anonymous":
            client.csrf = client.csrf_of(client.get("/login").text)
    officer = clients["officer"]
    case = officer.api(f"/api/alerts/{scene.ids['dashed']}/move", {"to_state": "confirmed"}).json()
    notice = officer.api(f"/api/cases/{case['id']}/notices", {"site": "demo"}).json()
    other = officer.api(f"/api/alerts/{scene.ids['herb']}/move", {"to_state": "confirmed"}).json()
    other_notice = officer.api(f"/api/cases/{other['id']}/notices", {"site": "demo"}).json()
    pattern = clients["admin"].api("/api/marks/xiaofeiyang/allow", {"field": "title", "pattern": "探针短语"}).json()
    ids = {"alert": str(scene.ids["genuine"]), "case": str(case["id"]), "notice": str(notice["id"]),
           "mark": "xiaofeiyang", "pattern": str(pattern["id"]),
           "other_alert": str(scene.ids["herb"]), "other_case": str(other["id"]),
           "other_notice": str(other_notice["id"]), "other_mark": "guyang-huangqi"}
    yield World(app, ids, clients)
    for client in clients.values():
        client.__exit__(None, None, None)


def concrete(path: str, ids: dict[str, str], *, other: bool = False) -> str:
    """`path` with its parameters filled in: the 小肥羊 owner's things, or (other=True) another owner's."""
    prefix = "other_" if other else ""
    values = {"alert_id": ids[prefix + "alert"], "case_id": ids[prefix + "case"], "notice_id": ids[prefix + "notice"],
              "mark_id": ids[prefix + "mark"], "position": "0", "name": "logo.png", "evidence_id": "1",
              "token": "not-a-real-token", "fmt": "csv", "username": "target", "pattern_id": ids["pattern"],
              "run_id": "1"}
    path = "/static/app.css" if path == "/static" else path
    return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], path)


def send(client: Client, method: str, path: str, body: dict[str, Any] | None, ids: dict[str, str]) -> Any:
    """One request as the page or the API would send it, with the session's CSRF token."""
    if method == "GET":
        return client.get(path, follow_redirects=False)
    filled = {key: ([v.format(**ids) for v in value] if isinstance(value, list) else value)
              for key, value in (body or {}).items() if key != "__file__"}
    if path.startswith("/api/"):
        return client.post(path, json=filled, headers={"X-CSRF-Token": client.csrf}, follow_redirects=False)
    files = {body["__file__"]: ("probe.png", b"\x89PNG\r\n\x1a\n", "image/png")} if body and "__file__" in body else None
    return client.post(path, data={"csrf_token": client.csrf, **filled}, files=files, follow_redirects=False)


def test_every_route_has_an_access_rule(world: World) -> None:
    routes = app_routes(world.app)
    assert len(routes) > 40
    unruled = sorted(routes - ACCESS.keys())
    assert not unruled, f"routes without a rule in ACCESS (say who may use them): {unruled}"
    stale = sorted(ACCESS.keys() - routes)
    assert not stale, f"rules for routes the app no longer has: {stale}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", sorted(ACCESS), ids=lambda r: f"{r[0]} {r[1]}")
def test_each_role_gets_exactly_what_the_rule_allows(world: World, route: tuple[str, str], role: str) -> None:
    method, pattern = route
    rule, body = ACCESS[route]
    if route == ("POST", "/logout") and role != "anonymous":
        pytest.skip("signing out is checked by tests/web; it would end this module's shared session")
    client = world.clients[role]
    if route == ("POST", "/login"):  # signing in as "spare" would replace this module's shared session
        client = Client(world.app, base_url="http://127.0.0.1")
        client.csrf = client.csrf_of(client.get("/login").text)
    response = send(client, method, concrete(pattern, world.ids), body, world.ids)
    status, where = response.status_code, f"{method} {pattern} as {role}: {response.status_code}"
    assert status < 500, where + " " + response.text[:300]
    if ROLE_RANK[role] >= RANK[rule]:
        assert status not in (401, 403), where + " " + response.text[:300]
        if status in (302, 303, 307) and rule != "public":
            assert not response.headers["location"].startswith("/login"), where
    elif role == "anonymous":
        signed_out = status == 401 or (status == 303 and response.headers["location"].startswith("/login?next="))
        assert signed_out or (method == "POST" and status == 403), where
    else:
        assert status == 403, where


ID_ROUTES = sorted(route for route, (rule, _) in ACCESS.items()
                   if rule == "user" and re.search(r"\{(alert|case|notice|mark)_id\}", route[1]))


@pytest.mark.parametrize("route", ID_ROUTES, ids=lambda r: f"{r[0]} {r[1]}")
def test_a_brand_owner_gets_404_for_another_owners_things_on_every_route_with_an_id(world: World,
                                                                                   route: tuple[str, str]) -> None:
    method, pattern = route
    _, body = ACCESS[route]
    ids = {**world.ids, "alert": world.ids["other_alert"]}
    response = send(world.clients["owner"], method, concrete(pattern, world.ids, other=True), body, ids)
    assert response.status_code == 404, f"{method} {pattern}: {response.status_code} {response.text[:300]}"


def test_the_rules_match_the_dependencies_that_enforce_them(world: World) -> None:
    """An admin rule must be enforced by `require_admin`, a user rule by a signed-in dependency."""
    enforced: dict[tuple[str, str], set[str]] = {}
    for route in world.app.routes:
        for context in getattr(route, "effective_route_contexts", lambda: ())():
            names = set()
            stack = list(context.dependant.dependencies)
            while stack:
                dependency = stack.pop()
                names.add(getattr(dependency.call, "__name__", ""))
                stack.extend(dependency.dependencies)
            for method in set(context.methods) - {"HEAD"}:
                enforced[(method, context.path)] = names
    for key, names in enforced.items():
        rule = ACCESS[key][0]
        if rule == "admin":
            assert "require_admin" in names, key
        elif rule == "staff":
            assert names & {"require_staff", "require_staff_api"}, key
        elif rule == "user":
            assert names & {"current_user", "api_user", "require_admin", "require_staff"}, key
        if key[0] == "POST":
            assert "verify_csrf" in names, f"{key}: a POST without the CSRF check"
