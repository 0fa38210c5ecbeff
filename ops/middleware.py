"""Answers the probes before any other middleware (first in MIDDLEWARE).

Load balancers and Prometheus call a server by its address: Host is "10.0.3.7:8000",
which ALLOWED_HOSTS rightly refuses (CommonMiddleware and the HTTPS redirect call
request.get_host() and answer 400), and over plain HTTP, which SecurityMiddleware would
redirect to https. The probes never read Host, set no cookie and touch no session, CSRF
token, rate limit or page cache, so they are answered here, before all of that runs.
/metrics is answered here only to the addresses METRICS_ALLOWED_ADDRESSES allows; anyone
else goes through the whole stack to the site's ordinary 404 (ops.views.metrics).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from ops import views

PROBES: dict[str, Callable[[HttpRequest], HttpResponse]] = {
    "/healthz": views.healthz,
    "/readyz": views.readyz,
}


class ProbeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("GET", "HEAD"):
            probe = PROBES.get(request.path_info)
            if probe is not None:
                return _hardened(probe(request))
            if request.path_info == "/metrics" and views.metrics_allowed(request):
                return _hardened(views.metrics(request))
        return self.get_response(request)


def _hardened(response: HttpResponse) -> HttpResponse:
    """The headers every other answer gets from the middleware these skip: a probe opened in
    a browser is still under the site's policy and never sniffed into HTML."""
    if settings.CONTENT_SECURITY_POLICY:
        response.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
    response.setdefault("X-Content-Type-Options", "nosniff")
    return response
