"""Rate limits: posting reviews, voting, reporting, signing up, signing in, resetting and
changing a password, and the API's throttles.

One counter per (limit, client, fixed window), counted atomically in Redis or in the
database (core.ratelimit_counters), so a limit holds exactly across processes: of N
requests at once, never more than `limit` pass. Each limit is a fixed window: at most
`limit` requests per `period` seconds per client.

One limit everywhere: the site's views and the API's views of reviews, votes and reports
both call `rate_limit_action`, which decides who is counted (the signed-in account; for an
API key, its owner or the customer it posts for, and the key itself). Only attempts that
would otherwise succeed count: a view checks the input first, then takes the limit, then
acts, and gives the count back (`RateLimitTaken.refund`) when the service refuses.

A refused page gets a 429 that says when to try again (and `Retry-After`), never a 500; a
refused form is shown again with what was typed. Deployments tune or disable limits with
settings, no code change:

    RATELIMITS = {"vote": (60, 600)}   # per scope: (requests, seconds)
    RATELIMIT_ENABLED = False           # e.g. for a load test
    RATELIMIT_STORE = "database"        # or "redis"; default: redis when REDIS_URL is set
    TRUSTED_PROXY_COUNT = 1             # behind one load balancer: per-address limits key on
                                        # the address it reports (core.client_address)
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import Throttled
from rest_framework.request import Request

from core import ratelimit_counters
from core.api_errors import error_body
from core.client_address import client_address as client_address  # re-exported: the contract's name
from core.ratelimit_counters import (
    RateLimitResult,
    counter_at,
    counter_decrement,
    counter_hit,
    counter_value,
)

# Scope -> (requests allowed, per this many seconds). Generous for people, tight for scripts.
DEFAULT_RATES: dict[str, tuple[int, int]] = {
    # Failed sign-ins only (a successful one gives its count back): per client address, and
    # per account name tried, which slows guessing one account's password from many addresses.
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
    # Per author (an account, or a customer an API key posts for): new reviews and edits.
    "review_post": (10, 3600),
    # Per API key, on top of its author's limit: a shop posting for its customers.
    "review_post_key": (200, 3600),
    "vote": (60, 600),
    "report": (10, 3600),
    # Per client address, on top of the per-account limits of a page or an API session:
    # many accounts from one address (sign-ups for a bombing) share one budget. Several
    # people may share an address (an office, a shop's wifi), hence five times a person's.
    "review_post_address": (50, 3600),
    "vote_address": (300, 600),
    "report_address": (50, 3600),
}

# What a refused person or program reads; %(limit)d and %(period)s are the limit's.
SCOPE_MESSAGES = {
    "review_post": _("You have posted or edited as many reviews as allowed: %(limit)d per %(period)s."),
    "review_post_key": _("This API key has posted as many reviews as allowed: %(limit)d per %(period)s."),
    "vote": _("You have voted as many times as allowed: %(limit)d per %(period)s."),
    "report": _("You have sent as many reports as allowed: %(limit)d per %(period)s."),
    "review_post_address": _(
        "Too many reviews from your network: at most %(limit)d per %(period)s. Please try again later."
    ),
    "vote_address": _("Too many votes from your network: at most %(limit)d per %(period)s. Please try again later."),
    "report_address": _(
        "Too many reports from your network: at most %(limit)d per %(period)s. Please try again later."
    ),
}
CUSTOMER_MESSAGE = _(
    "Too many reviews: an API key may post at most %(key_limit)d reviews per %(key_period)s, "
    "and at most %(customer_limit)d per %(customer_period)s for each customer."
)
DEFAULT_MESSAGE = _("Too many requests: at most %(limit)d per %(period)s.")

# The actions a person takes through the site or the API, limited the same way on both.
ACTION_SCOPES = frozenset({"review_post", "vote", "report"})
# The extra per-key limit of an action taken with an API key.
KEY_SCOPES = {"review_post": "review_post_key"}
# The extra per-address limit of an action taken on a page or in an API session.
ADDRESS_SCOPES = {scope: f"{scope}_address" for scope in ACTION_SCOPES}

# A page's request or the API's: both carry the user, the address and (API) the credential.
AnyRequest = HttpRequest | Request


def rate_for(scope: str) -> tuple[int, int]:
    overrides: dict[str, tuple[int, int]] = getattr(settings, "RATELIMITS", {}) or {}
    if scope in overrides:
        return overrides[scope]
    try:
        return DEFAULT_RATES[scope]
    except KeyError as exc:
        raise ValueError(f"unknown rate-limit scope {scope!r}") from exc


def client_key(request: AnyRequest) -> str:
    """Signed-in users are limited per account (wherever they connect from), others per address."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{client_address(request)}"


