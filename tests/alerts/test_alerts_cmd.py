"""`ipwatch alerts list/show/send`: what a reviewer types at the shell."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from typer.testing import CliRunner

from alerts.queue import enqueue
from ipwatch.cli import app


@pytest.fixture
def cli(settings, monkeypatch):
    """Run `ipwatch …` against the test database, as a user with IPWATCH_* set would."""
    monkeypatch.setenv("IPWATCH_DATA_DIR", str(settings.data_dir))
    if settings.database_url:
        monkeypatch.setenv("IPWATCH_DATABASE_URL", settings.database_url)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, ["alerts", *args], catch_exceptions=False)


def test_list_json_is_an_array_of_alert_records(database, seed, listing_image, cli):
    seed(listing_image)
    result = cli("list", "--json")
    assert result.exit_code == 0, result.output
    alerts = json.loads(result.stdout)
    assert sorted(a["mark_id"] for a in alerts) == ["guyang-huangqi", "luwang", "xiaofeiyang"]
    sheep = next(a for a in alerts if a["mark_id"] == "xiaofeiyang")
    assert sheep["title"] == seed.hostile_title
    assert sheep["thumbnail"] == str(listing_image.resolve())
    assert sheep["reasons"] == ["title contains 小肥羊"]
    assert datetime.fromisoformat(sheep["created_at"]).tzinfo is not None
    assert "固阳黄芪" in result.stdout  # ensure_ascii=False: Chinese as itself, not \\u escapes


@pytest.mark.parametrize(("options", "marks"), [
    (["--mark", "luwang"], ["luwang"]),
    (["--state", "new", "--mark", "guyang-huangqi"], ["guyang-huangqi"]),
    (["--state", "false_positive"], []),
])
def test_list_filters_by_state_and_mark(database, seed, cli, options, marks):
    seed()
    result = cli("list", "--json", *options)
    assert [a["mark_id"] for a in json.loads(result.stdout)] == marks


def test_list_prints_a_table_with_scraped_text_kept_literal(database, settings, rows, seed, cli,
                                                           monkeypatch):
    seed()
    with database.session() as session:
        r = rows(session, settings.images_dir)
        mark = r.mark("mengniu", "蒙牛")
        listing = r.listing(r.site("other"), "9", "[bold]蒙牛[/bold] 纯牛奶 [link=http://x]")
        enqueue(session, listing, r.match(listing, mark), mark)
    monkeypatch.setenv("COLUMNS", "200")
    result = cli("list")
    assert result.exit_code == 0
    for expected in ("severity", "小肥羊", "鹿王", "demo", "0.93", "new", "all alerts: 4",
                     "[bold]蒙牛[/bold] 纯牛奶 [link=http://x]"):
        assert expected in result.stdout


def test_show_prints_fields_reasons_deliveries_and_events(database, seed, cli):
    seed()
    alert_id = next(a["id"] for a in json.loads(cli("list", "--json").stdout) if a["mark_id"] == "luwang")
    result = cli("show", str(alert_id))
    assert result.exit_code == 0
    for expected in ("鹿王羊绒衫 高仿 男款", "title says 高仿 (replica)", "deliveries", seed.sheep_owner,
                     "pending", "events", "created", "matcher"):
        assert expected in result.stdout
    shown = json.loads(cli("show", str(alert_id), "--json").stdout)
    assert shown["alert"]["id"] == alert_id
    assert [d["status"] for d in shown["deliveries"]] == ["pending"]
    assert [e["action"] for e in shown["events"]] == ["created"]


def test_show_of_an_unknown_id_says_where_to_find_ids(database, cli):
    result = cli("show", "999")
    assert result.exit_code == 1
    assert "ipwatch alerts list" in result.stderr


def test_send_writes_the_pending_mail_and_reports_it(database, seed, settings, cli):
    seed()
    result = cli("send")
    assert result.exit_code == 0
    assert "3 alert(s) sent in 2 message(s) to 2 owner(s)" in result.stdout
    assert len(list(settings.outbox_dir.glob("*.eml"))) == 2


def test_an_unmigrated_database_names_the_remedy(tmp_path, monkeypatch):
    monkeypatch.setenv("IPWATCH_DATA_DIR", str(tmp_path / "empty"))
    monkeypatch.delenv("IPWATCH_DATABASE_URL", raising=False)
    result = CliRunner().invoke(app, ["alerts", "list"])
    assert result.exit_code == 2
    assert "ipwatch db upgrade" in result.stderr
