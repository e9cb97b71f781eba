"""Ordinary words that contain, sound like or run across a protected name (伊犁 for 伊利, 以利于).

Two sources: matchers/data/ordinary_words.yaml, place names and words written by hand with
the mark each protects against, and the Mandarin dictionary shipped with jieba (dict.txt,
349,046 words with their frequency in its corpus, MIT licence), of which the words seen at
least `COMMON` times are read: it tells that 以利 in 以利于消化 is part of the word 利于, not a
disguised 伊利, and that 恰恰 is an ordinary word, not a 洽洽 knockoff.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

import yaml

from .. import DATA
from .normalise import Normalised, normalise

_SOURCE = DATA / "ordinary_words.yaml"
LONGEST = 4  # dictionary words longer than this are idioms and names: not needed to split a title
COMMON = 20  # rarer entries are mostly names and transliterations (奈克, 2): knockoffs look like them


@cache
def ordinary_words() -> dict[str, str]:
    """Normalised word → why it is ordinary, from matchers/data/ordinary_words.yaml."""
    data = yaml.safe_load(_SOURCE.read_text("utf-8"))
    return {normalise(str(word)).text: str(note) for word, note in data["words"].items()}


@cache
def dictionary_words() -> frozenset[str]:
    """Common Mandarin words of two to four characters from jieba's dictionary, simplified,
    with the marketplace boilerplate of matchers/data/ordinary_words.yaml (包邮, 新款), which a
    2000s corpus lacks."""
    data = yaml.safe_load(_SOURCE.read_text("utf-8"))
    words: set[str] = {normalise(str(word)).text for word in data["boilerplate"]}
    with _jieba_dictionary().open(encoding="utf-8") as lines:
        for line in lines:
            word, count, *_ = line.split(" ")
            if 2 <= len(word) <= LONGEST and int(count) >= COMMON:
                words.add(normalise(word).text)
    return frozenset(words)


def _jieba_dictionary() -> Path:
    """jieba's dict.txt, found without importing jieba (which loads its segmenter)."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("jieba is not installed: pip install jieba (its dictionary tells ordinary words)")
    return Path(next(iter(spec.submodule_search_locations))) / "dict.txt"


def covering_word(text: str, start: int, end: int) -> str | None:
    """The ordinary word in normalised `text` that contains `text[start:end]`, if any."""
    for word in ordinary_words():
        if len(word) < end - start:
            continue
        first = max(0, end - len(word))
        position = text.find(word, first, start + len(word))
        if position != -1 and position <= start and end <= position + len(word):
            return word
    return None


def word_across(text: str, start: int, end: int, *, known: frozenset[str] | None = None) -> str | None:
    """A dictionary word of normalised `text` that is `text[start:end]` itself or runs across
    its edge (以利于: 利于 runs across 以利), if any: then the window is no name of its own.
    Words wholly inside the window are fine (哈哈 in 哇哈哈). `known`: another word list."""
    words = dictionary_words() if known is None else known
    found = covering_word(text, start, end)
    if found is not None:
        return found
    products = goods_words()
    for first in range(max(0, start - LONGEST + 1), end):
        for last in range(max(first + 2, start + 1), min(len(text), first + LONGEST) + 1):
            if first >= start and last <= end and (first, last) != (start, end):
                continue  # inside the window
            word = text[first:last]
            if word in words and not (first >= start and word in products):
                return word  # the goods after a name are fine: 豪牛奶粉, 锡林鄂勒羊肉卷
    return None


def word_before(text: str, start: int, end: int) -> str | None:
    """A common word of normalised `text` that begins before `text[start:end]` and runs into it
    (娃娃 in 娃娃哈哈, 内蒙 in 内蒙牛奶): then a name found there is part of other words. Words
    that begin with the name are fine: brands make words with their goods (茅台酒, 蒙牛奶粉)."""
    words, products = dictionary_words(), goods_words()
    for first in range(max(0, start - LONGEST + 1), start):
        for last in range(max(start + 1, first + 2), min(len(text), first + LONGEST) + 1):
            if text[first:last] in words or text[first:last] in products:  # 充电宝 家: not 宝家
                return text[first:last]
    return None


def word_after(text: Normalised, start: int, end: int) -> str | None:
    """A common word that begins inside a name found at `text[start:end]` (after its first
    character, or after a space the name was spelt across) and runs on past its end: 安踏板 is
    a pedal (踏板), 海飞 丝巾 a scarf (丝巾). Goods words are fine there: 蒙牛奶粉 is 蒙牛's milk."""
    words, products = dictionary_words(), goods_words()
    first = start + 1
    for index in range(start + 1, end):
        if text.ends[index - 1] < text.starts[index]:
            first = index  # a name written across a space: only the part after it may run on
    letters = text.text
    if end >= len(letters) or text.ends[end - 1] < text.starts[end]:
        return None  # a space or symbol after the name: nothing runs on (星巴克 星冰乐)
    for begin in range(first, end):
        for last in range(end + 1, min(len(letters), begin + LONGEST) + 1):
            if text.ends[last - 2] < text.starts[last - 1]:
                break  # the word would run across a space
            word = letters[begin:last]
            if word in words and word not in products:
                return word
    return None


@cache
def goods_words() -> frozenset[str]:
    """The Chinese goods and category words of matchers/data/categories.yaml."""
    from ..rules.goods import goods

    return frozenset(word for word in goods().words() if len(word) >= 2 and not word.isascii())
