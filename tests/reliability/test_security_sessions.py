"""Sessions and sign-in: a session ends on the server when its owner signs out or gets a new password;
the login throttle counts attempts atomically (concurrent guesses are counted, not raced) on SQLite and
PostgreSQL, and counts them per account and address, so that guesses from one address, or at made-up
names, lock no one else out; behind a trusted reverse proxy the client is the one X-Forwarded-For names.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from ipaddress import ip_network

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient

from ipwatch.web.app import create_app
from tests.servers import free_port
from tests.web.conftest import PASSWORD, Client, app, client, database_template, db_scene, scene, web_settings  # noqa: F401

SESSIONS = "a session ends on the server at sign-out and at a new password (a copied cookie stops working)"
ATOMIC = "login throttle: concurrent wrong passwords are counted atomically (SQLite and PostgreSQL)"
LOCKOUT = "login throttle: guesses from one address or at made-up names lock no one else out; trusted proxies"


def copy_of(signed_in: Client, app) -> Client:  # noqa: ANN001
    """Another browser holding a copy of `signed_in`'s session cookie (as a thief would)."""
    thief = Client(app, base_url="http://127.0.0.1")
    thief.__enter__()
    thief.cookies.set("ipwatch_session", signed_in.cookies["ipwatch_session"])
    return thief


@pytest.mark.reliability("security", SESSIONS)
def test_a_copied_session_cookie_stops_working_when_its_owner_signs_out(scene, app, client):
    officer = client("officer")
    elsewhere = client("officer")  # the same account in another browser
    thief = copy_of(officer, app)
    try:
        assert thief.get("/api/me").status_code == 200
        assert officer.form("/logout").status_code == 303
        assert thief.get("/api/me").status_code == 401
        assert thief.get("/alerts", follow_redirects=False).status_code == 303
        assert elsewhere.get("/api/me").status_code == 200  # signing out here ends only this session
    finally:
        thief.__exit__(None, None, None)


@pytest.mark.reliability("security", SESSIONS)
def test_a_new_password_ends_every_copy_of_the_accounts_sessions(scene, app, client):
    officer = client("officer")
    thief = copy_of(officer, app)
    try:
        with scene.database.session() as session:
            from ipwatch.web.users import set_password

            set_password(session, "officer", "another-long-password")
        assert thief.get("/api/me").status_code == 401
        assert officer.get("/api/me").status_code == 401
    finally:
        thief.__exit__(None, None, None)


# --- the throttle under concurrency, on a real server ---------------------------------------------------


@pytest.fixture
def live(db_scene) -> Iterator[str]:  # noqa: ANN001
    """The app of `db_scene` (SQLite and PostgreSQL) served by uvicorn on 127.0.0.1."""
    server = uvicorn.Server(uvicorn.Config(create_app(db_scene.settings), host="127.0.0.1", port=free_port(),
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        thread.join(0.05)
    yield f"http://127.0.0.1:{server.config.port}"
    server.should_exit = True
    thread.join(timeout=10)


def login_attempt(url: str, username: str, password: str, start: threading.Barrier | None = None) -> int:
    with httpx.Client(base_url=url, timeout=60) as browser:
        token = re.search(r'name="csrf_token" value="([^"]+)"', browser.get("/login").text).group(1)
        if start is not None:
            start.wait()
        answer = browser.post("/login", data={"username": username, "password": password, "csrf_token": token})
        return answer.status_code


@pytest.mark.reliability("security", ATOMIC)
def test_concurrent_wrong_passwords_are_checked_no_more_than_the_limit(live):
    guesses = 19
    start = threading.Barrier(guesses)
    statuses: list[int] = []
    threads = [threading.Thread(target=lambda i=i: statuses.append(login_attempt(live, "officer", f"wrong-{i}", start)))
               for i in range(guesses)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(statuses) == [401] * 5 + [429] * (guesses - 5)  # five checked, the rest paused
    assert login_attempt(live, "officer", PASSWORD) == 429  # the right password too, until the pause ends


# --- who a guess can lock out ------------------------------------------------------------------------


def browser(app, address: str = "127.0.0.1") -> TestClient:  # noqa: ANN001
    return TestClient(app, base_url="http://127.0.0.1", client=(address, 40000))


def attempt(browser: TestClient, username: str, password: str, forwarded_for: str | None = None) -> int:
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    token = re.search(r'name="csrf_token" value="([^"]+)"', browser.get("/login").text).group(1)
    return browser.post("/login", data={"username": username, "password": password, "csrf_token": token},
                        headers=headers, follow_redirects=False).status_code


@pytest.mark.reliability("security", LOCKOUT)
def test_made_up_names_from_an_address_do_not_lock_a_real_account_out_from_it(scene):
    shared = browser(create_app(scene.settings))  # one address, as every client behind a same-host proxy
    assert [attempt(shared, f"nobody{i}", "wrong-password") for i in range(25)] == [401] * 25
    assert attempt(shared, "admin", PASSWORD) == 303


@pytest.mark.reliability("security", LOCKOUT)
def test_a_guesser_at_one_address_cannot_lock_the_account_out_at_another(scene):
    app = create_app(scene.settings)
    guesser, owner = browser(app, "203.0.113.7"), browser(app, "198.51.100.2")
    statuses = [attempt(guesser, "admin", f"wrong-{i}") for i in range(30)]
    assert statuses == [401] * 5 + [429] * 25
    assert attempt(owner, "admin", PASSWORD) == 303


@pytest.mark.reliability("security", LOCKOUT)
def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_budget(scene):
    settings = scene.settings.model_copy(update={"trusted_proxies": [ip_network("127.0.0.1/32")]})
    proxy = browser(create_app(settings))
    statuses = [attempt(proxy, "admin", f"wrong-{i}", forwarded_for="203.0.113.7") for i in range(8)]
    assert statuses == [401] * 5 + [429] * 3
    assert attempt(proxy, "admin", PASSWORD, forwarded_for="198.51.100.2, 127.0.0.1") == 303


@pytest.mark.reliability("security", LOCKOUT)
def test_a_forwarded_for_header_from_an_untrusted_peer_is_ignored(scene):
    direct = browser(create_app(scene.settings), "203.0.113.7")  # no trusted proxies: the header is a lie
    statuses = [attempt(direct, "admin", f"wrong-{i}", forwarded_for=f"198.51.100.{i}") for i in range(7)]
    assert statuses == [401] * 5 + [429] * 2


@pytest.mark.reliability("security", LOCKOUT)
def test_guesses_at_one_account_from_many_addresses_are_paused_account_wide(scene):
    from ipwatch.web.throttle import PER_ACCOUNT, PER_PAIR

    app = create_app(scene.settings)
    statuses = [attempt(browser(app, f"203.0.113.{i // PER_PAIR}"), "officer", f"wrong-{i}")
                for i in range(PER_ACCOUNT + 1)]
    assert statuses == [401] * PER_ACCOUNT + [429]
    assert attempt(browser(app, "198.51.100.9"), "admin", PASSWORD) == 303  # other accounts go on
