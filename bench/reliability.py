"""The reliability suite in one command: faults, hostile input, security and load, with a report.

    python -m bench.reliability [--quick] [--report test-artifacts/reliability.md] [-k EXPR]

Runs, in this process, `pytest` on tests/reliability/ and on the older per-area fault and
hostile-input tests listed in EXISTING below; then (unless --quick) every bench/load_*.py as a
child process. Prints one table, each fault, each class of input, each attack and each load figure
with PASS / FAIL / SKIP (or FILED: a known failure, marked xfail with where it is filed), writes the same table as Markdown to --report, and exits 1 if any row
failed.

Contract for adding rows (issue #10; kept in /work/helpers/reliability-contract.md as well):

Tests — anything under tests/reliability/ (security tests in files named test_security_*.py)
carries the marker registered in pyproject.toml:

    @pytest.mark.reliability("fault", "SIGKILL of the delivery worker")

The first argument is the category — "fault", "hostile", "security" or "load" — the second is the
row's label, in words a maintainer reads. Tests sharing a label make one row, which passes only if
every one of them passes. A module-level `pytestmark = pytest.mark.reliability(...)` works too. The
marker changes nothing when the tests run under plain `pytest`; a test here without it is reported
under "unlabelled" so none is silently left out. A test that measures something (a resource bound
it asserts) shows the measurement in its row's detail with pytest's `record_property`:

    record_property("figure", "peak 729 MiB (before 724 MiB; bound 800 MiB)")

Load benchmarks — each bench/load_*.py runs as `python bench/load_X.py` from the repository root
and prints, as its last stdout lines, one JSON object per figure:

    {"figure": "alerts triaged per second via the API", "value": 412.0, "unit": "req/s",
     "target": ">= 100", "pass": true}

`unit` is optional. Every stdout line that parses as a JSON object with a "figure" key is a row. A
benchmark that exits non-zero or prints no figure is one FAIL row with the tail of its stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CATEGORIES = ("fault", "hostile", "security", "load")
LOAD_TIMEOUT_S = 1800

# The per-area tests that already proved a guarantee before this suite existed: reused, not copied.
# Keys are pytest node ids without parameters; a key that no longer collects is a FAIL row, so a
# renamed test cannot silently drop out of the report.
EXISTING: dict[str, tuple[str, str]] = {
    "tests/alerts/test_faults.py::test_smtp_down_for_the_first_attempts_then_every_alert_goes_exactly_once":
        ("fault", "SMTP refusing: connection refused, then 451"),
    "tests/alerts/test_faults.py::test_an_address_the_server_refuses_for_good_is_dead_at_once_until_retried":
        ("fault", "SMTP refusing: 550 for one address"),
    "tests/alerts/test_faults.py::test_a_delivery_out_of_attempts_is_dead":
        ("fault", "SMTP refusing: out of attempts"),
    "tests/alerts/test_faults.py::test_a_claim_whose_worker_vanished_is_sent_after_its_lease":
        ("fault", "SIGKILL of the delivery worker"),
    "tests/alerts/test_faults.py::test_a_worker_killed_mid_delivery_loses_nothing_and_repeats_at_most_the_message_in_flight":
        ("fault", "SIGKILL of the delivery worker"),
    "tests/alerts/test_faults.py::test_two_worker_processes_on_postgresql_never_send_the_same_delivery":
        ("fault", "two delivery workers at once"),
    "tests/spiders/test_resume.py::test_a_crawl_killed_half_way_resumes_to_the_same_listings_and_alerts":
        ("fault", "SIGKILL of a crawl"),
    "tests/spiders/test_hostile.py::test_a_hostile_shop_is_crawled_to_the_end_with_every_bad_page_named":
        ("hostile", "hostile shop: 20 MB page, redirect loops, captcha, malformed HTML"),
    "tests/spiders/test_encoding.py":
        ("hostile", "wrong or missing charsets, GBK/Big5"),
    "tests/matchers/test_images.py::test_a_bad_image_is_refused_with_a_reason":
        ("hostile", "images: truncated, zero bytes, bombs, not images"),
    "tests/matchers/test_images.py::test_a_file_with_the_wrong_extension_is_read_by_its_content":
        ("hostile", "images: wrong extension"),
    "tests/watchlist/test_loader.py::test_a_bad_watchlist_reports_file_line_field_and_what_to_do":
        ("hostile", "watchlists with mistakes"),
    "tests/watchlist/test_loader.py::test_more_mistakes_an_office_worker_can_make":
        ("hostile", "watchlists with mistakes"),
    "tests/watchlist/test_watchlist_cmd.py::test_load_of_a_bad_file_stores_nothing":
        ("hostile", "watchlists with mistakes"),
}


@dataclass
class Row:
    """One line of the report: a fault, a class of input, an attack or a load figure."""

    category: str
    label: str
    tests: int = 0
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    filed: int = 0  # known failures, marked xfail with the reason they are filed under
    seconds: float = 0.0
    detail: str = ""
    figure: dict[str, Any] | None = None
    sources: set[str] = field(default_factory=set)

    @property
    def result(self) -> str:
        if self.figure is not None:
            return "PASS" if self.figure.get("pass") is True else "FAIL"
        if self.failed or self.tests == 0:
            return "FAIL"
        if self.filed:
            return "FILED"
        return "SKIP" if self.passed == 0 else "PASS"


def _base_id(nodeid: str) -> str:
    return nodeid.split("[", 1)[0]


class Collector:
    """A pytest plugin: files every test's outcome under its (category, label) row."""

    def __init__(self, existing: dict[str, tuple[str, str]]) -> None:
        self.existing = existing
        self.rows: dict[tuple[str, str], Row] = {}
        self.where: dict[str, tuple[str, str]] = {}
        self.seen_existing: set[str] = set()

    def _label_of(self, item: Any) -> tuple[str, str]:
        marker = item.get_closest_marker("reliability")
        if marker is not None:
            category, label = (list(marker.args) + ["", ""])[:2]
            if category not in CATEGORIES:
                return "unlabelled", f"{item.nodeid}: category {category!r} is not one of {', '.join(CATEGORIES)}"
            return category, str(label or item.name)
        base = _base_id(item.nodeid)
        for key, where in self.existing.items():
            if base == key or base.startswith(key + "::"):
                self.seen_existing.add(key)
                return where
        return "unlabelled", _base_id(item.nodeid)

    def pytest_collection_finish(self, session: Any) -> None:
        for item in session.items:
            key = self._label_of(item)
            self.where[item.nodeid] = key
            row = self.rows.setdefault(key, Row(*key))
            row.tests += 1
            row.sources.add(item.nodeid.split("::", 1)[0])

    def pytest_runtest_logreport(self, report: Any) -> None:
        key = self.where.get(report.nodeid)
        if key is None:
            return
        row = self.rows[key]
        row.seconds += report.duration
        figures = [str(value) for name, value in report.user_properties if name == "figure"]
        if report.when == "call" and figures:
            row.detail = "; ".join([*filter(None, [row.detail]), *figures])
        if report.when == "call" and report.passed:
            row.passed += 1
        elif report.failed:
            row.failed += 1
            if not row.detail:
                row.detail = _first_line(report)
        elif report.skipped and hasattr(report, "wasxfail"):
            row.filed += 1
            row.detail = row.detail or f"filed: {report.wasxfail}"
        elif report.skipped and report.when in ("setup", "call"):
            row.skipped += 1

    def missing_existing(self) -> list[str]:
        return [key for key in self.existing if key not in self.seen_existing]


