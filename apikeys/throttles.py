"""Rate limits per anonymous IP, per signed-in user and per API key.

Exactly one of the three applies to a request; DRF answers 429 with Retry-After when it
trips. Each is a fixed window counted atomically by core.ratelimit's counters (Redis INCR,
or one database upsert), not DRF's request history in the cache: that history is read,
appended to and written back, so requests arriving together all read the same history
and all pass (60 allowed, 83 through, with 10 at once).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from django.conf import settings
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from apikeys.models import ApiKey
from core.client_address import client_address
from core.ratelimit_counters import RateLimitResult, counter_hit


class _AtomicRateThrottle(SimpleRateThrottle, ABC):
    """DRF's rate strings ("60/min") on an atomic counter, keyed on the site's client address."""

    result: RateLimitResult | None = None
    # Set by SimpleRateThrottle.__init__ from the rate ("60/min" -> 60, 60).
    num_requests: int | None
    duration: int | None

    def get_rate(self) -> str | None:
        # Read per request rather than once at import, so a settings change (a test's
        # override, a reload) takes effect. No rate for the scope: no limit.
        rates: dict[str, Any] = api_settings.DEFAULT_THROTTLE_RATES
        rate = rates.get(self.scope or "")
        return None if rate is None else str(rate)

    @abstractmethod
    def client_ident(self, request: Request) -> str | None:
        """Who is counted, or None when this throttle does not apply to the request."""

    def get_ident(self, request: Request) -> str:
        # The site's limits' address (TRUSTED_PROXY_COUNT), not DRF's reading of NUM_PROXIES,
        # which takes X-Forwarded-For's leftmost entry (the client's own) when the header has
        # fewer entries than proxies, and the whole header, spaces removed, with NUM_PROXIES unset.
        return client_address(request)

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        return self.client_ident(request)

    def allow_request(self, request: Request, view: Any) -> bool:
        # RATELIMIT_ENABLED=0 switches every limit off, the API's throttles included.
        if not settings.RATELIMIT_ENABLED:
            return True
        if self.rate is None or self.num_requests is None or self.duration is None:
            return True
        ident = self.client_ident(request)
        if ident is None:
            return True
        self.result = counter_hit(f"api_{self.scope}", ident, limit=self.num_requests, period=self.duration)
        return self.result.allowed

    def wait(self) -> float | None:
        return None if self.result is None else float(self.result.retry_after)


class AnonymousIpThrottle(_AtomicRateThrottle):
    scope = "anon"

    def client_ident(self, request: Request) -> str | None:
        if request.user and request.user.is_authenticated:
            return None
        return f"ip:{self.get_ident(request)}"


class UserThrottle(_AtomicRateThrottle):
    scope = "user"

    def client_ident(self, request: Request) -> str | None:
        if not (request.user and request.user.is_authenticated) or isinstance(request.auth, ApiKey):
            return None
        return f"user:{request.user.pk}"


class ApiKeyThrottle(_AtomicRateThrottle):
    scope = "api_key"

    def client_ident(self, request: Request) -> str | None:
        if not isinstance(request.auth, ApiKey):
            return None
        return f"key:{request.auth.prefix}"
