"""Sentences kept as data: a message code and its parameters, written in the reader's language when shown.

A stage declares its messages once, in English, with `message(code, text)`; the text is a
`str.format` template whose fields are the parameters. A `Phrase` names the code and carries the
parameters, so what is stored (a match reason, an alert's history) can be shown in Chinese to one
reader and in English to another, and a translator works on the catalogue (core/i18n.py), not on code::

    >>> HOMOPHONE = message("example.homophone", "homophone {found}≈{name}")
    >>> phrase = Phrase.of(HOMOPHONE, found="康帅傅", name="康师傅")
    >>> phrase.render()
    'homophone 康帅傅≈康师傅'

A parameter may itself be a `Phrase` (rendered in the same language), a number, or a word the
message names in `terms` (translated through the catalogue, e.g. "alias" → 别名). Parameters whose
name ends in `_month` (1-12) or `_months` (a list of them) are written as month names of the
reader's language. A sentence stored as plain text before it had a code is the phrase `as_stored`:
shown as it was written, in every language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .i18n import month_names, translator

Translate = Callable[[str], str]


def N_(text: str) -> str:
    """Mark `text` for the catalogue without translating it here (pybabel extract -k N_)."""
    return text


@dataclass(frozen=True, slots=True)
class Message:
    """An English template with its fields; `scored` messages show how they moved a score, to officers."""

    code: str
    text: str
    scored: bool = False
    terms: tuple[str, ...] = ()


MESSAGES: dict[str, Message] = {}


def message(code: str, text: str, *, scored: bool = False, terms: Sequence[str] = ()) -> str:
    """Declare the message `code` (refused if another text already has it); returns `code`."""
    declared = Message(code, text, scored, tuple(terms))
    if MESSAGES.setdefault(code, declared) != declared:
        raise TypeError(f"message {code!r} is declared twice with different texts")
    return code


AS_STORED = message("as_stored", N_("{text}"))


@dataclass(frozen=True, slots=True)
class Phrase:
    """A sentence by its message code and parameters."""

    code: str
    params: tuple[tuple[str, Any], ...] = field(default=())

    @classmethod
    def of(cls, code: str, **params: Any) -> Phrase:
        """The phrase `code` with `params`; an unknown code or a missing field is a programming error."""
        declared = MESSAGES.get(code)
        if declared is None:
            raise KeyError(f"no message {code!r} is declared")
        values = {key: tuple(value) if isinstance(value, list) else value for key, value in params.items()}
        declared.text.format(**{key: "" for key in values})  # every field of the template is given
        return cls(code, tuple(sorted(values.items())))

    @classmethod
    def stored(cls, text: str) -> Phrase:
        """A sentence kept as text, shown as written."""
        return cls(AS_STORED, (("text", text),))

    def get(self, key: str) -> Any:
        """The parameter `key`, or None."""
        return dict(self.params).get(key)

    def render(self, language: str = "en") -> str:
        """The sentence in `language` (zh-CN or en)."""
        return self._render(translator(language).gettext, month_names(language))

    def _render(self, translate: Translate, months: Sequence[str]) -> str:
        declared = MESSAGES.get(self.code)
        if declared is None:  # a code stored by a version that knew it: show what can be shown
            return str(self.get("text") or self.code)
        values = {key: _value(key, value, declared, translate, months) for key, value in self.params}
        return translate(declared.text).format(**values)

    def to_json(self) -> dict[str, Any]:
        """The phrase as stored in JSON columns."""
        return {"code": self.code, "params": {key: _to_json(value) for key, value in self.params}}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Phrase:
        """The phrase `to_json` stored."""
        params = data.get("params") or {}
        return cls(str(data.get("code") or AS_STORED),
                   tuple(sorted((str(key), _from_json(value)) for key, value in params.items())))


def _value(key: str, value: Any, declared: Message, translate: Translate, months: Sequence[str]) -> str:
    if isinstance(value, Phrase):
        return value._render(translate, months)
    if key.endswith("_months") and isinstance(value, tuple):
        return month_ranges(value, months)
    if key.endswith("_month") and isinstance(value, int):
        return months[value - 1]
    if key in declared.terms:
        if isinstance(value, tuple):
            return "+".join(translate(str(item)) for item in value)
        return translate(str(value))
    if isinstance(value, tuple):
        return ", ".join(str(item) for item in value)
    return str(value)


def month_ranges(numbers: Sequence[int], months: Sequence[str]) -> str:
    """[3, 4, 9, 10, 11] → "Mar-Apr, Sep-Nov"; a run through December and January is one range."""
    groups: list[list[int]] = []
    for number in sorted(set(numbers)):
        if groups and number == groups[-1][-1] + 1:
            groups[-1].append(number)
        else:
            groups.append([number])
    if len(groups) > 1 and groups[0][0] == 1 and groups[-1][-1] == 12:
        groups[0] = groups.pop() + groups[0]
    return ", ".join(months[g[0] - 1] if len(g) == 1 else f"{months[g[0] - 1]}-{months[g[-1] - 1]}" for g in groups)


def _to_json(value: Any) -> Any:
    if isinstance(value, Phrase):
        return {"phrase": value.to_json()}
    if isinstance(value, tuple):
        return [_to_json(item) for item in value]
    return value


def _from_json(value: Any) -> Any:
    if isinstance(value, Mapping) and "phrase" in value:
        return Phrase.from_json(value["phrase"])
    if isinstance(value, list):
        return tuple(_from_json(item) for item in value)
    return value