def _disabled(scope: str, now: float | None) -> RateLimitResult | None:
    if getattr(settings, "RATELIMIT_ENABLED", True):
        return None
    limit, period = rate_for(scope)
    now = ratelimit_counters.clock() if now is None else now
    return RateLimitResult(scope, True, limit, period, 0, max(1, math.ceil(period - now % period)))


def rate_limit_hit(
    request: AnyRequest, scope: str, *, key: str | None = None, now: float | None = None
) -> RateLimitResult:
    """Counts one request against `scope` for this client (``key``, else the account or
    address) and says whether it is allowed."""
    limit, period = rate_for(scope)
    disabled = _disabled(scope, now)
    if disabled is not None:
        return disabled
    return counter_hit(scope, key or client_key(request), limit=limit, period=period, now=now)


def rate_limit_peek(
    request: AnyRequest, scope: str, *, key: str | None = None, now: float | None = None
) -> RateLimitResult:
    """Whether one more request would be allowed, without counting it.

    Advisory only: between the peek and a later hit, others may count. A limit that must
    hold under concurrency hits first and refunds (see LoginView).
    """
    limit, period = rate_for(scope)
    disabled = _disabled(scope, now)
    if disabled is not None:
        return disabled
    counter, retry_after = counter_at(scope, key or client_key(request), period=period, now=now)
    count = counter_value(counter)
    return RateLimitResult(scope, count < limit, limit, period, count, retry_after, counter)


def rate_limit_refund(result: RateLimitResult) -> None:
    """Gives back the count of an allowed request that turned out not to count (a sign-in
    that succeeded, a review the service refused). In the window it was counted in."""
    if result.allowed and result.counter is not None:
        counter_decrement(result.counter)


@dataclass
class RateLimitTaken:
    """The limits one attempt counted against; `refused` is the first that said no."""

    results: list[RateLimitResult]
    customer: bool = False

    @property
    def refused(self) -> RateLimitResult | None:
        return next((result for result in self.results if not result.allowed), None)

    def refund(self) -> None:
        for result in self.results:
            rate_limit_refund(result)
        self.results = []

    def message(self) -> str:
        refused = self.refused
        return rate_limit_message(refused, customer=self.customer) if refused else ""

    @contextmanager
    def refunded_on(self, *errors: type[BaseException]) -> Iterator[None]:
        """Around the action: when it raises one of ``errors`` (a service's refusal), the
        counts are given back and the error goes on. Only attempts that succeed count."""
        try:
            yield
        except errors:
            self.refund()
            raise


def rate_limited_form(
    request: HttpRequest, template: str, context: dict[str, Any], refused: RateLimitResult
) -> HttpResponse:
    """A valid form refused by a limit, shown again with what was typed (the caller put the
    message where its template shows it): 429 and Retry-After, nothing typed lost."""
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(refused.retry_after)
    return response


def rate_limits_take(
    request: AnyRequest, limits: Sequence[tuple[str, str | None]], *, now: float | None = None
) -> RateLimitTaken:
    """Counts one attempt against each (scope, key) in turn. At the first refusal it stops
    and gives back the counts already taken: a refused attempt only counts where it was
    refused. Refunds can only refuse more, never let more through."""
    results: list[RateLimitResult] = []
    for scope, key in limits:
        result = rate_limit_hit(request, scope, key=key, now=now)
        if not result.allowed:
            RateLimitTaken(results).refund()
            return RateLimitTaken([result])
        results.append(result)
    return RateLimitTaken(results)


def customer_ident(name: str) -> str:
    """A customer named by an API key, as one identity whatever the spacing or case."""
    return " ".join(unicodedata.normalize("NFKC", name).split()).casefold()


