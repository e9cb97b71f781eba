"""The README, docs/ and bench/RESULTS.md promise what the code does.

The README is short and opens with the two set-up commands; its command table is the `ipwatch` command's
own list; every `ipwatch` command shown in a document exists; every bench script named is there; every
relative link (and its #anchor) resolves, none leaving the repository; the settings table covers every
setting; the watchlist, plan, profile and settings examples validate; and the README's figures are the
measured ones in bench/RESULTS.md.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import typer
import yaml
from typer.testing import CliRunner

from ipwatch.cli import app
from ipwatch.core.plan import read_plan
from ipwatch.core.settings import Settings
from ipwatch.spiders.profile import SiteProfile
from ipwatch.watchlist.records import Watchlist

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = ROOT / "docs"
RESULTS = ROOT / "bench" / "RESULTS.md"
PAGES = [README, *sorted(DOCS.glob("*.md")), RESULTS]
OPENING = ["bash setup.sh && .venv/bin/ipwatch demo", "bash setup.sh --test && .venv/bin/python -m pytest"]
MAX_README_LINES = 250


def _text(page: Path) -> str:
    return page.read_text(encoding="utf-8")


def _blocks(page: Path, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", _text(page), flags=re.S | re.M)


def _section(page: Path, heading: str) -> str:
    """The text under `## heading`, up to the next heading of that level."""
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", _text(page), flags=re.S | re.M)
    assert match, f"{page.name} has no section '## {heading}'"
    return match.group(1)


def _name(page: Path) -> str:
    return page.relative_to(ROOT).as_posix()


def test_the_readme_is_short():
    lines = len(_text(README).splitlines())
    assert lines <= MAX_README_LINES, f"README.md has {lines} lines; move detail into docs/"


def test_the_readme_opens_with_the_two_setup_commands():
    """The title, one paragraph saying what ipwatch does, then exactly the two commands."""
    title, about, first_block, *_ = re.split(r"\n\s*\n", _text(README).strip())
    assert re.fullmatch(r"# \S.*", title)
    assert not about.startswith(("#", "```", "|", "-")), "one paragraph saying what ipwatch does comes first"
    assert first_block == "```bash\n" + "\n".join(OPENING) + "\n```"


def test_ci_runs_the_readme_test_command():
    assert OPENING[1] in _text(ROOT / ".ci" / "run").splitlines()


def _app_commands() -> set[str]:
    """Every command the `ipwatch` command has: top-level names and `group sub` pairs."""
    names = set()
    for name, command in typer.main.get_command(app).commands.items():
        names.add(name)
        names.update(f"{name} {sub}" for sub in getattr(command, "commands", {}))  # a group's sub-commands
    return names


def _table_commands() -> set[str]:
    """The commands the README's command table lists: `ipwatch alerts` `list` · `show ID` → alerts, alerts list…"""
    names = set()
    for row in re.findall(r"^\| (`ipwatch .*?) \|", _section(README, "Commands"), flags=re.M):
        spans = re.findall(r"`([^`]+)`", row)
        top = spans[0].split()[1]
        names.add(top)
        for span in spans[1:]:
            words = span.split()
            sub = words[1] if words[0] == top else words[0]  # `channels test URL` or `check FILE`
            names.add(f"{top} {sub}")
    return names


def test_the_readme_command_table_lists_every_command_and_no_other():
    documented, actual = _table_commands(), _app_commands()
    assert not actual - documented, f"commands missing from the README's table: {sorted(actual - documented)}"
    assert not documented - actual, f"the README's table names commands there are not: {sorted(documented - actual)}"


COMMANDS = [(_name(page), line.split("#")[0].strip().removeprefix(".venv/bin/"))
            for page in PAGES for block in _blocks(page, "bash") for line in block.splitlines()
            if line.startswith(("ipwatch ", ".venv/bin/ipwatch "))]


def test_the_documents_show_commands():
    assert len({page for page, _ in COMMANDS}) >= 5


