"""Alert channels, one module per kind, named for it and registered under the URL scheme users write.

`ipwatch channels` lists them; `ipwatch channels test URL` sends a sample alert.
"""

from __future__ import annotations

from .base import REGISTRY, Channel, channel_for, channel_name, identity, scheme_of, shown

Channel.discover()  # every channel module registers its schemes

__all__ = ["REGISTRY", "Channel", "channel_for", "channel_name", "identity", "scheme_of", "shown"]
