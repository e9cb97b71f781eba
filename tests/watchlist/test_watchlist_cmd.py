"""`ipwatch watchlist check|load|show` as an office worker runs them."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from ipwatch.cli import app
from ipwatch.core.settings import Settings

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "watchlist" / "samples" / "baotou.yaml"
BAD = REPO / "tests" / "fixtures" / "watchlists"


@pytest.fixture
def ipwatch(settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Runs `ipwatch ARGS...` against the test's database, from a folder with no ipwatch.toml."""
    monkeypatch.chdir(tmp_path)
    env = {"IPWATCH_DATA_DIR": str(settings.data_dir), "IPWATCH_DATABASE_URL": settings.database_url,
           "COLUMNS": "200"}
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args), env=env)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_check_says_how_many_marks_are_ok(ipwatch: Callable[..., Result]) -> None:
    result = ipwatch("watchlist", "check", str(SAMPLE))
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{SAMPLE}: 13 marks OK\n"


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_check_lists_every_problem_and_exits_1(ipwatch: Callable[..., Result], settings: Settings) -> None:
    result = ipwatch("watchlist", "check", str(BAD / "several_problems.yaml"))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == (f"{BAD / 'several_problems.yaml'}:5: marks[0].kind: 'Trademark' is not one of"
                        " trademark, gi, old_brand — did you mean 'trademark'?")
    assert [line.split(": ")[1] for line in lines[:4]] == [
        "marks[0].kind", "marks[1].id", "marks[2].aliases", "marks[2].reference_price.amount"]
    assert lines[4] == f"{BAD / 'several_problems.yaml'}: 4 problems; nothing was loaded"
    assert not (settings.data_dir / "ipwatch.db").exists()  # check never touches the database


def test_load_migrates_stores_and_is_idempotent(ipwatch: Callable[..., Result]) -> None:
    first = ipwatch("watchlist", "load", str(SAMPLE))
    assert first.exit_code == 0, first.output
    assert first.stdout.startswith(f"{SAMPLE}: 13 added, 0 updated, 0 unchanged (")
    again = ipwatch("watchlist", "load", str(SAMPLE))
    assert again.stdout.startswith(f"{SAMPLE}: 0 added, 0 updated, 13 unchanged (")


def test_load_of_a_bad_file_stores_nothing(ipwatch: Callable[..., Result]) -> None:
    result = ipwatch("watchlist", "load", str(BAD / "duplicate_id.yaml"))
    assert result.exit_code == 1
    assert "marks[1].id: 'yili' is already the id of marks[0] on line 2" in result.stderr
    shown = ipwatch("watchlist", "show")
    assert shown.exit_code == 1
    assert "run `ipwatch watchlist load FILE`" in shown.stderr


def test_show_prints_a_table_of_the_stored_marks(ipwatch: Callable[..., Result]) -> None:
    ipwatch("watchlist", "load", str(SAMPLE))
    result = ipwatch("watchlist", "show")
    assert result.exit_code == 0, result.output
    row = next(line for line in result.stdout.splitlines() if "guyang-huangqi" in line)
    for cell in ("gi", "固阳黄芪", "Guyang Astragalus, 固阳芪", "固阳县黄芪产业协会", "5 31",
                 "内蒙古自治区包头市固阳县", "guyang-huangqi.png"):
        assert cell in row
    assert "13 marks" in result.stdout


def test_show_json_gives_the_full_records(ipwatch: Callable[..., Result]) -> None:
    ipwatch("watchlist", "load", str(SAMPLE))
    result = ipwatch("watchlist", "show", "--json")
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    assert [record["id"] for record in records][:3] == ["adidas", "guyang-huangqi", "kangshifu"]
    assert len(records) == 13
    guyang = records[1]
    assert guyang["region"] == "内蒙古自治区包头市固阳县"
    assert guyang["images"] == [str(SAMPLE.parent / "images" / "guyang-huangqi.png")]
