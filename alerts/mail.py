"""Where the CLI, the demo and the scheduler have always found delivery: now alerts/delivery.py.

E-mail itself is a channel like the others (alerts/channels/email.py, alerts/message.py).
"""

from __future__ import annotations

from .delivery import MAX_ATTEMPTS, DeliveryReport, backoff, deliver_pending

__all__ = ["MAX_ATTEMPTS", "DeliveryReport", "backoff", "deliver_pending"]
