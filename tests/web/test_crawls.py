"""The crawl runs page and API: staff see every run's counts, times, exit code, error and log; brand
owners see none of it; a log is shown only from data_dir/logs, as escaped text."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from ipwatch.core.clock import utcnow
from ipwatch.core.storage.models import CrawlRunRow, SiteRow

HOSTILE = '<script>window.__xss=5</script><img src=x onerror="window.__xss=6">'


@pytest.fixture
def runs(scene) -> dict[str, int]:  # noqa: ANN001
    """Four runs of the scene's site: finished, blocked, failed with a hostile error and log, running;
    and three whose recorded log lies outside data_dir/logs or is gone."""
    logs = scene.settings.data_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    (logs / "crawl-demo-1.log").write_text(f"2026-11-25 fetched 12 pages\n{HOSTILE}\nTraceback: boom\n",
                                           encoding="utf-8")
    secret = scene.settings.data_dir / "secret.txt"
    secret.write_text("not for the web", encoding="utf-8")
    (logs / "crawl-demo-link.log").symlink_to(secret)  # inside logs/ by name, outside in fact
    start = utcnow() - timedelta(hours=5)
    stats = {"coverage/pages_tried": 14, "coverage/pages_read": 12, "coverage/pages_blocked": 0,
             "coverage/pages_failed": 2, "coverage/listings_found": 9, "listings/stored": 9,
             "alerts/created": 3, "response_received_count": 13}
    made = {
        "finished": ("finished", 0, stats, None),
        "blocked": ("finished", 1, {**stats, "coverage/pages_blocked": 4, "coverage/listings_found": 5,
                                    "ipwatch/exit_code": 0}, None),
        "failed": ("failed", 2, {"ipwatch/exit_code": 1, "ipwatch/error": f"Traceback\n{HOSTILE}\nValueError: bad",
                                 "ipwatch/log": str(logs / "crawl-demo-1.log")}, None),
        "outside": ("finished", 3, {**stats, "ipwatch/log": str(secret)}, None),
        "traversal": ("finished", 4, {**stats, "ipwatch/log": "../secret.txt"}, None),
        "gone": ("finished", 5, {**stats, "ipwatch/log": str(logs / "crawl-demo-0.log")}, None),
        "symlink": ("finished", 6, {**stats, "ipwatch/log": str(logs / "crawl-demo-link.log")}, None),
        "running": ("running", 7, {}, "open"),
    }
    ids = {}
    with scene.database.session() as session:
        site = session.query(SiteRow).filter_by(name="demo").one()
        for name, (status, hours, run_stats, still) in made.items():
            row = CrawlRunRow(site_id=site.id, status=status, stats=run_stats,
                              started_at=start + timedelta(hours=hours),
                              finished_at=None if still else start + timedelta(hours=hours, minutes=7))
            session.add(row)
            session.flush()
            ids[name] = row.id
    return ids


def test_staff_see_every_runs_counts_times_exit_code_and_error(scene, client, runs):
    for who in ("officer", "admin"):
        page = client(who).get("/crawls")
        assert page.status_code == 200
        assert '<a href="/crawls" class="on">Crawls</a>' in page.text
        row = re.search(rf'<tr data-testid="run-{runs["finished"]}">(.*?)</tr>', page.text, re.S).group(1)
        cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        assert cells[:3] == [f"#{runs['finished']}", "demo", "finished"]
        assert cells[5] == "7 min"  # took
        assert cells[6:13] == ["14", "12", "0", "2", "9", "3", "—"]  # tried read blocked failed listings alerts exit
    page = client("officer").get("/crawls").text
    assert 'data-testid="site-demo-finished">5 finished' in page  # finished, outside, traversal, gone, symlink
    assert 'data-testid="site-demo-blocked">1 blocked' in page
    assert 'data-testid="site-demo-failed">1 failed' in page
    assert 'data-testid="site-demo-running">1 running' in page
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg"') == 1  # listings found per run, for the one site
    assert f"#{runs['blocked']} · listings found: 5" in page  # the blocked run's bar says its number on hover
    assert HOSTILE not in page and "&lt;script&gt;window.__xss=5&lt;/script&gt;" in page
    assert f'<a href="/crawls/{runs["failed"]}/log">log</a>' in page


def test_filters_by_site_and_status(scene, client, runs):
    officer = client("officer")
    failed = officer.get("/crawls?status=failed").text
    assert f'data-testid="run-{runs["failed"]}"' in failed and f'data-testid="run-{runs["finished"]}"' not in failed
    assert 'data-testid="crawl-count">0<' in officer.get("/crawls?site=jd").text
    assert officer.get("/crawls?site=&status=").status_code == 200  # blank fields of the form mean any
    assert officer.get("/crawls?site=<script>").status_code == 422


def test_the_log_is_shown_escaped_and_only_from_the_logs_folder(scene, client, runs):
    officer = client("officer")
    log = officer.get(f"/crawls/{runs['failed']}/log")
    assert log.status_code == 200 and "fetched 12 pages" in log.text and "Traceback: boom" in log.text
    assert HOSTILE not in log.text and "&lt;img src=x onerror=" in log.text
    for name, why in (("outside", "not inside logs/"), ("traversal", "log file is gone"), ("gone", "log file is gone"),
                      ("symlink", "not inside logs/")):
        page = officer.get(f"/crawls/{runs[name]}/log")
        assert page.status_code == 200 and why in page.text and "not for the web" not in page.text, name
    assert "kept no log file" in officer.get(f"/crawls/{runs['finished']}/log").text
    assert officer.get("/crawls/999999/log").status_code == 404
    assert officer.get("/crawls/0/log").status_code == 422


@pytest.mark.parametrize("path", ["/crawls", "/crawls/{failed}/log", "/api/crawls"])
def test_brand_owners_and_visitors_see_no_crawl_runs(scene, client, runs, path):
    url = path.format(**runs)
    sheep = client("sheep")
    refused = sheep.get(url)
    assert refused.status_code == 403 and "Traceback" not in refused.text
    assert 'href="/crawls"' not in sheep.get("/alerts").text  # nor a link to them
    anonymous = client(None).get(url, follow_redirects=False)
    assert anonymous.status_code == (401 if url.startswith("/api/") else 303)


def test_the_api_lists_runs_with_their_counts(scene, client, runs):
    listed = client("officer").get("/api/crawls?limit=3").json()
    assert [item["id"] for item in listed] == [runs["running"], runs["symlink"], runs["gone"]]
    assert listed[0]["health"] == "running" and listed[0]["finished_at"] is None
    every = {item["id"]: item for item in client("admin").get("/api/crawls").json()}
    failed, blocked = every[runs["failed"]], every[runs["blocked"]]
    assert (failed["health"], failed["exit_code"], failed["log_url"]) == ("failed", 1, f"/crawls/{runs['failed']}/log")
    assert failed["error"].endswith("ValueError: bad")
    assert (blocked["health"], blocked["counts"]["blocked"], blocked["duration_s"]) == ("blocked", 4, 420.0)


def test_the_cli_lists_the_same_runs(scene, runs, monkeypatch):
    import json
    import os

    from typer.testing import CliRunner

    from ipwatch.cli import app

    for key in [key for key in os.environ if key.startswith("IPWATCH_")]:
        monkeypatch.delenv(key)
    env = {"IPWATCH_DATA_DIR": str(scene.settings.data_dir)}
    listed = CliRunner().invoke(app, ["crawls", "--status", "failed", "--json"], env=env)
    assert listed.exit_code == 0, listed.output
    (failed,) = [json.loads(line) for line in listed.output.splitlines()]
    assert (failed["id"], failed["exit_code"], failed["error"].splitlines()[-1]) == (runs["failed"], 1, "ValueError: bad")
    table = CliRunner().invoke(app, ["crawls", "--site", "demo"], env={**env, "COLUMNS": "200"})
    assert table.exit_code == 0 and "alerts" in table.output and "shutdown" not in table.output
