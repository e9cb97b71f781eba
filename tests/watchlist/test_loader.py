"""The watchlist loader accepts the sample and tells the editor of a bad file every line to fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from ipwatch.core.problems import Problem
from ipwatch.watchlist.errors import WatchlistError
from ipwatch.watchlist.loader import load_watchlist
from ipwatch.watchlist.records import Mark

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "watchlist" / "samples" / "baotou.yaml"
BAD = REPO / "tests" / "fixtures" / "watchlists"


def test_the_sample_watchlist_loads_all_13_marks_with_absolute_existing_images() -> None:
    watchlist = load_watchlist(SAMPLE)
    assert len(watchlist.marks) == 13
    assert watchlist.source == SAMPLE
    assert {mark.kind for mark in watchlist.marks} == {"trademark", "gi", "old_brand"}
    images = [image for mark in watchlist.marks for image in mark.images]
    assert len(images) == 13
    assert all(image.is_absolute() and image.is_file() for image in images)
    assert images[0] == SAMPLE.parent / "images" / "xiaofeiyang.png"


def test_images_resolve_against_the_watchlist_folder_not_the_working_directory(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO / "tests")
    watchlist = load_watchlist(Path("../watchlist/samples/baotou.yaml"))
    assert watchlist.source == SAMPLE
    assert watchlist.marks[0].images == (SAMPLE.parent / "images" / "xiaofeiyang.png",)


ALLOWED = ", ".join(Mark.model_fields)  # the schema is additive: new fields join this list

CASES = [  # file in tests/fixtures/watchlists → every problem it must report, in file order
    ("wrong_type.yaml", ["wrong_type.yaml:6: marks[0].nice_classes[1]: 'abc' is not an integer"]),
    ("unknown_kind.yaml", ["unknown_kind.yaml:4: marks[0].kind: 'brand' is not one of trademark, gi, old_brand"]),
    ("duplicate_id.yaml", ["duplicate_id.yaml:7: marks[1].id: 'yili' is already the id of marks[0] on line 2:"
                           " every mark needs its own id"]),
    ("unknown_key.yaml", [f"unknown_key.yaml:6: marks[0].colour: unknown field (allowed: {ALLOWED})"]),
    ("missing_field.yaml", ["missing_field.yaml:8: marks[1].owner: required field is missing:"
                            " add a line 'owner: ...'"]),
    ("bad_email.yaml", ["bad_email.yaml:6: marks[0].owner_email: 'ip at masterkong.example.org' is not an"
                        " email address (expected something like ip@example.org)"]),
    ("nice_class_99.yaml", ["nice_class_99.yaml:6: marks[0].nice_classes: Nice class 99 is not between 1 and 45"]),
    ("missing_image.yaml", ["missing_image.yaml:8: marks[0].images[0]: image file not found: looked for"
                            " {folder}/images/guyang-huangqi-logo.png (paths are relative to the watchlist's"
                            " folder)"]),
    ("yaml_syntax.yaml", ["yaml_syntax.yaml:5: not valid YAML: a field has no ':' after its name"
                          " (could not find expected ':')"]),
    ("empty.yaml", ["empty.yaml: the file is empty: a watchlist starts with a line 'marks:' followed by"
                    " one entry per mark"]),
    ("top_level_list.yaml", ["top_level_list.yaml:1: the file holds a list, but a watchlist starts with a line"
                             " 'marks:' with the marks indented under it"]),
    ("gbk_encoded.yaml", ["gbk_encoded.yaml:3: this line is not UTF-8 text (it looks like GBK, the Chinese"
                          " Windows default): save the file with the encoding UTF-8 (Notepad: Save As →"
                          " Encoding: UTF-8)"]),
    ("several_problems.yaml", [
        "several_problems.yaml:5: marks[0].kind: 'Trademark' is not one of trademark, gi, old_brand"
        " — did you mean 'trademark'?",
        "several_problems.yaml:8: marks[1].id: 'Nike' is not a valid id: use lowercase letters a-z, digits"
        " and . _ - only (for example 'guyang-huangqi')",
        "several_problems.yaml:17: marks[2].aliases: 'Xilingol Lamb' is not a list: write [Xilingol Lamb],"
        " or put each entry on its own line after '- '",
        "several_problems.yaml:18: marks[2].reference_price.amount: 0 must be more than 0",
    ]),
]


@pytest.mark.parametrize(("name", "expected"), CASES, ids=[name for name, _ in CASES])
def test_a_bad_watchlist_reports_file_line_field_and_what_to_do(
        name: str, expected: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BAD)
    with pytest.raises(WatchlistError) as raised:
        load_watchlist(Path(name))
    assert [str(problem) for problem in raised.value.problems] == [
        line.format(folder=BAD) for line in expected]


def test_problems_carry_file_line_and_field_separately() -> None:
    with pytest.raises(WatchlistError) as raised:
        load_watchlist(BAD / "unknown_kind.yaml")
    assert raised.value.problems == [Problem(BAD / "unknown_kind.yaml", 4, "marks[0].kind",
                                             "'brand' is not one of trademark, gi, old_brand")]


MARK = "marks:\n  - id: nike\n    name: Nike\n    kind: trademark\n    owner: Nike Innovate C.V.\n"

MORE_CASES = [  # YAML text → the one problem it must report
    (MARK + "    images: [logo.png]\n", "w.yaml:6: marks[0].images[0]: 'logo.png' cannot be used as a reference"
     " image: not an image in a known format; save it as PNG or JPEG"),
    (MARK + "    images: [folder]\n", "w.yaml:6: marks[0].images[0]: 'folder' is a folder, not an image file"),
    (MARK + "    name: Nike Inc\n", "w.yaml:6: marks[0].name: appears twice in this entry (first on line 3): keep one"),
    (MARK + "    registration_number: 12345678\n", "w.yaml:6: marks[0].registration_number: 12345678 must be"
     " text: put it in quotes, '12345678'"),
    (MARK + "    owner_mail: ip@nike.example.org\n", f"w.yaml:6: marks[0].owner_mail: unknown field (allowed: {ALLOWED})"
     " — did you mean 'owner_email'?"),
    (MARK + "    notify: yes\n", "w.yaml:6: marks[0].notify: true is not one of immediate, digest, off"),
    ("marks:\n", "w.yaml:1: marks: has no marks: add at least one mark under 'marks:'"),
    ("marks: []\n", "w.yaml:1: marks: has no marks: add at least one mark under 'marks:'"),
    ("marks:\n  - nike\n", "w.yaml:2: marks[0]: must be a block of 'field: value' lines (id, name, kind, ...),"
     " not 'nike'"),
    ("marks:\n\t- id: nike\n", "w.yaml:2: not valid YAML: a tab is used for indentation: indent with spaces only"
     " (found character '\\t' that cannot start any token)"),
    ("# only a comment\n", "w.yaml: the file is empty: a watchlist starts with a line 'marks:' followed by one"
     " entry per mark"),
    ("watchlist: baotou\n" + MARK, "w.yaml:1: watchlist: unknown field (allowed: marks)"),
]


@pytest.mark.parametrize(("text", "expected"), MORE_CASES)
def test_more_mistakes_an_office_worker_can_make(
        text: str, expected: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("w.yaml").write_text(text, encoding="utf-8")
    Path("logo.png").write_text("not a picture")
    Path("folder").mkdir()
    with pytest.raises(WatchlistError) as raised:
        load_watchlist(Path("w.yaml"))
    assert [str(problem) for problem in raised.value.problems] == [expected]


def test_a_file_that_is_not_there_is_one_clear_problem(tmp_path: Path) -> None:
    with pytest.raises(WatchlistError) as raised:
        load_watchlist(tmp_path / "nope.yaml")
    assert str(raised.value) == f"{tmp_path / 'nope.yaml'}: file not found: check the name and folder"


def test_a_utf8_file_with_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + MARK.replace("Nike", "耐克").encode())
    assert load_watchlist(path).marks[0].name == "耐克"
