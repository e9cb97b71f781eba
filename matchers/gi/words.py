"""The GI word lists: evocation qualifiers, product nouns, origin cues, fresh goods."""

from __future__ import annotations

from functools import cache
from typing import Any

import yaml

from .. import DATA


@cache
def words() -> dict[str, Any]:
    """The GI word lists of matchers/data/gi_words.yaml."""
    return yaml.safe_load((DATA / "gi_words.yaml").read_text("utf-8"))
