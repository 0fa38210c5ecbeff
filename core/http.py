"""Small helpers for the site's views, shared by every app's pages."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next_url(request: HttpRequest, fallback: str) -> str:
    """The `next` page the request names (POST, then GET) when it is on this site, else `fallback`.

    Never an address elsewhere: a crafted `?next=https://evil.example/` would otherwise
    turn any form of ours into an open redirect.
    """
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    # A path on this site only: "a\x00b" passed the check below, then broke redirect() (a 500).
    if (
        candidate.startswith("/")
        and candidate.isprintable()
        and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return candidate
    return fallback
