"""Alert channels, one module per kind, registered under the URL scheme users write.

`ipwatch channels` lists them; `ipwatch channels test URL` sends a sample alert.
"""

from __future__ import annotations

from . import dingtalk, email, feishu, slack, webhook, wecom  # noqa: F401 - they register
from .base import REGISTRY, Channel, channel_for, channel_name, identity, scheme_of, shown

__all__ = ["REGISTRY", "Channel", "channel_for", "channel_name", "identity", "scheme_of", "shown"]
