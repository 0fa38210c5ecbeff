"""The versioned REST API: /api/v1/ routes, and the OpenAPI schema and its viewers."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.http import HttpResponse
from django.urls import include, path, re_path
from django.utils import translation
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

import core.api_filter_schema  # noqa: F401 - registers the filters' schema extension
from care.api.views import CareFigureViewSet
from core.api_errors import api_not_found
from core.skus import SKU_URL_PATTERN
from desk.api.views import InvitationFigureViewSet
from gate.api.views import (
    GateEventViewSet,
    ImprovementRequestViewSet,
    ProductImprovementViewSet,
    WithdrawalNoticeViewSet,
)
from notifications.api.views import WebhookEndpointViewSet
from orders.api.views import OrderViewSet
from products.api.views import ProductViewSet, RatingFeedViewSet
from reviews.api.views import ProductReviewViewSet, ReviewViewSet
from topics.api.views import TopicFigureViewSet

# Swagger UI and Redoc are served from drf-spectacular-sidecar's files; their scripts are
# files too (the split Swagger view), but both set styles inline and Redoc starts a worker
# from a blob, which the site's strict policy (core.middleware) forbids.
DOCS_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


class _DocsPolicyMixin:
    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        response["Content-Security-Policy"] = DOCS_CONTENT_SECURITY_POLICY
        return response


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema, outside the API's rate limits.

    The docs pages fetch it: counted against the anonymous limit, a reader who had tried a
    few requests got a docs page that loads but cannot fetch what it documents. Unthrottled,
    it must be cheap: it depends on nothing else of the request (`serve_public`), so it is
    built once per process and language (about half a second of CPU), and *rendered* once
    per language and format (YAML or JSON, each of its two media types): dumping the YAML
    took as long again on every request.
    """

    throttle_classes: list[Any] = []
    _built: ClassVar[dict[str, Any]] = {}
    _rendered: ClassVar[dict[tuple[str, type[BaseRenderer]], tuple[bytes, str]]] = {}

    def _get_version_parameter(self, request: Request) -> None:
        # The API is versioned by its path (/api/v1/): a `?version=` changes nothing, and
        # must not make a new schema (and a new cache entry) per value a client invents.
        return None

    def _get_schema_response(self, request: Request) -> HttpResponse:  # type: ignore[override]
        # `?lang=` or the request's language, as one of the site's languages (an unknown
        # one is the default, not a new cache entry).
        try:
            language = translation.get_supported_language_variant(translation.get_language() or "")
        except LookupError:
            language = settings.LANGUAGE_CODE
        renderer = request.accepted_renderer
        key = (language, type(renderer))
        if key not in self._rendered:
            if language not in self._built:
                with translation.override(language):
                    self._built[language] = super()._get_schema_response(request).data
            # Rendered for the renderer's own media type: parameters a client adds to its
            # Accept header (`; indent=8`) neither change the bytes nor make new entries.
            content = renderer.render(self._built[language], renderer.media_type, self.get_renderer_context())
            charset = renderer.charset
            content_type = f"{renderer.media_type}; charset={charset}" if charset else renderer.media_type
            self._rendered[key] = (
                content.encode(charset or "utf-8") if isinstance(content, str) else content,
                content_type,
            )
        content, content_type = self._rendered[key]
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'inline; filename="{self._get_filename(request, None)}"'
        return response


class SwaggerView(_DocsPolicyMixin, SpectacularSwaggerSplitView):
    # The project's page around Swagger UI: a language, a main region, contrast (issue 18).
    template_name = "api_docs/swagger_ui.html"
    throttle_classes: list[Any] = []


class RedocView(_DocsPolicyMixin, SpectacularRedocView):
    # drf-spectacular's own page loads web fonts from a CDN; this one uses only local files.
    template_name = "api_docs/redoc.html"
    throttle_classes: list[Any] = []


# A product's nested routes match its SKU by the one rule (core.skus), as its own route does
# (ProductViewSet.lookup_value_regex): an invalid SKU in a URL is a 404, never a 500.
PRODUCT_PREFIX = rf"products/(?P<product_sku>{SKU_URL_PATTERN})"

router = DefaultRouter()
router.include_format_suffixes = False
router.register("products", ProductViewSet, basename="product")
router.register("ratings", RatingFeedViewSet, basename="rating")
router.register(f"{PRODUCT_PREFIX}/reviews", ProductReviewViewSet, basename="product-review")
router.register("reviews", ReviewViewSet, basename="review")
router.register(f"{PRODUCT_PREFIX}/improvements", ProductImprovementViewSet, basename="product-improvement")
router.register("gate/events", GateEventViewSet, basename="gate-event")
router.register("gate/notices", WithdrawalNoticeViewSet, basename="gate-notice")
router.register("gate/improvement-requests", ImprovementRequestViewSet, basename="gate-improvement-request")
router.register("webhooks", WebhookEndpointViewSet, basename="webhook")
router.register("invitation-figures", InvitationFigureViewSet, basename="invitation-figures")
router.register("orders", OrderViewSet, basename="order")
router.register("care-figures", CareFigureViewSet, basename="care-figures")
router.register("topic-figures", TopicFigureViewSet, basename="topic-figures")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", SwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("redoc/", RedocView.as_view(url_name="schema"), name="redoc"),
    re_path(r"^", api_not_found),
]
