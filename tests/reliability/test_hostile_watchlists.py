"""Watchlists with every kind of mistake: each file of tests/reliability/corpus/watchlists/ loads or names
file, line and field of what to fix — YAML bombs, Python tags, NUL bytes, a PNG saved as .yaml, a key
written twice, brackets 5,000 deep. Property tests damage the sample watchlist at random: the loader
either loads it or raises `WatchlistError` with located problems; nothing else, and quickly.
(tests/watchlist/test_loader.py holds the everyday mistakes: wrong kind, missing owner, bad e-mail, ...)"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ipwatch.watchlist.errors import WatchlistError
from ipwatch.watchlist.loader import TOO_DEEP, load_watchlist

CORPUS = Path(__file__).parent / "corpus" / "watchlists"
SAMPLE = Path(__file__).resolve().parents[2] / "watchlist" / "samples" / "baotou.yaml"
SLOW_S = 5

# corpus file → the problems reported (file name first), or the number of marks loaded
WATCHLISTS: dict[str, list[str] | int] = {
    "billion_laughs.yaml": [f"billion_laughs.yaml:6: marks[0].aliases[{i}]: must be text, not a list"
                            for i in range(7)],  # aliases are not expanded into billions of checks
    "python_tag.yaml": ["python_tag.yaml:2: not valid YAML: could not determine a constructor for the tag"
                        " 'tag:yaml.org,2002:python/object/apply:os.system'"],  # never run
    "nul_byte.yaml": ["nul_byte.yaml:3: a character that YAML does not allow (code 0): delete it"],
    "png_renamed.yaml": ["png_renamed.yaml:1: this line is not UTF-8 text (it looks like GBK, the Chinese Windows"
                         " default): save the file with the encoding UTF-8 (Notepad: Save As → Encoding: UTF-8)"],
    "marks_twice.yaml": ["marks_twice.yaml:6: marks: appears twice in this entry (first on line 1): keep one"],
    "name_too_long.yaml": ["name_too_long.yaml:3: marks[0].name: '" + "娃" * 56 + "... is too long: at most 200"
                           " characters"],
    "mixed_tabs.yaml": ["mixed_tabs.yaml:4: not valid YAML: a tab is used for indentation: indent with spaces only"
                        " (found character '\\t' that cannot start any token)"],
    "image_outside.yaml": ["image_outside.yaml:6: marks[0].images[0]: image file not found: looked for {outside}"
                           " (paths are relative to the watchlist's folder)"],
    "utf16.yaml": 1,
    "windows_crlf_bom.yaml": 1,
}


def problems_of(path: Path) -> list[str] | int:
    try:
        return len(load_watchlist(path).marks)
    except WatchlistError as error:
        return [str(problem).removeprefix(f"{path.parent}/") for problem in error.problems]


@pytest.mark.reliability("hostile", "watchlists with every kind of mistake (corpus)")
def test_the_watchlist_table_covers_every_corpus_file() -> None:
    assert sorted(WATCHLISTS) == sorted(path.name for path in CORPUS.iterdir())


@pytest.mark.reliability("hostile", "watchlists with every kind of mistake (corpus)")
@pytest.mark.parametrize("name", sorted(WATCHLISTS))
def test_a_corpus_watchlist_loads_or_names_file_line_and_field(name: str) -> None:
    expected = WATCHLISTS[name]
    outside = (CORPUS / "../../../../etc/passwd").resolve()
    if isinstance(expected, list):
        expected = [line.format(outside=outside) for line in expected]
    started = time.perf_counter()
    assert problems_of(CORPUS / name) == expected
    assert time.perf_counter() - started < SLOW_S


@pytest.mark.reliability("hostile", "watchlists with every kind of mistake (corpus)")
@pytest.mark.parametrize("text", ["marks: " + "[" * 5000 + "]" * 5000 + "\n",
                                  "marks:\n" + "".join("  " * depth + f"- k{depth}:\n" for depth in range(1, 3000))],
                         ids=["brackets 5000 deep", "indentation 3000 deep"])
def test_a_bottomless_watchlist_is_one_clear_problem(text: str, tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text(text, encoding="utf-8")
    assert problems_of(path) == [f"deep.yaml: {TOO_DEEP}"]


SAMPLE_TEXT = SAMPLE.read_text(encoding="utf-8")
DAMAGE = st.sampled_from([":", "-", " ", "\t", "\n", "'", '"', "[", "]", "{", "}", "&x", "*x", "!!", "#", "\x00",
                          "yes", "99", "kind: brand", "id: xiaofeiyang", "  - ", "娃", "\ufeff", "\r"])


@pytest.mark.reliability("hostile", "watchlists damaged at random (hypothesis)")
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 8), DAMAGE), min_size=1, max_size=6),
       cut=st.floats(0.05, 1))
def test_a_randomly_damaged_sample_loads_or_says_where_to_fix(
        edits: list[tuple[float, int, str]], cut: float, tmp_path: Path) -> None:
    text = SAMPLE_TEXT[: int(len(SAMPLE_TEXT) * cut)]
    for where, deleted, inserted in edits:
        at = int(where * len(text))
        text = text[:at] + inserted + text[at + deleted:]
    path = tmp_path / "damaged.yaml"
    path.write_text(text, encoding="utf-8")
    (tmp_path / "images").mkdir(exist_ok=True)
    started = time.perf_counter()
    try:
        load_watchlist(path)
    except WatchlistError as error:
        assert error.problems
        assert all(problem.file == path and problem.message for problem in error.problems)
        lines = len(text.splitlines()) + 1  # a lone \r ends a line too, as the loader and editors read it
        assert all(problem.line is None or 1 <= problem.line <= lines for problem in error.problems)
    assert time.perf_counter() - started < SLOW_S
