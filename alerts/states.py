"""Alert states as the queue reads them; the workflow that moves them lives in web/workflow.py."""

from __future__ import annotations

# A person decided these are not infringements: they are never notified again.
SUPPRESSED_STATES = frozenset({"false_positive", "rejected"})
# A person confirmed the infringement; every later step of the takedown workflow implies it.
CONFIRMED_STATES = frozenset({"confirmed", "notice_sent", "measures_taken", "counter_notice", "complaint_filed",
                              "restored", "resolved", "relisted"})
# The platform took the listing down (E-commerce Law art. 42 measures) at some point.
TAKEN_DOWN_STATES = frozenset({"measures_taken", "counter_notice", "complaint_filed", "resolved", "relisted"})
# States an owner's one-click answer may still change; later ones belong to the triage page.
FEEDBACK_STATES = frozenset({"new", "reviewing", "confirmed", "false_positive"})
