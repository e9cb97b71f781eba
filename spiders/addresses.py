"""Which network addresses a crawl may reach: public ones, and private ones only where configured.

A marketplace page can point the crawler anywhere — a redirect, a link, a name in DNS that resolves
to 10.0.0.5 or 127.0.0.1, a decimal form such as http://2130706433/ — and the crawler runs inside
the office's network. So every request's host is resolved, and an address that is not global
(private, loopback, link-local, shared, reserved, multicast, unspecified; IPv4-mapped IPv6 read as
the IPv4 inside) is refused, unless:

- `IPWATCH_ALLOW_PRIVATE_ADDRESSES=1` (every private address: a deployment on an intranet);
- the profile says `private_addresses: true` (that site lives on a private network);
- the profile names the address itself literally as its `base_url` or in `domains` (the demo
  marketplace and the tests on http://127.0.0.1:PORT): writing the address down is the permission,
  and it covers that address only, not names resolving to it nor its neighbours.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def literal(host: str) -> IPAddress | None:
    """`host` as an address if it is one written the standard way (127.0.0.1, ::1); else None."""
    try:
        return _unmapped(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return None


def _unmapped(address: IPAddress) -> IPAddress:
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped if mapped is not None else address


def is_public(address: IPAddress) -> bool:
    """Whether `address` is on the public internet (not private, loopback, link-local, reserved…)."""
    address = _unmapped(address)
    return address.is_global and not address.is_multicast


def resolve(host: str) -> list[IPAddress]:
    """Every address `host` resolves to, as the system's resolver (which reads 2130706433, 0x7f.1 and
    127.1 as 127.0.0.1, like browsers do) answers; [] when it does not resolve."""
    name = host.strip("[]").rstrip(".").lower()
    if name == "localhost" or name.endswith(".localhost"):  # RFC 6761: loopback, whatever DNS says
        return [ipaddress.ip_address("127.0.0.1")]
    try:
        infos = socket.getaddrinfo(name, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return []
    return [_unmapped(ipaddress.ip_address(str(info[4][0]).split("%")[0])) for info in infos]


@dataclass(frozen=True, slots=True)
class AddressPolicy:
    """The addresses one crawl may reach beyond public ones."""

    allow_private: bool = False
    named: frozenset[IPAddress] = frozenset()

    @classmethod
    def for_profile(cls, allow_private: bool, base_url: str, domains: Iterable[str],
                    profile_allows: bool = False) -> AddressPolicy:
        """The policy of a crawl of a profile, under the deployment's setting."""
        hosts = [urlsplit(base_url).hostname or "", *domains]
        named = frozenset(address for address in map(literal, hosts) if address is not None)
        return cls(allow_private or profile_allows, named)

    def refusal(self, url: str) -> str | None:
        """Why `url` may not be fetched (its host resolves to an address not allowed), or None."""
        host = urlsplit(url).hostname
        if not host or self.allow_private:
            return None
        address = literal(host)
        if address is not None and address in self.named:
            return None
        for found in [address] if address is not None else resolve(host):
            if not is_public(found):
                shown = host if str(found) == host else f"{host} ({found})"
                return f"{shown} is a private, loopback or link-local address"
        return None
