"""Languages: Chinese first, English second, with Babel message catalogues translators can work with.

Every sentence a person reads is written in English in the code (templates, e-mails, CLI output, match
reasons) and translated through the gettext catalogue `core/locale/<locale>/LC_MESSAGES/messages.po`.
`pybabel extract -F babel.cfg -o messages.pot .` collects the sentences; `pybabel update` merges them into
the catalogues. The catalogue is read from its `.po` file when first needed, so no compiled `.mo` file is
kept beside it.

    >>> translator("zh-CN").gettext("Queue")
    '预警队列'
    >>> translator("en").gettext("Queue")
    'Queue'
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Literal

from babel import Locale
from babel.dates import get_month_names
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

Language = Literal["zh-CN", "en"]
LANGUAGES: tuple[Language, ...] = ("zh-CN", "en")
DEFAULT_LANGUAGE: Language = "zh-CN"
LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "messages"


def locale_of(language: str) -> Locale:
    """The Babel locale of a language tag (`zh-CN` → zh_CN)."""
    return Locale.parse(language, sep="-")


def catalogue_path(language: str) -> Path:
    """Where the catalogue of `language` lies (English, the source language, has none): gettext's
    folder name, language and territory (`zh_CN`)."""
    locale = locale_of(language)
    folder = f"{locale.language}_{locale.territory}" if locale.territory else locale.language
    return LOCALE_DIR / folder / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translator(language: str) -> gettext.NullTranslations:
    """The translations of `language`; English, or a language without a catalogue, passes text through."""
    path = catalogue_path(language)
    if language == "en" or not path.is_file():
        return gettext.NullTranslations()
    with path.open("rb") as handle:
        catalogue = read_po(handle, locale=locale_of(language), domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def choose(wanted: Iterable[str | None], default: Language = DEFAULT_LANGUAGE) -> Language:
    """The first of `wanted` that ipwatch speaks (by tag or its language part: `zh`, `zh-Hans-CN`
    and `zh_CN` are all Chinese), else `default`."""
    for tag in wanted:
        if not tag:
            continue
        base = tag.replace("_", "-").split("-")[0].lower()
        for language in LANGUAGES:
            if language.split("-")[0] == base:
                return language
    return default


@cache
def month_names(language: str) -> tuple[str, ...]:
    """The twelve abbreviated month names of `language` (Jan … Dec, 1月 … 12月)."""
    names = get_month_names("abbreviated", locale=locale_of(language))
    return tuple(names[number] for number in range(1, 13))
