"""The goods a listing offers, as Nice classes: read from its category and the nouns of its title."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import yaml

from .. import DATA
from ..text.normalise import Normalised, is_word_char, normalise

_CATEGORIES = DATA / "categories.yaml"


@dataclass(frozen=True, slots=True)
class Named:
    """Goods a text names: the words found (as written) and the Nice classes they belong to."""

    words: tuple[str, ...]
    classes: frozenset[int]

    def __bool__(self) -> bool:
        return bool(self.classes)


class Goods:
    """Marketplace category words and product nouns → Nice classes, from matchers/data/categories.yaml."""

    def __init__(self) -> None:
        data = yaml.safe_load(_CATEGORIES.read_text("utf-8"))
        self._nouns = _Table(data["goods"].items())
        self._words = _Table([*data["words"].items(), *data["goods"].items()])
        self._groups = [frozenset(classes) for classes in data["groups"].values()]
        self._units = [(re.compile(rf"\d({unit})(?![a-z])"), frozenset(classes))
                       for unit, classes in data["units"].items()]

    def in_category(self, category: str) -> Named:
        """The classes a marketplace category names ("手机壳" → 9, "Sports > Shoes" → 25, 28)."""
        return self._words.find(normalise(category))

    def in_title(self, title: Normalised) -> Named:
        """The classes of the goods words in a normalised title ("尹利高钙奶" → 钙奶: 29, 32),
        or failing those of a quantity's unit ("雷碧 500ml" → liquids)."""
        named = self._words.find(title)
        if named:
            return named
        for unit, classes in self._units:
            found = unit.search(title.text)
            if found:
                return Named((title.original(found.start(1), found.end(1)),), classes)
        return named

    def words_in_title(self, title: Normalised) -> Named:
        """The goods and category words of a title, without falling back to units."""
        return self._words.find(title)

    def nouns_in_title(self, title: Normalised) -> Named:
        """Only the product nouns of a title (篮球鞋, 小米粥), not category words or units."""
        return self._nouns.find(title)

    def words(self) -> frozenset[str]:
        """Every normalised goods and category word of the table."""
        return self._words.words()

    def near(self, classes: Iterable[int]) -> frozenset[int]:
        """`classes` with every class grouped with one of them (food and drink, clothing and sport…)."""
        found = set(classes)
        for group in self._groups:
            if found & group:
                found |= group
        return frozenset(found)


@cache
def goods() -> Goods:
    """The one `Goods` table, read once."""
    return Goods()


class _Table:
    """Words → classes, found in a text by one regular expression (every word at every place)."""

    def __init__(self, items: Iterable[tuple[object, list[int]]]) -> None:
        self._classes = {normalise(str(word)).text: frozenset(classes) for word, classes in items}
        ordered = sorted(self._classes, key=len, reverse=True)
        self._pattern = re.compile("(?=(" + "|".join(re.escape(word) for word in ordered) + "))")

    def words(self) -> frozenset[str]:
        return frozenset(self._classes)

    def find(self, text: Normalised) -> Named:
        """Words of the table in `text`; Latin words must start a word of the text."""
        words: list[str] = []
        classes: set[int] = set()
        for found in self._pattern.finditer(text.text):
            longest, position = found.group(1), found.start(1)
            if is_word_char(longest[0]) and not text.starts_word(position):
                continue
            # The pattern takes the longest word at each place; shorter ones there count too
            # (运动鞋 is shoes, and 运动 sport).
            for size in range(len(longest), 0, -1):
                word = longest[:size]
                if word in self._classes and (size == len(longest) or not is_word_char(word[-1])):
                    original = text.original(position, position + size)
                    if original not in words:
                        words.append(original)
                    classes |= self._classes[word]
        return Named(tuple(words), frozenset(classes))
