"""Rate limits for the site's forms: posting reviews, voting, reporting, signing up, signing in,
resetting and changing a password.

Counters live in the default cache, which every process shares (the database cache, or
Redis when REDIS_URL is set), so a limit holds across workers. Each limit is a fixed
window: at most `limit` requests per `period` seconds per client. The database cache's
`incr` is a read then a write, so two processes racing at the edge may let one extra
request through; that is acceptable for abuse protection, and Redis makes it exact.

A refused request gets a 429 page that says when to try again (and `Retry-After`), never
a 500. Deployments tune or disable limits with settings, no code change:

    RATELIMITS = {"vote": (60, 600)}   # per scope: (requests, seconds)
    RATELIMIT_ENABLED = False           # e.g. for a load test
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar, cast

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext

# Scope -> (requests allowed, per this many seconds). Generous for people, tight for scripts.
DEFAULT_RATES: dict[str, tuple[int, int]] = {
    # Failed sign-ins only (a successful one costs nothing): per client address, and per
    # account name tried, which slows guessing one account's password from many addresses.
    "login": (10, 300),
    "login_account": (5, 300),
    "signup": (5, 3600),
    # Password reset: forms sent per client address, and emails per address asked for, so
    # no one can flood a mailbox from many addresses (over that limit the page still says
    # "sent" and nothing goes out: the limit must not reveal whether the address is known).
    "password_reset": (10, 3600),
    "password_reset_email": (3, 3600),
    # Wrong current passwords on the change form, per account: a session left open on a
    # shared computer must not let someone guess the password at leisure.
    "password_change": (5, 900),
    "review_post": (10, 3600),  # new reviews and edits
    "vote": (60, 600),
    "report": (10, 3600),
}

_View = TypeVar("_View", bound=Callable[..., HttpResponse])


@dataclass(frozen=True)
class RateLimitResult:
    scope: str
    allowed: bool
    limit: int
    period: int
    count: int
    retry_after: int  # seconds until the current window ends


def rate_for(scope: str) -> tuple[int, int]:
    overrides: dict[str, tuple[int, int]] = getattr(settings, "RATELIMITS", {}) or {}
    if scope in overrides:
        return overrides[scope]
    try:
        return DEFAULT_RATES[scope]
    except KeyError as exc:
        raise ValueError(f"unknown rate-limit scope {scope!r}") from exc


def client_address(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is set by the client unless a trusted proxy rewrites
    # it, and a limit a client can dodge by sending a header protects nothing.
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def client_key(request: HttpRequest) -> str:
    """Signed-in users are limited per account (wherever they connect from), others per address."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{client_address(request)}"


def _window(request: HttpRequest, scope: str, key: str | None, now: float | None) -> tuple[str, int, int, int]:
    limit, period = rate_for(scope)
    now = time.time() if now is None else now
    window = int(now // period)
    retry_after = max(1, math.ceil((window + 1) * period - now))
    ident = hashlib.sha256((key or client_key(request)).encode()).hexdigest()[:32]
    return f"ratelimit:{scope}:{ident}:{window}", limit, period, retry_after


def rate_limit_hit(
    request: HttpRequest, scope: str, *, key: str | None = None, now: float | None = None
) -> RateLimitResult:
    """Counts one request against `scope` for this client and says whether it is allowed."""
    cache_key, limit, period, retry_after = _window(request, scope, key, now)
    if not getattr(settings, "RATELIMIT_ENABLED", True):
        return RateLimitResult(scope, True, limit, period, 0, retry_after)
    # add() is a no-op when the key exists; the timeout outlives the window a little so
    # the counter never expires between add() and incr().
    cache.add(cache_key, 0, timeout=period + 5)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # evicted between add() and incr(): start the window again
        cache.set(cache_key, 1, timeout=period + 5)
        count = 1
    return RateLimitResult(scope, count <= limit, limit, period, count, retry_after)


def rate_limit_peek(
    request: HttpRequest, scope: str, *, key: str | None = None, now: float | None = None
) -> RateLimitResult:
    """Whether one more request would be allowed, without counting it.

    For limits on failures (sign-in): peek before, `rate_limit_hit` only when it failed.
    """
    cache_key, limit, period, retry_after = _window(request, scope, key, now)
    if not getattr(settings, "RATELIMIT_ENABLED", True):
        return RateLimitResult(scope, True, limit, period, 0, retry_after)
    count = int(cache.get(cache_key, 0))
    return RateLimitResult(scope, count < limit, limit, period, count, retry_after)


def rate_limited_response(request: HttpRequest, result: RateLimitResult) -> HttpResponse:
    minutes = max(1, math.ceil(result.retry_after / 60))
    wants_json = "application/json" in request.headers.get("Accept", "")
    if wants_json:
        response: HttpResponse = JsonResponse(
            {
                "error": {
                    "code": "rate_limited",
                    "message": gettext("Too many requests. Please try again in a few minutes."),
                }
            },
            status=429,
        )
    else:
        response = render(
            request,
            "partials/rate_limited.html",
            {"retry_after": result.retry_after, "retry_minutes": minutes, "scope": result.scope},
            status=429,
        )
    response["Retry-After"] = str(result.retry_after)
    return response


def ratelimit(
    scope: str,
    *,
    methods: tuple[str, ...] = ("POST",),
    key: Callable[[HttpRequest], str] | None = None,
) -> Callable[[_View], _View]:
    """Limits a view's `methods` requests (reads stay free) per client for `scope`."""

    def decorator(view: _View) -> _View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method in methods:
                result = rate_limit_hit(request, scope, key=key(request) if key else None)
                if not result.allowed:
                    return rate_limited_response(request, result)
            return view(request, *args, **kwargs)

        return cast(_View, wrapped)

    return decorator
