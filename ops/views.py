"""/healthz, /readyz and /metrics (docs/health-and-metrics.md).

ops.middleware.ProbeMiddleware answers them first in the middleware stack; the routes in
config/urls.py answer the same views when it is not installed, and give the site's own
404 to an address not allowed to read /metrics.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import prometheus_client
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.views.decorators.http import require_safe
from prometheus_client import multiprocess
from prometheus_client.core import Metric

from core.client_address import addresses_vouched_for
from ops.address_rules import address_allowed, networks_parsed
from ops.checks import readiness_outcomes
from ops.project_metrics import ProjectCollector
from ops.readiness import readiness_body


def _never_cached(response: HttpResponse) -> HttpResponse:
    """Never stored (no-store, private). Vary: Cookie too, though no probe reads one: every
    answer of the site that a signed-in person may get says so (core.cache_headers, and
    tests/integration/security/test_cache_headers.py holds every route to it)."""
    add_never_cache_headers(response)
    patch_vary_headers(response, ["Cookie"])
    return response


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """The process answers: nothing else is asked (no database, no cache)."""
    return _never_cached(JsonResponse({"status": "ok"}))


@require_safe
def readyz(request: HttpRequest) -> HttpResponse:
    body, status = readiness_body(readiness_outcomes())
    return _never_cached(JsonResponse(body, status=status))


def metrics_allowed(request: HttpRequest) -> bool:
    # The connection and the client behind the trusted proxies must both be allowed (found by
    # review): the client's address alone let a same-host proxy, or a forged X-Forwarded-For
    # sent straight to a server, borrow an allowed address.
    allowed = networks_parsed(settings.METRICS_ALLOWED_ADDRESSES)
    return all(address_allowed(address, allowed) for address in addresses_vouched_for(request))


class _Collectors:
    """Several collectors as one, for prometheus_client.generate_latest."""

    def __init__(self, *collectors: object) -> None:
        self.collectors = collectors

    def collect(self) -> Iterator[Metric]:
        for collector in self.collectors:
            yield from collector.collect()  # type: ignore[attr-defined]


def metrics_text() -> bytes:
    """Every metric of this server: in multi-process mode (gunicorn with
    PROMETHEUS_MULTIPROC_DIR) the sum of every worker process' files, else this process'
    registry; then the project's figures, read from the database now."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        process_metrics: object = multiprocess.MultiProcessCollector(None)
    else:
        process_metrics = prometheus_client.REGISTRY
    return prometheus_client.generate_latest(_Collectors(process_metrics, ProjectCollector()))  # type: ignore[arg-type]


@require_safe
def metrics(request: HttpRequest) -> HttpResponse:
    if not metrics_allowed(request):
        raise Http404
    return _never_cached(HttpResponse(metrics_text(), content_type=prometheus_client.CONTENT_TYPE_LATEST))
