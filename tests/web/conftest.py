"""Fixtures for the triage app: a scene built by the real queue, signed-in clients, the real demo.

`scene` inserts sites, marks and listings as rows and raises alerts through `alerts.queue.enqueue`,
the function the match stage calls. It is built once per session and backend, as a template database
(tests/databases.py) each test gets a copy of. `demo_site` runs `python -m ipwatch demo` once per
session (the real crawl of the demo marketplace) and serves the app on 127.0.0.1 for the browser tests.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from sqlalchemy import select

from ipwatch.alerts.queue import enqueue
from ipwatch.core.settings import Settings
from ipwatch.core.storage.engine import Database
from ipwatch.core.storage.migrate import upgrade
from ipwatch.core.storage.models import AlertRow, ListingRow, MarkRow, SiteRow
from ipwatch.matchers.records import Match, Reason
from ipwatch.web.app import create_app
from ipwatch.web.users import add_user
from tests.databases import Template, copy_sqlite
from tests.servers import free_port

REPO = Path(__file__).resolve().parents[2]
DEMO_MARKS = ("xiaofeiyang", "guyang-huangqi", "wahaha")  # a small demo: ~25 alerts, three rights holders
PASSWORD = "correct-horse-battery"
SHEEP_OWNER = "内蒙古小肥羊餐饮连锁有限公司"
HERB_OWNER = "固阳县黄芪产业协会"
HOSTILE_TITLE = '小肥洋<script>window.__xss=1</script>"><img src=x onerror="window.__xss=2"> 火锅底料'
HOSTILE_SELLER = '=HYPERLINK("http://127.0.0.1:9/x","click")'
HOSTILE_URL = "javascript:window.__xss=3"
SCENE_KEYS = {"hostile": "p1", "dashed": "p2", "herb": "p3", "genuine": "p4", "seller_twin": "p5"}  # listing keys
ACCOUNTS = {"admin": ("admin", None), "officer": ("officer", None), "sheep": ("owner", SHEEP_OWNER),
            "herb": ("owner", HERB_OWNER)}


@dataclass
class Scene:
    """Five alerts of two rights holders; ids by name: hostile, dashed, herb, genuine, seller_twin."""

    ids: dict[str, int]
    settings: Settings
    database: Database
    password = PASSWORD
    hostile_title = HOSTILE_TITLE
    hostile_seller = HOSTILE_SELLER
    hostile_url = HOSTILE_URL


def _mark(session, mark_id: str, name: str, kind: str, owner: str, aliases: list[str]) -> MarkRow:  # noqa: ANN001
    record = {"id": mark_id, "name": name, "kind": kind, "owner": owner, "aliases": aliases,
              "registration_number": f"REG-{mark_id}", "nice_classes": [29, 30]}
    row = MarkRow(id=mark_id, name=name, kind=kind, owner=owner, owner_email=None, record=record)
    session.add(row)
    session.flush()
    return row


def build_scene(settings: Settings, database: Database) -> Scene:
    """Insert the scene's rows and raise its alerts through the real queue; add one user per role."""
    ids: dict[str, int] = {}
    with database.session() as session:
        site = SiteRow(name="demo", base_url="http://127.0.0.1:9")
        session.add(site)
        session.flush()
        sheep = _mark(session, "xiaofeiyang", "小肥羊", "trademark", SHEEP_OWNER, ["Little Sheep"])
        herb = _mark(session, "guyang-huangqi", "固阳黄芪", "gi", HERB_OWNER, [])
        listings = [
            ("hostile", HOSTILE_TITLE, HOSTILE_SELLER, HOSTILE_URL, sheep, "homophone 小肥洋≈小肥羊"),
            ("dashed", "小-肥-羊 火锅蘸料 120g", "草原特产小店", None, sheep, "punctuation 小-肥-羊→小肥羊"),
            ("herb", "固陽黃芪切片 500g", "草原特产小店", None, herb, "traditional 固陽黃芪→固阳黄芪"),
            ("genuine", "小肥羊火锅底料 官方正品", "小肥羊合作经销店", None, sheep, "exact 小肥羊"),
            ("seller_twin", "小肥羊 火锅 蘸料 礼盒", "草原特产小店", None, sheep, "exact 小肥羊"),
        ]
        for name, title, seller, url, mark, reason in listings:
            key = SCENE_KEYS[name]
            listing = ListingRow(site_id=site.id, listing_key=key, url=url or f"http://127.0.0.1:9/item/{key}",
                                 title=title, price=9.9, currency="CNY", seller=seller, content_hash=f"h-{key}",
                                 problems=[])
            session.add(listing)
            session.flush()
            match = Match(site="demo", listing_key=key, mark_id=mark.id, score=0.93,
                          reasons=(Reason(technique=reason.split()[0], text=reason),))
            assert enqueue(session, listing, match, mark) == "created"
            ids[name] = session.scalar(select(AlertRow.id).where(AlertRow.listing_id == listing.id))
        for username, (role, owner) in ACCOUNTS.items():
            add_user(session, username, PASSWORD, role, owner)
    return Scene(ids, settings, database)


def scene_ids(database: Database) -> dict[str, int]:
    """The scene's alert ids by name, read back from a copy of it."""
    with database.session() as session:
        by_key = dict(session.execute(select(ListingRow.listing_key, AlertRow.id).join(
            AlertRow, AlertRow.listing_id == ListingRow.id)).all())
    return {name: by_key[key] for name, key in SCENE_KEYS.items()}


