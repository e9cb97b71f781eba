"""How urgent an alert is: a documented rule on score, mark kind, reasons and seller history.

The rule, with thresholds per mark kind from `Settings.severity` (defaults below):

- **high**   — score >= high (0.9) *and* either the kind needs no signal (``gi`` by default:
  ``high_needs_signal = false``) or the listing carries a counterfeit signal (a reason whose
  technique or rule declares ``counterfeit``, as the price rule does, or one naming the goods
  as replicas: 高仿, A货…);
- **medium** — score >= medium (0.85), including a high score without such a signal;
- **low**    — everything else that scored high enough to become an alert;
- some signals set a floor whatever the score (FLOORS): a GI sold from outside its region is
  high, evocation and false heritage claims medium.

The signals are declared by the matchers and context rules that make the reasons
(matchers/signals.py); this module names none of them.

Then the seller's history (alerts/history.py): a relisting after a takedown is high; a repeat
infringer goes up one step. GI misuse and counterfeits come first because they harm buyers
and the region's producers directly; a look-alike name alone is for the owner to judge at leisure.

>>> severity_for(0.93, "gi", [])
'high'
>>> severity_for(0.93, "trademark", ["homophone 康帅傅≈康师傅"])
'medium'
>>> severity_for(0.95, "trademark", ["高仿 wording in title"])
'high'
>>> raise_for_history("medium", repeat_infringer=True, relisting=False)
'high'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from ..core.settings import SEVERITY_DEFAULTS, Settings, SeverityThresholds
from ..matchers.signals import Signal
from ..matchers.signals import signals_of as declared_signals
from .records import SEVERITY_RANK, Severity

HIGH_SCORE = 0.9  # thresholds for a kind Settings.severity does not name
MEDIUM_SCORE = 0.85
# Signals that set a minimum severity whatever the score: a GI sold from outside its region is
# the misuse GI protection exists for; evocation and false heritage claims mislead buyers.
FLOORS: Mapping[Signal, Severity] = {"outside_region": "high", "evocation": "medium", "false_heritage": "medium"}
# Words sellers use for fakes; matched case-insensitively inside a reason's text.
COUNTERFEIT_WORDS = ("counterfeit", "replica", "高仿", "仿品", "复刻", "a货", "精仿", "假货")


@cache
def _declarations() -> None:
    """Import what makes reasons, so that their signals are declared: every context rule (the scorer's) and
    every technique. Only the matching process needs this, when it first decides a severity; the web
    workers, which import this module too, never load the techniques."""
    from ..matchers import scorer  # noqa: F401
    from ..matchers.base import discover

    discover()


def signals_of(technique: str) -> frozenset[Signal]:
    """The signals reasons of `technique` carry, as the technique or rule that makes them declares."""
    _declarations()
    return declared_signals(technique)


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
    return "counterfeit" in signals_of(technique) or any(word in lowered for word in COUNTERFEIT_WORDS)


@dataclass(frozen=True, slots=True)
class SeverityPolicy:
    """The thresholds per mark kind in force (`Settings.severity`)."""

    thresholds: Mapping[str, SeverityThresholds] = field(
        default_factory=lambda: {str(kind): thresholds for kind, thresholds in SEVERITY_DEFAULTS.items()})

    @classmethod
    def from_settings(cls, settings: Settings) -> SeverityPolicy:
        return cls({str(kind): thresholds for kind, thresholds in settings.severity.items()})

    def severity(self, score: float, kind: str, reasons: Iterable[Any]) -> Severity:
        """The severity of a match with `score` against a mark of `kind`, given its reasons."""
        reasons = list(reasons)
        limits = self.thresholds.get(kind) or SeverityThresholds(high=HIGH_SCORE, medium=MEDIUM_SCORE)
        if score >= limits.high and (not limits.high_needs_signal or any(map(is_counterfeit_signal, reasons))):
            return "high"
        floors = [FLOORS[signal] for reason in reasons for signal in signals_of(_technique_and_text(reason)[0])
                  if signal in FLOORS]
        severity: Severity = "medium" if score >= limits.medium else "low"
        return max([severity, *floors], key=SEVERITY_RANK.__getitem__)


DEFAULT_POLICY = SeverityPolicy()


def severity_for(score: float, kind: str, reasons: Iterable[Any],
                 policy: SeverityPolicy = DEFAULT_POLICY) -> Severity:
    """The severity of a match with `score` against a mark of `kind`, given its reasons."""
    return policy.severity(score, kind, reasons)


def raise_for_history(severity: Severity, *, repeat_infringer: bool, relisting: bool) -> Severity:
    """A relisting after a takedown is high; a repeat infringer's alert goes up one step."""
    if relisting:
        return "high"
    if repeat_infringer:
        return ("low", "medium", "high")[min(SEVERITY_RANK[severity] + 1, 2)]
    return severity
