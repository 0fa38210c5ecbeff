"""Who may read /metrics: addresses and networks from METRICS_ALLOWED_ADDRESSES. Pure
(standard library only), so the settings check the list at start-up with the same code."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def networks_parsed(entries: Iterable[str]) -> tuple[Network, ...]:
    """ "10.0.0.0/8", "127.0.0.1" or "::1" as networks; a malformed entry raises ValueError
    naming it (a typo must stop start-up, not silently lock Prometheus out)."""
    networks: list[Network] = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError as exc:
            raise ValueError(f"{entry!r} is not an IP address or network") from exc
    return tuple(networks)


def address_allowed(address: str, networks: Iterable[Network]) -> bool:
    """Whether ``address`` (a client's, as text) is in one of ``networks``. Anything that is
    not an address ("unknown", a host name) is refused."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    candidates: list[ipaddress.IPv4Address | ipaddress.IPv6Address] = [ip]
    # A dual-stack socket reports an IPv4 client as ::ffff:a.b.c.d: judge the IPv4 address.
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        candidates.append(ip.ipv4_mapped)
    return any(
        candidate in network for candidate in candidates for network in networks if candidate.version == network.version
    )
