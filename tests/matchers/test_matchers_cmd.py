"""`ipwatch matchers` lists every technique with what it finds, and says which are off and why."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from ipwatch.cli import app
from ipwatch.matchers.base import Matcher, NotConfigured, discover

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "watchlist" / "samples" / "baotou.yaml"


def test_every_registered_matcher_is_listed_with_its_summary() -> None:
    result = CliRunner().invoke(app, ["matchers", "--watchlist", str(SAMPLE)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    for name, kind in discover().items():
        assert any(line.split()[:2] == [name, "on"] and kind.summary() in line for line in lines), name
    for technique in ("exact", "homophone", "glyph", "edit", "pinyin", "lookalike", "misspelling"):
        assert any(line.split()[:2] == [technique, "on"] for line in lines)


def test_a_matcher_that_declines_is_shown_off_with_its_reason() -> None:
    class NeedsService(Matcher):
        """Would ask an outside service (a test technique that always declines)."""

        name = "needs-service-cli-test"

        def __init__(self, catalogue: object) -> None:
            raise NotConfigured("no service URL set: set IPWATCH_SERVICE_URL")

    try:
        result = CliRunner().invoke(app, ["matchers"])
    finally:
        del Matcher.registry["needs-service-cli-test"]
    assert result.exit_code == 0, result.output
    assert "needs-service-cli-test  off  Would ask an outside service" in result.stdout
    assert "off because: no service URL set: set IPWATCH_SERVICE_URL" in result.stdout
    assert f"{len(discover())} of {len(discover()) + 1} matchers on" in result.stderr


def test_a_broken_watchlist_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "w.yaml"
    bad.write_text("marks:\n  - id: x\n    name: X\n    kind: brand\n    owner: o\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["matchers", "-w", str(bad)])
    assert result.exit_code == 1
    assert "w.yaml:4: marks[0].kind" in result.stderr