def action_limits(request: AnyRequest, scope: str, *, customer: str | None = None) -> list[tuple[str, str | None]]:
    """Who an action of ``scope`` counts against, the same for a page, a session on the API
    and an API key: the author (the signed-in account, the key's owner, or the customer
    the key posts for) and, with a key, the key itself; without one, the client's address
    too (a key is a server's, whose address says nothing of the people it acts for)."""
    if scope not in ACTION_SCOPES:
        raise ValueError(f"{scope!r} is not an action limited on both the site and the API")
    credential = getattr(request, "auth", None)
    key_prefix: str | None = getattr(credential, "prefix", None) if credential is not None else None
    if key_prefix is None:
        return [(scope, client_key(request)), (ADDRESS_SCOPES[scope], f"ip:{client_address(request)}")]
    limits: list[tuple[str, str | None]] = []
    if scope in KEY_SCOPES:
        limits.append((KEY_SCOPES[scope], f"apikey:{key_prefix}"))
    if customer is not None:
        limits.append((scope, f"apikey:{key_prefix}:customer:{customer_ident(customer)}"))
    else:
        limits.append((scope, client_key(request)))  # the key acts as its owner
    return limits


def rate_limit_action(
    request: AnyRequest, scope: str, *, customer: str | None = None, now: float | None = None
) -> RateLimitTaken:
    """Takes the limits of one action (see `action_limits`). Call it once the input is
    valid, just before acting; refund when the action is refused after all."""
    taken = rate_limits_take(request, action_limits(request, scope, customer=customer), now=now)
    taken.customer = customer is not None
    return taken


# --- What a refused client is told ------------------------------------------------------


def period_text(seconds: int) -> str:
    """The length of a window ("hour", "10 minutes"), for "%(limit)d per %(period)s"."""
    if seconds % 3600 == 0:
        hours = seconds // 3600
        if hours == 1:
            return pgettext("per", "hour")
        return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    if seconds % 60 == 0:
        minutes = seconds // 60
        if minutes == 1:
            return pgettext("per", "minute")
        return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
    return ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}


def retry_text(retry_after: int) -> str:
    minutes = max(1, math.ceil(retry_after / 60))
    return ngettext("Please try again in %(minutes)d minute.", "Please try again in %(minutes)d minutes.", minutes) % {
        "minutes": minutes
    }


def rate_limit_message(result: RateLimitResult, *, customer: bool = False) -> str:
    """Which limit was reached, its figures, and when to try again."""
    if customer:
        key_limit, key_period = rate_for("review_post_key")
        customer_limit, customer_period = rate_for("review_post")
        text = str(CUSTOMER_MESSAGE) % {
            "key_limit": key_limit,
            "key_period": period_text(key_period),
            "customer_limit": customer_limit,
            "customer_period": period_text(customer_period),
        }
    else:
        template = SCOPE_MESSAGES.get(result.scope, DEFAULT_MESSAGE)
        text = str(template) % {"limit": result.limit, "period": period_text(result.period)}
    return f"{text} {retry_text(result.retry_after)}"


class RateLimited(Throttled):
    """DRF's 429 with our message, which already says when to try again (Throttled's own
    would add "Expected available in N seconds")."""

    def __init__(self, message: str, *, wait: int) -> None:
        super().__init__(detail=message)
        self.wait = wait


def rate_limit_api_refusal(taken: RateLimitTaken) -> RateLimited:
    """The API's 429 for a refused action: the API's error shape, code `throttled`, with
    Retry-After (set by DRF's handler from `wait`)."""
    refused = taken.refused
    assert refused is not None, "only a refused attempt has a refusal"
    return RateLimited(taken.message(), wait=refused.retry_after)


def rate_limited_response(request: HttpRequest, result: RateLimitResult) -> HttpResponse:
    minutes = max(1, math.ceil(result.retry_after / 60))
    wants_json = "application/json" in request.headers.get("Accept", "")
    if wants_json:
        message = rate_limit_message(result) if result.scope in SCOPE_MESSAGES else None
        response: HttpResponse = JsonResponse(
            error_body("rate_limited", message or gettext("Too many requests. Please try again in a few minutes.")),
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