def _build_scene_template(settings: Settings) -> None:
    upgrade(settings)
    database = Database(settings)
    build_scene(settings, database)
    database.dispose()  # the last connection closing folds SQLite's WAL into the database file


# Migrations and password hashing take time: the scene is built once per backend, and tests get a copy.
SCENE = Template("web-scene", _build_scene_template)


@pytest.fixture
def database_template(database_template: Template | None, request: pytest.FixtureRequest) -> Template | None:
    """Tests that use `db_scene` start from the scene's template (tests/conftest.py's, for the rest)."""
    return SCENE if "db_scene" in request.fixturenames else database_template


@pytest.fixture
def web_settings(tmp_path: Path) -> Settings:
    """Settings on a SQLite database in this test's tmp_path."""
    settings = Settings(data_dir=tmp_path / "data")
    settings.ensure_dirs()
    return settings


@pytest.fixture
def scene(web_settings: Settings) -> Iterator[Scene]:
    """The five-alert scene on SQLite, with one account per role (password `PASSWORD`): a fresh copy."""
    copy_sqlite(SCENE, web_settings.data_dir)
    database = Database(web_settings)
    yield Scene(scene_ids(database), web_settings, database)
    database.dispose()


@pytest.fixture
def db_scene(settings: Settings, database: Database) -> Scene:
    """The same scene on this test's database: SQLite and PostgreSQL (root conftest's `database`, a copy
    of the scene's template)."""
    settings.ensure_dirs()
    return Scene(scene_ids(database), settings, database)


class Client(TestClient):
    """A browser-like client of the app: keeps cookies, knows the session's CSRF token."""

    csrf: str = ""

    def sign_in(self, username: str, password: str = PASSWORD) -> Client:
        page = self.get("/login")
        self.csrf = csrf_of(page.text)
        response = self.post("/login", data={"username": username, "password": password,
                                             "csrf_token": self.csrf, "next": "/alerts"}, follow_redirects=False)
        assert response.status_code == 303, response.text[:500]
        self.csrf = self.get("/api/me").json()["csrf_token"]
        return self

    @staticmethod
    def csrf_of(html: str) -> str:
        """The CSRF token a page's forms carry."""
        return csrf_of(html)

    def form(self, url: str, data: dict | None = None, **kwargs) -> object:  # noqa: ANN003
        """POST a form with the session's CSRF token, as the page's own form would."""
        return self.post(url, data={"csrf_token": self.csrf, **(data or {})}, follow_redirects=False, **kwargs)

    def api(self, url: str, payload: dict) -> object:
        """POST JSON to the API with the CSRF header."""
        return self.post(url, json=payload, headers={"X-CSRF-Token": self.csrf})


def csrf_of(html: str) -> str:
    """The CSRF token a page's forms carry."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "page has no CSRF field"
    return found.group(1)


@pytest.fixture
def app(scene: Scene):  # noqa: ANN201
    return create_app(scene.settings)


@pytest.fixture
def client(app) -> Iterator[Callable[[str | None], Client]]:  # noqa: ANN001
    """`client("officer")`: a signed-in client (new cookies each call); `client(None)`: anonymous."""
    made: list[Client] = []

    def make(username: str | None) -> Client:
        c = Client(app, base_url="http://127.0.0.1")
        c.__enter__()
        made.append(c)
        return c.sign_in(username) if username else c

    yield make
    for c in made:
        c.__exit__(None, None, None)


# --- the real demo, served on 127.0.0.1, for the browser tests -----------------------------------


@dataclass
class LiveSite:
    url: str
    settings: Settings


def demo_watchlist(folder: Path) -> Path:
    """Three marks of the sample watchlist (three rights holders), image paths made absolute."""
    samples = REPO / "watchlist" / "samples"
    data = yaml.safe_load((samples / "baotou.yaml").read_text(encoding="utf-8"))
    marks = [mark for mark in data["marks"] if mark["id"] in DEMO_MARKS]
    for mark in marks:
        mark["images"] = [str((samples / image).resolve()) for image in mark.get("images", [])]
    path = folder / "watchlist.yaml"
    path.write_text(yaml.safe_dump({"marks": marks}, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveSite]:
    """`ipwatch demo` on three marks, run once: crawl, match, evidence; then the app served on 127.0.0.1."""
    import uvicorn

    root = tmp_path_factory.mktemp("web-demo")
    data_dir = root / "data"
    env = {k: v for k, v in os.environ.items() if not k.startswith("IPWATCH_")}
    env.update(IPWATCH_DATA_DIR=str(data_dir), COLUMNS="160")
    result = subprocess.run([sys.executable, "-m", "ipwatch.cli", "demo", "--watchlist", str(demo_watchlist(root))],
                            env=env, cwd=root, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    settings = Settings(data_dir=data_dir)
    upgrade(settings)
    database = Database(settings)
    with database.session() as session:
        for username, (role, owner) in ACCOUNTS.items():
            add_user(session, username, PASSWORD, role, owner)
    database.dispose()
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the triage app did not start"
    yield LiveSite(f"http://127.0.0.1:{port}", settings)
    server.should_exit = True
    thread.join(timeout=10)
