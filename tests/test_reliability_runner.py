"""`python -m bench.reliability`: load benchmarks' figure lines become report rows, a benchmark that fails
or prints no figure is a FAIL row, and the Markdown report holds every row with its result."""

from __future__ import annotations

from pathlib import Path

from bench.reliability import Row, markdown, ordered, run_load

FIGURES = '''import json, sys
print("warming up")
print(json.dumps({"figure": "requests per second", "value": 212.5, "unit": "req/s", "target": ">= 100", "pass": True}))
print(json.dumps({"figure": "p95", "value": 412, "unit": "ms", "target": "< 300 ms", "pass": False}))
print("{not json")
'''


def test_each_figure_line_is_a_row_and_passes_only_when_it_says_so(tmp_path: Path) -> None:
    bench = tmp_path / "load_demo.py"
    bench.write_text(FIGURES, encoding="utf-8")
    rows = {row.label: row for row in run_load(bench)}
    assert {label: row.result for label, row in rows.items()} == {"requests per second": "PASS", "p95": "FAIL"}
    assert "412 ms (target < 300 ms)" in markdown(list(rows.values()), quick=False, seconds=1)


def test_a_benchmark_that_crashes_or_prints_no_figure_is_one_failed_row(tmp_path: Path) -> None:
    crash = tmp_path / "load_crash.py"
    crash.write_text("import sys\nprint('no figures here')\nsys.exit('the database is not there')\n", encoding="utf-8")
    [row] = run_load(crash)
    assert (row.category, row.label, row.result) == ("load", "load_crash", "FAIL")
    assert "exit 1: the database is not there" in row.detail


def test_rows_are_ordered_by_category_and_a_row_without_tests_fails() -> None:
    rows = ordered([Row("security", "b", tests=1, passed=1), Row("fault", "z", tests=1, passed=1),
                    Row("hostile", "a", tests=0), Row("fault", "a", tests=2, passed=1, skipped=1)])
    assert [(row.category, row.label, row.result) for row in rows] == [
        ("fault", "a", "PASS"), ("fault", "z", "PASS"), ("hostile", "a", "FAIL"), ("security", "b", "PASS")]