@pytest.mark.parametrize(("page", "line"), COMMANDS)
def test_every_command_in_the_documents_exists(page, line):
    words = re.match(r"ipwatch((?: [a-z]+)+)", line).group(1).split()  # the command words, before arguments
    result = CliRunner().invoke(app, [*words, "--help"])
    assert result.exit_code == 0, (page, line, result.output)


BENCH = sorted({(_name(page), found) for page in PAGES
                for found in re.findall(r"bench/[\w/]+\.(?:py|jsonl|yaml)|bench\.\w+", _text(page))})


@pytest.mark.parametrize(("page", "named"), BENCH)
def test_every_bench_file_named_exists(page, named):
    path = ROOT / (named.replace(".", "/") + ".py" if named.startswith("bench.") else named)
    assert path.is_file(), f"{page} names {named}, which is not in the repository"


def _slug(heading: str) -> str:
    """The anchor a Markdown heading gets on GitHub."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    text = re.sub(r"^```.*?^```", "", _text(page), flags=re.S | re.M)
    return {_slug(heading) for heading in re.findall(r"^#+ (.+)$", text, flags=re.M)}


LINKS = [(_name(page), target) for page in PAGES
         for target in re.findall(r"\]\(([^)\s]+)\)", _text(page)) if not re.match(r"[a-z]+:", target)]


@pytest.mark.parametrize(("page", "target"), LINKS)
def test_every_relative_link_resolves(page, target):
    path, _, anchor = target.partition("#")
    source = ROOT / page
    file = (source.parent / path).resolve() if path else source
    assert file.is_relative_to(ROOT), f"{page} links outside the repository: {target}"
    assert file.exists(), f"{page} links to {target}, which does not exist"
    if anchor:
        assert anchor in _anchors(file), f"{page} links to {target}: no such heading in {file.name}"


@pytest.mark.parametrize("page", PAGES, ids=_name)
def test_no_document_points_outside_the_repository_for_data(page):
    assert "../shared" not in _text(page), f"{_name(page)}: name the data instead of a path outside the repository"


def test_every_docs_page_is_linked_from_the_readme():
    linked = set(re.findall(r"\]\(docs/([\w-]+\.md)\)", _text(README)))
    assert linked == {page.name for page in DOCS.glob("*.md")}
    assert "](bench/RESULTS.md)" in _text(README)


def test_the_settings_table_covers_every_setting():
    table = _section(DOCS / "operating.md", "Settings")
    missing = [name for name in Settings.model_fields if f"`IPWATCH_{name.upper()}`" not in table]
    assert not missing, f"settings missing from docs/operating.md: {missing}"


def test_the_settings_example_is_valid():
    [block] = _blocks(DOCS / "operating.md", "toml")
    Settings(**tomllib.loads(block))  # extra="forbid": every key is a real setting


def test_the_watchlist_example_is_a_valid_watchlist():
    [block] = _blocks(DOCS / "watchlist.md", "yaml")
    marks = Watchlist.model_validate(yaml.safe_load(block)).marks
    assert {mark.kind for mark in marks} == {"gi", "old_brand"}


def test_the_plan_example_is_a_valid_plan(tmp_path):
    [block] = _blocks(DOCS / "operating.md", "yaml")
    path = tmp_path / "plan.yaml"
    path.write_text(block, encoding="utf-8")
    plan = read_plan(path)
    assert [crawl.site for crawl in plan.crawls] == ["jd"]


def test_the_profile_example_is_a_valid_profile():
    [block] = _blocks(DOCS / "marketplaces.md", "yaml")
    assert SiteProfile.model_validate(yaml.safe_load(block)).name == "jd"


def test_the_readme_figures_are_the_measured_ones():
    measured = _text(RESULTS)
    figures = re.findall(r"\d[\d,]*(?:\.\d+)?%?", _section(README, "Measured"))
    assert figures
    missing = [figure for figure in figures if figure not in measured]
    assert not missing, f"README figures not in bench/RESULTS.md: {missing}"
