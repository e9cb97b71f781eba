"""`ipwatch alerts list/show/send`: what a reviewer types at the shell."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from typer.testing import CliRunner

from ipwatch.alerts.feedback import apply_feedback
from ipwatch.alerts.queue import enqueue
from ipwatch.cli import app
from tests.databases import sqlite_only


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


@sqlite_only
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
    assert [(d["status"], d["mode"]) for d in shown["deliveries"]] == [("pending", "immediate")]
    assert [e["action"] for e in shown["events"]] == ["created"]
    assert shown["seller_network"] == [{"seller": "某某专营店", "site": "demo", "why": ""}]
    assert "seller network" in result.stdout and "this listing's seller" in result.stdout


@sqlite_only
def test_show_of_an_unknown_id_says_where_to_find_ids(database, cli):
    result = cli("show", "999")
    assert result.exit_code == 1
    assert "ipwatch alerts list" in result.stderr


def test_send_writes_the_pending_mail_and_reports_it(database, seed, settings, cli):
    seed()
    result = cli("send")
    assert result.exit_code == 0
    assert "3 alert(s) sent in 2 message(s) (2 email) to 2 recipient(s)" in result.stdout
    assert len(list(settings.outbox_dir.glob("*.eml"))) == 2


def test_an_unmigrated_database_names_the_remedy(tmp_path, monkeypatch):
    monkeypatch.setenv("IPWATCH_DATA_DIR", str(tmp_path / "empty"))
    monkeypatch.delenv("IPWATCH_DATABASE_URL", raising=False)
    result = CliRunner().invoke(app, ["alerts", "list"])
    assert result.exit_code == 2
    assert "ipwatch db upgrade" in result.stderr


def test_channels_lists_every_scheme_with_what_it_is(monkeypatch):
    monkeypatch.delenv("IPWATCH_OFFICE_CHANNELS", raising=False)
    listing = CliRunner().invoke(app, ["channels"], catch_exceptions=False)
    assert listing.exit_code == 0
    for expected in ("dingtalk://", "wecombot://", "feishu://", "slack://", "json://, jsons://", "mailto:",
                     "钉钉", "企业微信", "飞书", "office channels (high severity and up): none"):
        assert expected in listing.stdout


def test_channels_test_sends_a_sample_alert_and_says_what_happened(hooks, monkeypatch, tmp_path):
    monkeypatch.setenv("IPWATCH_DATA_DIR", str(tmp_path))
    ok = CliRunner().invoke(app, ["channels", "test", "dingtalk://0123456789abcdef/"], catch_exceptions=False)
    assert ok.exit_code == 0 and ok.stdout.startswith("dingtalk://0...f/: ok")
    assert "0123456789abcdef" not in ok.stdout
    assert "测试消息" in hooks.hits[0].json()["markdown"]["text"]
    hooks.status = 500
    failed = CliRunner().invoke(app, ["channels", "test", "dingtalk://0123456789abcdef/"], catch_exceptions=False)
    assert failed.exit_code == 1 and "FAILED" in failed.stdout
    unusable = CliRunner().invoke(app, ["channels", "test", "fax://0472-123"], catch_exceptions=False)
    assert unusable.exit_code == 2 and "no channel speaks fax://" in unusable.stderr
    mail = CliRunner().invoke(app, ["channels", "test", "mailto:you@example.org"], catch_exceptions=False)
    assert mail.exit_code == 0 and "written to" in mail.stdout
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 1


@sqlite_only
def test_precision_and_dead_on_an_empty_queue(database, cli):
    assert json.loads(cli("precision", "--json").stdout) == []
    assert json.loads(cli("dead", "--json").stdout) == []
    assert "0 dead deliveries" in cli("dead").stdout


def test_precision_shows_each_marks_decided_share(database, seed, cli):
    seed()
    ids = {a["mark_id"]: a["id"] for a in json.loads(cli("list", "--json").stdout)}
    with database.session() as session:
        apply_feedback(session, ids["luwang"], "confirm", "officer")
        apply_feedback(session, ids["xiaofeiyang"], "reject", "officer")
    rows = {row["mark_id"]: row for row in json.loads(cli("precision", "--json").stdout)}
    assert (rows["luwang"]["precision"], rows["xiaofeiyang"]["precision"], rows["guyang-huangqi"]["precision"]) == (
        1.0, 0.0, None)
    table = cli("precision").stdout
    assert "100%" in table and "鹿王" in table
