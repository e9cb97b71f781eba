"""Latin words in titles: whether a name found in one stands as a word, and the English words
that happen to spell a name (nice is one letter from Nike, lining spells 李宁 in pinyin)."""

from __future__ import annotations

from functools import cache

import yaml

from .. import DATA
from .normalise import Normalised, fold, is_word_char, normalise

SHORT_LATIN = 4  # Latin names this short must stand as a word ("Nike", "Nikes"; not "Nikeboy")


def stands_as_word(text: Normalised, start: int, end: int) -> bool:
    """Latin names must start a word; short ones must also end it (a plural "s" allowed).

    "adidas" is found in "adidasoriginals" but "Nike" is not found in "unikey" or "Nikeboy".
    Chinese is written without spaces, so Chinese names need no boundary.
    """
    if is_word_char(text.text[start]) and not text.starts_word(start):
        return False
    if not is_word_char(text.text[end - 1]) or end - start > SHORT_LATIN:
        return True
    if text.ends_word(end):
        return True
    return end < len(text.text) and text.text[end] == "s" and text.ends_word(end + 1)


@cache
def stopwords() -> frozenset[str]:
    """Folded English words the Latin techniques never report, from data/latin_stopwords.yaml."""
    data = yaml.safe_load((DATA / "latin_stopwords.yaml").read_text("utf-8"))
    return frozenset(fold(normalise(str(word))).text for word in data["words"])
