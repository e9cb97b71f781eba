"""The queue page kept per data version (web/queue_cache.py): never older than the request, on both databases."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from sqlalchemy import select, text, update

from ipwatch.alerts.queue import enqueue
from ipwatch.core.storage.models import AlertRow, DataVersionRow, ListingRow, MarkRow
from ipwatch.matchers.records import Match, Reason
from ipwatch.web.app import create_app
from ipwatch.web.queue_cache import QueueCache
from tests.web.conftest import Client


def total(page) -> int:  # noqa: ANN001
    assert page.status_code == 200, page.text[:300]
    return int(re.search(r'data-testid="total">(\d+)<', page.text).group(1))


def version(database) -> int:  # noqa: ANN001
    with database.session() as session:
        return session.scalar(select(DataVersionRow.n).where(DataVersionRow.name == "queue"))


@pytest.fixture
def served(db_scene) -> Iterator[tuple[object, dict[str, Client]]]:  # noqa: ANN001
    app = create_app(db_scene.settings)
    clients: dict[str, Client] = {}
    for name in ("officer", "sheep"):
        clients[name] = Client(app, base_url="http://127.0.0.1")
        clients[name].__enter__()
        clients[name].sign_in(name)
    yield app, clients
    for c in clients.values():
        c.__exit__(None, None, None)


def test_the_cache_is_on_and_a_repeated_page_is_not_computed_again(db_scene, served):
    app, clients = served
    cache: QueueCache = app.state.ipwatch.queue_cache
    assert cache.enabled
    assert total(clients["officer"].get("/alerts")) == 5
    misses = cache.misses
    assert total(clients["officer"].get("/alerts")) == 5
    assert cache.misses == misses and cache.hits >= 1


def test_each_viewer_scope_has_its_own_pages(db_scene, served):
    _, clients = served
    assert total(clients["officer"].get("/alerts")) == 5
    assert total(clients["sheep"].get("/alerts")) == 4  # the herb alert is another rights holder's
    assert "固陽黃芪" not in clients["sheep"].get("/alerts").text


@pytest.mark.parametrize(("action", "state_after"), [("false_positive", "false_positive"), ("reviewing", "reviewing")])
def test_counts_follow_a_triage_action_at_once(db_scene, served, action, state_after):
    _, clients = served
    officer = clients["officer"]
    assert total(officer.get("/alerts?state=new")) == 5
    assert total(officer.get(f"/alerts?state={state_after}")) == 0
    moved = officer.form("/alerts/bulk", {"action": action, "ids": [db_scene.ids["dashed"], db_scene.ids["genuine"]]})
    assert moved.status_code == 303
    assert total(officer.get("/alerts?state=new")) == 3
    assert total(officer.get(f"/alerts?state={state_after}")) == 2
    assert total(clients["sheep"].get(f"/alerts?state={state_after}")) == 2


def test_writes_from_outside_the_app_show_on_the_next_request(db_scene, served):
    _, clients = served
    officer = clients["officer"]
    assert total(officer.get("/alerts?q=金黄")) == 0
    assert total(officer.get("/alerts?severity=low")) == 0
    database = db_scene.database
    with database.session() as session:  # the pipeline renames a listing and re-grades an alert
        session.execute(update(ListingRow).where(ListingRow.listing_key == "p4").values(title="金黄 火锅底料"))
        session.execute(update(AlertRow).where(AlertRow.id == db_scene.ids["herb"]).values(severity="low"))
    assert total(officer.get("/alerts?q=金黄")) == 1
    assert total(officer.get("/alerts?severity=low")) == 1
    with database.session() as session:  # a new alert raised by the match stage
        mark = session.get(MarkRow, "xiaofeiyang")
        listing = ListingRow(site_id=session.scalar(select(ListingRow.site_id).limit(1)), listing_key="p9",
                             url="http://127.0.0.1:9/item/p9", title="小肥羊 新品", price=1.0, currency="CNY",
                             seller="新店", content_hash="h-p9", problems=[])
        session.add(listing)
        session.flush()
        match = Match(site="demo", listing_key="p9", mark_id=mark.id, score=0.95,
                      reasons=(Reason(technique="exact", text="exact 小肥羊"),))
        assert enqueue(session, listing, match, mark) == "created"
    assert total(officer.get("/alerts")) == 6
    with database.session() as session:
        session.execute(AlertRow.__table__.delete().where(AlertRow.id == db_scene.ids["hostile"]))
    assert total(officer.get("/alerts")) == 5


def test_the_version_rises_with_a_committed_change_and_not_for_a_rollback(db_scene):
    database = db_scene.database
    before = version(database)
    with database.session() as session:
        session.execute(update(AlertRow).values(score=0.5))
        postgresql = session.get_bind().dialect.name == "postgresql"
    after = version(database)
    # PostgreSQL raises it once per transaction, at commit; SQLite (one writer at a time) once per row
    assert after == before + 1 if postgresql else after == before + 5
    with pytest.raises(RuntimeError), database.session() as session:
        session.execute(update(AlertRow).values(score=0.6))
        raise RuntimeError("rolled back")
    assert version(database) == after
    with database.session() as session:  # what the queue does not show changes nothing
        session.execute(update(ListingRow).values(last_seen=ListingRow.last_seen))
        session.execute(update(MarkRow).where(MarkRow.id == "nothing").values(name="x"))
    assert version(database) == after


def test_without_its_triggers_the_cache_is_off_and_pages_stay_right(db_scene):
    database = db_scene.database
    with database.session() as session:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("DROP TRIGGER queue_version_case_alerts ON case_alerts"))
        else:
            session.execute(text("DROP TRIGGER queue_version_case_alerts_insert"))
    app = create_app(db_scene.settings)
    assert not app.state.ipwatch.queue_cache.enabled
    with Client(app, base_url="http://127.0.0.1") as officer:
        officer.sign_in("officer")
        assert total(officer.get("/alerts?state=new")) == 5
        officer.form("/alerts/bulk", {"action": "merge", "ids": [db_scene.ids["dashed"], db_scene.ids["genuine"]]})
        assert total(officer.get("/alerts?state=new")) == 5
        assert "/cases/" in officer.get("/alerts").text


def test_a_read_on_a_connection_the_server_dropped_is_run_again(pg_server, tmp_path):
    """The read pool does not ping before use: a connection PostgreSQL closed (a restart) costs a retry."""
    from ipwatch.core.settings import Settings
    from ipwatch.core.storage.engine import Database
    from ipwatch.core.storage.migrate import upgrade

    with pg_server.fresh_database() as url:
        settings = Settings(data_dir=tmp_path / "data", database_url=url)
        upgrade(settings)
        database = Database(settings)
        try:
            pid = database.read(lambda session: session.scalar(text("SELECT pg_backend_pid()")))
            with database.session() as session:
                assert session.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            assert database.read(lambda session: session.scalar(text("SELECT pg_backend_pid()"))) != pid
            assert database.read(lambda session: session.scalar(select(DataVersionRow.n))) == 0
        finally:
            database.dispose()


@pytest.mark.parametrize("few", [0, 2_000])  # the words' listings looked up in the page's queries, or first
def test_title_and_seller_words_select_the_same_alerts_either_way(db_scene, monkeypatch, few):
    from ipwatch.web import triage

    monkeypatch.setattr(triage, "FEW_LISTINGS", few)
    app = create_app(db_scene.settings.model_copy(update={"queue_cache_pages": 0}))
    with Client(app, base_url="http://127.0.0.1") as officer:
        officer.sign_in("officer")
        assert total(officer.get("/alerts?q=火锅")) == 4
        assert total(officer.get("/alerts?q=火锅&seller=草原")) == 2
        assert total(officer.get("/alerts?q=火锅&sort=title&order=asc")) == 4
        assert total(officer.get("/alerts?q=没有")) == 0
        page = officer.get("/alerts?seller=合作经销&sort=seller")
        assert total(page) == 1 and "小肥羊火锅底料 官方正品" in page.text
