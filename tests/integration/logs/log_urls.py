"""The project's URLs plus two views for the request id tests: one logs a line with the
caller's extra fields, one fails."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config import urls as project_urls
from core.request_id import request_id_current

logger = logging.getLogger("tests.logs")


def _logs(request: HttpRequest) -> HttpResponse:
    logger.info("looked at product %s", "P1", extra={"product_sku": "P1"})
    return HttpResponse(request_id_current() or "")


def _boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug in a view")


urlpatterns = [
    path("test-logs/logs/", _logs),
    path("test-logs/boom/", _boom),
    *project_urls.urlpatterns,
]
handler404 = project_urls.handler404
handler500 = project_urls.handler500
