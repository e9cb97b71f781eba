"""Secrets come from the environment (or ipwatch.toml) and are never written to logs or output.

Each command runs in a child process with `-v` (DEBUG logging for ipwatch and its libraries) and
every secret set: the SMTP password, the office's channel URLs (tokens inside), the session
secret key, and a database URL with a password (the PostgreSQL here trusts 127.0.0.1, so the
password is sent and ignored, and the commands work). Nothing the commands print, on stdout or
stderr, may contain any of them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

pytestmark = [pytest.mark.reliability("security", "secrets never logged (SMTP, channels, secret key, DB URL)"),
              pytest.mark.postgres]

SECRETS = {
    "IPWATCH_SMTP_PASSWORD": "smtp-pw-Qx7vZ2",
    "IPWATCH_SECRET_KEY": "session-key-Lr4Wn9-long-enough-to-sign",
    "IPWATCH_OFFICE_CHANNELS": json.dumps(["dingtalk://tok3nDingA1b2C3/", "json://127.0.0.1:9/hook?token=Hk8sP0"]),
}
NEEDLES = ["smtp-pw-Qx7vZ2", "session-key-Lr4Wn9", "tok3nDingA1b2C3", "Hk8sP0", "db-pw-Vt5Km3"]
COMMANDS = [
    ["-v", "db", "upgrade"],
    ["-v", "channels"],
    ["-v", "deliver"],
    ["-v", "alerts", "list"],
    ["-v", "watchlist", "show"],
]


@pytest.fixture
def env(pg_server, tmp_path: Path) -> dict[str, str]:  # noqa: ANN001 - tests/conftest.py's server
    with pg_server.fresh_database() as url:
        with_password = make_url(url).set(password="db-pw-Vt5Km3").render_as_string(hide_password=False)
        base = {k: v for k, v in os.environ.items() if not k.startswith("IPWATCH_")}
        yield {**base, **SECRETS, "IPWATCH_DATA_DIR": str(tmp_path / "data"), "IPWATCH_DATABASE_URL": with_password,
               "IPWATCH_SMTP_HOST": "127.0.0.1", "IPWATCH_SMTP_PORT": "9", "IPWATCH_SMTP_USER": "office",
               "COLUMNS": "200"}


def run(env: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ipwatch.cli", *args], env=env, cwd=cwd, text=True,
                          capture_output=True, timeout=120)


def test_no_command_prints_a_secret_even_at_debug_level(env: dict[str, str], tmp_path: Path) -> None:
    outputs = []
    for args in COMMANDS:
        result = run(env, tmp_path, *args)
        outputs.append((args, result.returncode, result.stdout + result.stderr))
    assert outputs[0][1] == 0, outputs[0][2][-2000:]  # the database URL with its password works
    leaks = [(args, needle) for args, _, text in outputs for needle in NEEDLES if needle in text]
    assert not leaks, leaks


def test_a_failing_database_connection_does_not_print_the_password(env: dict[str, str], tmp_path: Path) -> None:
    url = make_url(env["IPWATCH_DATABASE_URL"]).set(port=9, database="nowhere")
    result = run({**env, "IPWATCH_DATABASE_URL": url.render_as_string(hide_password=False)}, tmp_path,
                 "-v", "db", "upgrade")
    assert result.returncode != 0
    assert "db-pw-Vt5Km3" not in result.stdout + result.stderr, (result.stdout + result.stderr)[-2000:]


def test_settings_print_their_secrets_masked() -> None:
    from ipwatch.core.settings import Settings

    settings = Settings(smtp_password="smtp-pw-Qx7vZ2", secret_key="session-key-Lr4Wn9-long-enough-to-sign",
                        office_channels=["dingtalk://tok3nDingA1b2C3/"])
    shown = repr(settings) + str(settings) + str(settings.model_dump())
    assert not [needle for needle in NEEDLES if needle in shown], shown