def _first_line(report: Any) -> str:
    """The line of a failure a maintainer reads first: the assertion or exception, shortened."""
    text = str(getattr(report, "longrepr", "") or "")
    lines = [line.strip() for line in text.splitlines() if line.strip().startswith("E ")]
    line = lines[0][1:].strip() if lines else (text.strip().splitlines() or [""])[-1]
    return f"{report.nodeid.rsplit('::', 1)[-1]} ({report.when}): {line}"[:300]


def run_tests(paths: Iterable[str], existing: dict[str, tuple[str, str]], extra: list[str]) -> Collector:
    """Run pytest on `paths` in this process and return who passed what."""
    import pytest

    collector = Collector(existing)
    os.chdir(ROOT)
    pytest.main(["-q", "-p", "no:cacheprovider", *extra, *paths], plugins=[collector])
    for key in ([] if "-k" in extra else collector.missing_existing()):
        row = collector.rows.setdefault(existing[key], Row(*existing[key]))
        row.failed += 1
        row.detail = row.detail or f"{key}: no longer collected (renamed?) — update EXISTING in bench/reliability.py"
    return collector


def run_load(bench: Path) -> list[Row]:
    """Run one bench/load_*.py as a child process and read the figures it prints."""
    started = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, str(bench)], cwd=ROOT, capture_output=True, text=True,
                              timeout=LOAD_TIMEOUT_S)
        stdout, stderr, code = done.stdout, done.stderr, done.returncode
    except subprocess.TimeoutExpired as exc:
        stdout, stderr, code = str(exc.stdout or ""), f"timed out after {LOAD_TIMEOUT_S} s", -1
    seconds = time.perf_counter() - started
    rows = []
    for line in stdout.splitlines():
        try:
            figure = json.loads(line)
        except ValueError:
            continue
        if isinstance(figure, dict) and "figure" in figure:
            rows.append(Row("load", str(figure["figure"]), tests=1, seconds=seconds, figure=figure,
                            sources={bench.name}))
    if code != 0 or not rows:
        tail = " | ".join(stderr.strip().splitlines()[-3:]) or "no figure printed"
        rows.append(Row("load", bench.stem, tests=1, failed=1, seconds=seconds, detail=f"exit {code}: {tail}"[:300],
                        sources={bench.name}))
    return rows


