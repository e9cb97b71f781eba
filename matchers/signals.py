"""What a reason says beyond "this looks like the mark", declared where the reason is made.

A technique declares the signals its reasons carry as a class attribute (`signals =
frozenset({"evocation"})`); a context rule names its reasons' technique with `carries`::

    PRICE = carries("price", "counterfeit")   # rules/context.py
    ...
    return Reason(PRICE, text, CHEAP)

alerts/severity.py decides how urgent an alert is from these signals, never from technique names:

    counterfeit     the goods are fakes, not look-alikes (a price far below the genuine one)
    outside_region  a GI's goods come from outside its region
    evocation       a GI evoked by "type, style, imitation" wording
    false_heritage  a seller who is not the owner claims an old brand's heritage
"""

from __future__ import annotations

from typing import Literal

Signal = Literal["counterfeit", "outside_region", "evocation", "false_heritage"]

_DECLARED: dict[str, frozenset[Signal]] = {}  # reason technique → its signals


def carries(technique: str, *signals: Signal) -> str:
    """Declare that every reason of `technique` carries `signals`; returns `technique`."""
    declared = frozenset(signals)
    known = _DECLARED.setdefault(technique, declared)
    if known != declared:
        raise TypeError(f"reasons of {technique!r} are declared with {sorted(known)} and with {sorted(declared)}")
    return technique


def signals_of(technique: str) -> frozenset[Signal]:
    """The signals reasons of `technique` carry, as the technique or rule that makes them declares: the
    declarations are read when those modules are imported (alerts/severity.py imports them all)."""
    return _DECLARED.get(technique, frozenset())
