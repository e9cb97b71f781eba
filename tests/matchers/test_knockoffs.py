"""A mark put into any title with any knockoff technique is still found (hypothesis).

The disguises are built here from what each technique is, not from the matcher: spacing and
symbols between the characters, full-width and upper-case letters, traditional characters
(OpenCC s2t), a character of the same pinyin reading, a character from a documented look-alike
pair, Latin look-alike letters, swapped or doubled letters, pinyin, an inserted character.
The title around the disguised name is random text, and names the mark's goods.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import opencc
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pypinyin import lazy_pinyin

from ipwatch.matchers.scorer import Scorer
from ipwatch.matchers.text.normalise import is_han
from ipwatch.matchers.text.ordinary import dictionary_words
from ipwatch.spiders.records import Listing
from ipwatch.watchlist.records import Mark

# Look-alike pairs from documented knockoffs (雷碧, 康帅傅, 而克 …) for the sample's characters.
LOOK_ALIKES = {"师": "帅", "全": "仝", "致": "到", "仁": "仨", "哈": "恰", "肥": "肌", "阳": "阴", "迪": "油",
               "伊": "尹", "蒙": "豪", "耐": "而", "鹿": "麂", "牛": "午", "利": "莉"}
LATIN_LOOK_ALIKES = {"i": "l", "o": "0", "a": "\u0430", "l": "1", "m": "rn"}  # \u0430: Cyrillic а
GOODS = {29: "纯牛奶", 30: "方便面", 32: "饮料", 25: "运动鞋", 28: "篮球", 5: "胶囊", 31: "人参", 43: "火锅", 3: "洗发水",
         18: "背包"}
# Filler: rare characters that make no word with a name, symbols, digits, spaces, emoji.
FILLER = st.text(alphabet=st.sampled_from("乂亍丌兀 0123456789 ★【】|/😀"), max_size=8)
TECHNIQUES = ("exact", "spaced", "symbols", "hidden", "fullwidth", "upper", "traditional", "homophone", "glyph",
              "latin look-alike", "misspelling", "pinyin", "inserted")


@cache
def _same_sound() -> dict[str, list[str]]:
    """Common characters (GB 2312 level 1) by tone-less reading."""
    by_sound: dict[str, list[str]] = {}
    for high in range(0xB0, 0xD8):
        for low in range(0xA1, 0xFF):
            if high == 0xD7 and low > 0xF9:
                break
            char = bytes([high, low]).decode("gb2312")
            by_sound.setdefault(lazy_pinyin(char)[0], []).append(char)
    return by_sound


def disguise(name: str, technique: str, choice: Callable[[list[str]], str]) -> str | None:
    """`name` disguised with `technique`, or None where the technique does not apply."""
    han = all(is_han(char) for char in name)
    latin = name.isascii() and name.replace(" ", "").isalpha()
    if technique == "exact":
        return name
    if technique == "spaced":
        return " ".join(name) if han else None
    if technique == "symbols":
        return "·".join(name) if han else "-".join(name) if latin and " " not in name else None
    if technique == "hidden":
        return "\u200b".join(name)
    if technique == "fullwidth" and latin:
        return "".join(chr(ord(char) + 0xFEE0) if char != " " else "\u3000" for char in name)
    if technique == "upper" and latin:
        return name.upper() if name.upper() != name else None
    if technique == "traditional" and han:
        converted = opencc.OpenCC("s2t").convert(name)
        return converted if converted != name else None
    if technique == "homophone" and han and len(name) >= 3:
        position = int(choice([str(index) for index in range(len(name))]))
        others = [char for char in _same_sound()[lazy_pinyin(name[position])[0]] if char != name[position]]
        return name[:position] + choice(others) + name[position + 1 :] if others else None
    if technique == "glyph" and han:
        positions = [index for index, char in enumerate(name) if char in LOOK_ALIKES]
        if not positions:
            return None
        position = int(choice([str(index) for index in positions]))
        return name.replace(name[position], LOOK_ALIKES[name[position]])
    if technique == "latin look-alike" and latin:
        positions = [index for index, char in enumerate(name.lower()) if char in LATIN_LOOK_ALIKES and index > 0]
        if not positions:
            return None
        position = int(choice([str(index) for index in positions]))
        return name[:position] + LATIN_LOOK_ALIKES[name[position].lower()] + name[position + 1 :]
    if technique == "misspelling" and latin and " " not in name and len(name) >= 4:
        position = int(choice([str(index) for index in range(1, len(name) - 2)]))
        if len(name) >= 6:
            return name[:position] + name[position + 1] + name[position] + name[position + 2 :]
        return name[: position + 1] + name[position] + name[position + 1 :]  # a letter doubled
    if technique == "pinyin" and han and len(name) >= 3:
        return "".join(lazy_pinyin(name))
    if technique == "inserted" and han and len(name) >= 3:
        position = int(choice([str(index) for index in range(1, len(name))]))
        return name[:position] + "大" + name[position:]
    return None


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), technique=st.sampled_from(TECHNIQUES), before=FILLER, after=FILLER)
def test_a_disguised_mark_in_random_text_is_found(
    scorer: Scorer, marks: tuple[Mark, ...], data: st.DataObject, technique: str, before: str, after: str,
) -> None:
    mark = data.draw(st.sampled_from(marks))
    name = data.draw(st.sampled_from(mark.names))
    knockoff = disguise(name, technique, lambda options: data.draw(st.sampled_from(options)))
    assume(knockoff is not None and knockoff not in dictionary_words())  # a common word is no knockoff
    goods = GOODS.get(mark.nice_classes[0], "")
    title = f"{before} {knockoff} {goods} {after}"
    found = [match.mark_id for match in scorer.match(Listing(site="t", listing_key="1", url="", title=title))]
    assert mark.id in found, (title, [m.reason_texts for m in scorer.explain(
        Listing(site="t", listing_key="1", url="", title=title))])


def test_every_technique_applies_to_some_sample_mark(marks: tuple[Mark, ...]) -> None:
    for technique in TECHNIQUES:
        first = lambda options: options[0]  # noqa: E731
        assert any(disguise(name, technique, first) for mark in marks for name in mark.names), technique

