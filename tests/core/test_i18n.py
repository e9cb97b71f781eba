"""Languages: the catalogue is read from its .po file, and a user's wish picks a language ipwatch speaks."""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po

from ipwatch.core.i18n import LANGUAGES, catalogue_path, choose, translator


def test_chinese_is_read_from_the_catalogue_and_english_passes_through() -> None:
    assert translator("zh-CN").gettext("Queue") == "预警队列"
    assert translator("en").gettext("Queue") == "Queue"


def test_every_language_but_the_source_has_a_catalogue_that_parses() -> None:
    for language in LANGUAGES:
        if language == "en":
            continue
        with catalogue_path(language).open("rb") as handle:
            catalogue = read_po(handle)
        assert len(catalogue) > 0
        assert not [message.id for message in catalogue if message.id and not message.string], "untranslated"


@pytest.mark.parametrize(("wanted", "chosen"), [
    (["zh-CN"], "zh-CN"), (["zh_CN"], "zh-CN"), (["zh-Hans-CN"], "zh-CN"), (["zh"], "zh-CN"),
    (["en-US"], "en"), (["EN"], "en"), ([None, "", "fr", "en"], "en"), (["fr"], "zh-CN"), ([], "zh-CN"),
])
def test_a_wish_picks_the_first_language_ipwatch_speaks(wanted: list[str | None], chosen: str) -> None:
    assert choose(wanted) == chosen
