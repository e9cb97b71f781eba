"""The normaliser folds every disguise sellers use, keeps the way back to the title, and never fails."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipwatch.matchers.text.normalise import changes, fold, normalise

# title fragment → normalised text, what changed (as a reason would say it)
CASES = [
    ("小肥羊", "小肥羊", ()),
    ("固陽黃芪", "固阳黄芪", ("traditional",)),
    ("ａｄｉｄａｓ", "adidas", ("full-width",)),
    ("ｋａｎｇ", "kang", ("full-width",)),
    ("ＫＡＮＧ", "kang", ("full-width", "case")),
    ("康 师 傅", "康师傅", ("spacing",)),
    ("康\u3000师\u3000傅", "康师傅", ("spacing",)),  # ideographic space
    ("康·师·傅", "康师傅", ("punctuation",)),
    ("康\u200b师\u200d傅", "康师傅", ("hidden characters",)),
    ("康师傅❤️🔥", "康师傅", ("symbols",)),
    ("NIKE", "nike", ("case",)),
    ("①号", "1号", ("compatibility form",)),
    ("e\u0301te", "éte", ()),  # combining accent composed, not dropped
    ("N\u0336i\u0336k\u0336e\u0336", "nike", ("combining marks", "case")),  # struck through
    ("乾隆 乾燥", "乾隆干燥", ("traditional", "spacing")),  # phrase-level: 乾 kept in 乾隆
    ("格カ", "格力", ("katakana",)),  # カ is drawn as 力
    ("ロ一ー", "口一一", ("katakana",)),
]


@pytest.mark.parametrize(("fragment", "text", "changed"), CASES)
def test_normalise_folds_width_script_case_and_spacing(fragment: str, text: str, changed: tuple[str, ...]) -> None:
    assert normalise(fragment).text == text
    assert changes(fragment) == changed


@pytest.mark.parametrize(("title", "found", "original"), [
    ("正品 康 师 傅 方便面", "康师傅", "康 师 傅"),
    ("【包邮】固陽黃芪 500g", "固阳黄芪", "固陽黃芪"),
    ("新款ａｄｉｄａｓ卫衣", "adidas", "ａｄｉｄａｓ"),
])
def test_a_normalised_match_quotes_the_title_as_written(title: str, found: str, original: str) -> None:
    normalised = normalise(title)
    start = normalised.text.index(found)
    assert normalised.original(start, start + len(found)) == original


@pytest.mark.parametrize(("title", "folded", "original"), [
    ("Nlke", "nike", "Nlke"),
    ("N1KE", "nike", "N1KE"),
    ("rnengniu", "mengniu", "rnengniu"),
    ("vvahaha", "wahaha", "vvahaha"),
    ("\u0410DIDAS", "adidas", "\u0410DIDAS"),  # Cyrillic А
    ("Niké", "nike", "Niké"),
    ("adidas 0riginals", "adidasoriginais", "adidas 0riginals"),
    ("固阳黄芪", "固阳黄芪", "固阳黄芪"),  # Chinese is left alone
])
def test_fold_turns_latin_look_alikes_into_the_letters_they_imitate(title: str, folded: str, original: str) -> None:
    result = fold(normalise(title))
    assert result.text == folded
    assert result.original(0, len(result.text)) == original


def test_words_are_split_by_spaces_and_symbols_not_by_case() -> None:
    normalised = normalise("Nike-Air max 耐克AdidasOriginals")
    assert [normalised.text[start:end] for start, end in normalised.words()] == [
        "nike", "air", "max", "adidasoriginals",
    ]


# Titles as scraped: any Unicode, weighted towards Chinese (both scripts), full-width
# forms, emoji, zero-width and combining characters.
TITLES = st.one_of(
    st.text(),
    st.text(alphabet=st.one_of(
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
        st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E),
        st.sampled_from("固陽黃芪康師傅乾隆頭髮後麵鬆發著 \u3000\u200b\u200d\ufe0f\u0301·【】❤🔥rnvvl10Іа"),
        st.characters(codec="utf-8"),
    )),
)


@settings(max_examples=500, deadline=None)
@given(TITLES)
def test_normalise_never_raises_and_is_idempotent(title: str) -> None:
    normalised = normalise(title)
    assert normalise(normalised.text).text == normalised.text
    folded = fold(normalised)
    assert fold(normalise(folded.text)).text == folded.text


@settings(max_examples=500, deadline=None)
@given(TITLES)
def test_every_normalised_character_points_back_into_the_title(title: str) -> None:
    for result in (normalise(title), fold(normalise(title))):
        assert len(result.starts) == len(result.ends) == len(result.text)
        assert all(0 <= start < end <= len(title) for start, end in zip(result.starts, result.ends, strict=True))
        assert list(result.starts) == sorted(result.starts)
        for start in range(len(result.text)):
            assert result.original(start, start + 1)


@settings(max_examples=500, deadline=None)
@given(TITLES)
def test_the_fast_path_agrees_with_the_reference(title: str) -> None:
    from ipwatch.matchers.text.normalise import normalise_slowly

    assert normalise(title) == normalise_slowly(title)
