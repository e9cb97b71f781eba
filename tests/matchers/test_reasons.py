"""Reasons are data: a message code and parameters, rendered in the reader's language; scores for officers only."""

from __future__ import annotations

import re

import pytest

from ipwatch.alerts import history  # noqa: F401 - declares the seller-history messages
from ipwatch.core.i18n import translator
from ipwatch.core.phrases import AS_STORED, MESSAGES, Phrase
from ipwatch.matchers import messages
from ipwatch.matchers.records import Reason

FIELDS = re.compile(r"\{[a-z_]+\}")


@pytest.mark.parametrize("code", sorted(code for code in MESSAGES if code != AS_STORED))
def test_every_reason_message_has_a_chinese_text_with_the_same_fields_and_no_english(code: str) -> None:
    english = MESSAGES[code].text
    chinese = translator("zh-CN").gettext(english)
    assert chinese != english, f"{english!r} has no Chinese translation in core/locale"
    assert set(FIELDS.findall(chinese)) <= set(FIELDS.findall(english))
    assert not re.search(r"[A-Za-z]", FIELDS.sub("", chinese)), chinese


def test_a_reason_reads_in_chinese_or_english_and_shows_its_score_to_officers_only() -> None:
    reason = Reason.of("price", messages.PRICE, 0.05, price="¥9", share=8, reference="¥120")
    assert reason.text == "price ¥9 is 8% of reference ¥120 (+0.05)"
    assert reason.render("zh-CN") == "售价¥9仅为参考价¥120的8% (+0.05)"
    assert reason.render("zh-CN", scores=False) == "售价¥9仅为参考价¥120的8%"
    assert reason.render("en", scores=False) == "price ¥9 is 8% of reference ¥120"


def test_nested_phrases_terms_and_months_are_written_in_the_readers_language() -> None:
    how = Phrase.of(messages.LOOKS_LIKE, seen="帅", meant="师")
    glyph = Reason.of("glyph", messages.GLYPH, found="康帅傅", name="康师傅", how=how)
    assert glyph.render("zh-CN") == "形近字：“康帅傅”≈“康师傅”（“帅”形似“师”）"
    exact = Reason.of("exact", messages.EXACT, kind="alias", name="Little Sheep")
    assert (exact.text, exact.render("zh-CN")) == ("exact alias Little Sheep in title", "标题中含别名“Little Sheep”")
    season = Reason.of("gi_season", messages.OUT_OF_SEASON, 0.1, word="新鲜", fresh_month=7, name="固阳黄芪",
                       season_months=[3, 4, 9, 10, 11])
    assert season.text.startswith("offered fresh (新鲜) in Jul, outside 固阳黄芪's harvest season (Mar-Apr, Sep-Nov)")
    assert "7月" in season.render("zh-CN") and "3月-4月, 9月-11月" in season.render("zh-CN")


@pytest.mark.parametrize("stored", [
    {"technique": "homophone", "text": "homophone 小肥洋≈小肥羊", "delta": 0.0},  # before reasons had codes
    "homophone 小肥洋≈小肥羊",  # older still: a plain sentence
])
def test_reasons_stored_as_text_keep_showing_as_written_in_every_language(stored: object) -> None:
    reason = Reason.from_json(stored)  # type: ignore[arg-type]
    assert reason.render("zh-CN") == reason.render("en") == "homophone 小肥洋≈小肥羊"


def test_a_reason_survives_its_json_column() -> None:
    how = Phrase.of(messages.ADDED, char="小")
    reason = Reason.of("edit", messages.EDIT, 0.0, edit="inserted", found="小肥小羊", name="小肥羊", seen=how)
    again = Reason.from_json(reason.to_json())
    assert again == reason and again.render("zh-CN") == "增加一字：“小肥小羊”≈“小肥羊”（多了“小”）"


def test_an_unknown_code_is_a_programming_error_and_an_unknown_stored_code_still_shows() -> None:
    with pytest.raises(KeyError):
        Phrase.of("no_such_message")
    assert Reason.from_json({"code": "retired_code", "params": {"text": "as it was"}}).render("zh-CN") == "as it was"
