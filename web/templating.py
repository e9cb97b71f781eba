"""The pages' Jinja2 environment: autoescaping on, the workflow's names, times in the office's time zone."""

from __future__ import annotations

from datetime import tzinfo
from functools import cache, partial
from pathlib import Path
from urllib.parse import urlsplit

from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader

from ..alerts.workflow import STATES, label
from ..core.i18n import DEFAULT_LANGUAGE, translator
from .clock import duration, local
from .users import ROLE_LABELS

TEMPLATES = Path(__file__).with_name("templates")
# One-key moves in the triage queue.
SHORTCUTS = {"r": "reviewing", "c": "confirmed", "f": "false_positive"}


def http_only(url: str | None) -> str | None:
    """`url` if it is an http(s) link, else None: a scraped `javascript:` URL must never become a link."""
    if not url:
        return None
    scheme = urlsplit(url.strip()).scheme.lower()
    return url.strip() if scheme in ("http", "https") else None


@cache
def page_templates(zone: tzinfo, language: str = DEFAULT_LANGUAGE) -> Jinja2Templates:
    """The templates, showing times in `zone` (Settings.timezone, web/clock.py) and speaking `language`
    (`{{ _("...") }}` and `{% trans %}` through core/i18n.py): one environment per zone and language."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, extensions=["jinja2.ext.i18n"])
    env.install_gettext_translations(translator(language), newstyle=True)  # type: ignore[attr-defined]
    templates = Jinja2Templates(env=env)
    templates.env.globals.update(state_label=label, STATES=STATES, ROLE_LABELS=ROLE_LABELS, SHORTCUTS=SHORTCUTS)
    templates.env.filters.update(local=partial(local, zone=zone), duration=duration, http_only=http_only)
    return templates