def _value(row: Row) -> str:
    if row.figure is not None:
        value = row.figure.get("value")
        shown = f"{value:,.4g}" if isinstance(value, (int, float)) else str(value)
        return f"{shown} {row.figure.get('unit', '')}".strip() + f" (target {row.figure.get('target', '?')})"
    counts = f"{row.passed}/{row.tests} passed"
    counts += f", {row.skipped} skipped" if row.skipped else ""
    counts += f", {row.filed} known failure(s)" if row.filed else ""
    return counts + (f" — {row.detail}" if row.detail else "")


def ordered(rows: Iterable[Row]) -> list[Row]:
    order = {name: i for i, name in enumerate((*CATEGORIES, "unlabelled"))}
    return sorted(rows, key=lambda row: (order.get(row.category, 99), row.label))


def markdown(rows: list[Row], *, quick: bool, seconds: float) -> str:
    """The report as Markdown: one table, then the totals."""
    lines = ["| category | fault / input / attack / figure | result | detail | s |", "|---|---|---|---|---|"]
    for row in rows:
        detail = _value(row).replace("|", "\\|")
        lines.append(f"| {row.category} | {row.label} | **{row.result}** | {detail} | {row.seconds:.1f} |")
    failed = sum(row.result == "FAIL" for row in rows)
    lines.append("")
    lines.append(f"{len(rows)} rows, {failed} failed, in {seconds:.0f} s"
                 + (" (--quick: load benchmarks not run)" if quick else "")
                 + f"; `python -m bench.reliability{' --quick' if quick else ''}`, {time.strftime('%Y-%m-%d')}.")
    return "\n".join(lines) + "\n"


def show(rows: list[Row]) -> None:
    """The report as a rich table on the terminal."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title="ipwatch reliability", show_lines=False)
    for name in ("category", "fault / input / attack / figure", "result", "detail", "s"):
        table.add_column(name, overflow="fold")
    style = {"PASS": "green", "FAIL": "bold red", "SKIP": "yellow", "FILED": "magenta"}
    for row in rows:
        table.add_row(row.category, row.label, f"[{style[row.result]}]{row.result}[/]", _value(row),
                      f"{row.seconds:.1f}")
    Console(width=max(120, Console().width)).print(table)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="skip the load benchmarks (bench/load_*.py)")
    parser.add_argument("--report", type=Path, default=ROOT / "test-artifacts" / "reliability.md")
    parser.add_argument("-k", dest="keyword", help="only tests matching this pytest -k expression")
    parser.add_argument("--no-existing", action="store_true", help="only tests/reliability/, not the older tests")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    existing = {} if args.no_existing else EXISTING
    paths = ["tests/reliability", *dict.fromkeys(key.split("::", 1)[0] for key in existing)]
    extra = ["-k", args.keyword] if args.keyword else []
    # The older files hold other tests too: run only the listed ones from them.
    selected = [path for path in paths if path == "tests/reliability"] + [key for key in existing]
    collector = run_tests(selected, existing, extra)
    rows = list(collector.rows.values())
    if not args.quick and not args.keyword:
        for bench in sorted((ROOT / "bench").glob("load_*.py")):
            rows += run_load(bench)
    rows = ordered(rows)
    seconds = time.perf_counter() - started
    show(rows)
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text("# ipwatch reliability report\n\n" + markdown(rows, quick=args.quick, seconds=seconds),
                           encoding="utf-8")
    print(f"report written to {args.report}")
    return 1 if any(row.result == "FAIL" for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
