"""`ipwatch users` and `ipwatch serve` at the shell."""

from __future__ import annotations

import os
import stat

import pytest
from typer.testing import CliRunner

from ipwatch.cli import app
from ipwatch.core.secret import secret_key
from ipwatch.core.settings import Settings
from ipwatch.core.storage.engine import Database
from ipwatch.core.storage.models import MarkRow
from ipwatch.web.users import authenticate
from tests.databases import migrated_sqlite
from tests.servers import free_port


@pytest.fixture
def database(web_settings):
    """A migrated SQLite database (the commands are the same on PostgreSQL: test_users covers both)."""
    migrated_sqlite(web_settings)
    db = Database(web_settings)
    yield db
    db.dispose()


@pytest.fixture
def settings(web_settings):
    return web_settings


@pytest.fixture
def cli(settings, monkeypatch):
    """Run `ipwatch …` against this test's database, as a user with IPWATCH_* set would."""
    monkeypatch.setenv("IPWATCH_DATA_DIR", str(settings.data_dir))
    monkeypatch.delenv("IPWATCH_DATABASE_URL", raising=False)
    runner = CliRunner()
    return lambda *args, stdin=None: runner.invoke(app, list(args), input=stdin, catch_exceptions=False)


def test_users_add_creates_an_account_that_signs_in(cli, settings, database):
    with database.session() as session:
        session.add(MarkRow(id="guyang-huangqi", name="固阳黄芪", kind="gi", owner="固阳县黄芪产业协会",
                            record={"id": "guyang-huangqi"}))
    added = cli("users", "add", "herb", "--role", "owner", "--owner", "固阳县黄芪产业协会", "--password-stdin",
                stdin="correct-horse-battery\n")
    assert added.exit_code == 0, added.output
    assert "added herb (owner, for 固阳县黄芪产业协会)" in added.output
    with database.session() as session:
        assert authenticate(session, "herb", "correct-horse-battery").owner == "固阳县黄芪产业协会"
    listed = cli("users", "list")
    assert "herb" in listed.output and "固阳县黄芪产业协会" in listed.output


@pytest.mark.parametrize(("args", "message"), [
    (["--role", "owner", "--owner", "无此公司"], "no mark in the watchlist has owner '无此公司'"),
    (["--role", "superuser"], "role 'superuser' is not one of admin, officer, owner"),
])
def test_users_add_says_what_to_fix(cli, database, args, message):
    result = cli("users", "add", "someone", *args, "--password-stdin", stdin="correct-horse-battery\n")
    assert result.exit_code == 1
    assert message in result.output


def test_serve_is_a_command_with_host_port_and_scheduler_switch(cli):
    result = cli("serve", "--help")
    assert result.exit_code == 0
    for option in ("--host", "--port", "--no-scheduler"):
        assert option in result.output


def test_the_session_key_is_generated_once_private_and_kept(tmp_path):
    settings = Settings(data_dir=tmp_path / "data")
    first = secret_key(settings)
    assert len(first) >= 48 and secret_key(settings) == first
    mode = stat.S_IMODE(os.stat(settings.data_dir / "secret_key").st_mode)
    assert mode == 0o600
    assert secret_key(Settings(data_dir=tmp_path / "data", secret_key="k" * 40)) == "k" * 40


def test_serve_answers_on_127_0_0_1_with_the_scheduler_beside_it(settings, database):
    import subprocess
    import sys
    import time
    import urllib.request
    from pathlib import Path

    port = free_port()
    repo = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if not k.startswith("IPWATCH_")}
    env.update(IPWATCH_DATA_DIR=str(settings.data_dir), PYTHONPATH=str(repo))
    process = subprocess.Popen([sys.executable, "-m", "ipwatch.cli", "serve", "--port", str(port)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline, status = time.monotonic() + 180, None  # start-up on a loaded 2-core machine can take half a minute
        while time.monotonic() < deadline and status is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2) as response:
                    status = response.status
            except OSError:
                time.sleep(0.2)
        assert status == 200
    finally:
        process.terminate()
        output = process.communicate(timeout=20)[0]
    assert "scheduler:" in output and "job(s) beside the web app" in output
