"""The client's address, as every rate limit, the API's throttles and /metrics see it.

Also importable as ``core.ratelimit.client_address``; this module imports nothing of the
project, so the throttles (loaded while DRF itself is being imported) can use it too.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest
from rest_framework.request import Request


def forwarded_client_address(remote_addr: str, forwarded_for: str | None, *, trusted_proxies: int) -> str:
    """The client's address as the trusted proxies report it: the entry ``trusted_proxies``
    from the right of X-Forwarded-For, each proxy having appended the address it was
    connected from. Entries further left were written by the client (or by proxies we do
    not trust) and are ignored: a client that sends ``X-Forwarded-For: 1.2.3.4`` only adds
    entries on the left. No proxies trusted, fewer entries than proxies (a request that
    did not come through all of them), or an entry that is not an IP address: the
    connection's own address, so a malformed header never yields a key a client picks."""
    if trusted_proxies <= 0 or not forwarded_for:
        return remote_addr
    entries = [entry.strip() for entry in forwarded_for.split(",")]
    if len(entries) < trusted_proxies:
        return remote_addr
    try:
        # Normalised ("0:0::1" and "::1" are one address, so one budget).
        return str(ipaddress.ip_address(entries[-trusted_proxies]))
    except ValueError:
        return remote_addr


def client_address(request: HttpRequest | Request) -> str:
    """The address every limit, the API's throttles and /metrics key on: REMOTE_ADDR, or
    behind TRUSTED_PROXY_COUNT proxies the one they report (`forwarded_client_address`).
    Never X-Forwarded-For's leftmost entry: the client writes it, and a limit a client can
    dodge by sending a header protects nothing."""
    remote_addr = str(request.META.get("REMOTE_ADDR") or "unknown")
    return forwarded_client_address(
        remote_addr,
        request.META.get("HTTP_X_FORWARDED_FOR"),
        trusted_proxies=getattr(settings, "TRUSTED_PROXY_COUNT", 0),
    )


def addresses_vouched_for(request: HttpRequest | Request) -> tuple[str, ...]:
    """Every address a request must come from, all of them, for a privilege given by address
    (/metrics): the connection's own and each entry the trusted proxies appended (with fewer
    entries than proxies, those there are: `client_address` would fall back to the last
    proxy's own address, lending its privilege to whoever skipped the proxies before it).
    With no proxy trusted, a request carrying X-Forwarded-For came through a proxy nobody
    declared (a same-host proxy would lend it 127.0.0.1): nothing vouches for it then."""
    remote_addr = str(request.META.get("REMOTE_ADDR") or "unknown")
    forwarded_for = str(request.META.get("HTTP_X_FORWARDED_FOR") or "")
    trusted_proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if not forwarded_for:
        return (remote_addr,)
    if trusted_proxies <= 0:
        return ("unknown",)
    entries = [entry.strip() for entry in forwarded_for.split(",")]
    return (remote_addr, *entries[-trusted_proxies:])
