"""How urgent an alert is: a first, documented rule on score, mark kind and reasons.

The rule (thresholds are module constants until they move into Settings):

- **high**   — score >= HIGH_SCORE (0.9) *and* the listing is a geographical-indication case
  (mark kind ``gi``) or carries a counterfeit signal (a reason from a counterfeit technique,
  or a reason that names the goods as replicas: 高仿, A货, replica, counterfeit…);
- **medium** — score >= MEDIUM_SCORE (0.85), including a >= 0.9 score without such a signal;
- **low**    — everything else that scored high enough to become an alert.

GI misuse and counterfeits come first because they harm buyers and the region's producers
directly; a look-alike name alone is for the brand owner to judge at leisure.

>>> severity_for(0.93, "gi", [])
'high'
>>> severity_for(0.93, "trademark", ["homophone 康帅傅≈康师傅"])
'medium'
>>> severity_for(0.95, "trademark", ["高仿 wording in title"])
'high'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from alerts.records import Severity

HIGH_SCORE = 0.9
MEDIUM_SCORE = 0.85

# Kinds of mark whose misuse is high severity on its own at a high score.
HIGH_KINDS = frozenset({"gi"})
# Matcher or context-rule names whose evidence says "this is a fake", not "this looks alike".
COUNTERFEIT_TECHNIQUES = frozenset({"counterfeit", "replica", "price", "gi_origin"})
# Words sellers use for fakes; matched case-insensitively inside a reason's text.
COUNTERFEIT_WORDS = ("counterfeit", "replica", "高仿", "仿品", "复刻", "a货", "精仿", "假货")


def _technique_and_text(reason: Any) -> tuple[str, str]:
    """A reason as (technique, text), whether a `Reason`, a stored dict or a plain sentence."""
    if isinstance(reason, Mapping):
        return str(reason.get("technique") or ""), str(reason.get("text") or "")
    if isinstance(reason, str):
        return "", reason
    return str(getattr(reason, "technique", "") or ""), str(getattr(reason, "text", reason))


def is_counterfeit_signal(reason: Any) -> bool:
    """True when one reason says the goods are fakes rather than look-alikes."""
    technique, text = _technique_and_text(reason)
    lowered = text.casefold()
    return technique in COUNTERFEIT_TECHNIQUES or any(word in lowered for word in COUNTERFEIT_WORDS)


def severity_for(score: float, kind: str, reasons: Iterable[Any]) -> Severity:
    """The severity of a match with `score` against a mark of `kind`, given its reasons."""
    if score >= HIGH_SCORE and (kind in HIGH_KINDS or any(map(is_counterfeit_signal, reasons))):
        return "high"
    if score >= MEDIUM_SCORE:
        return "medium"
    return "low"
