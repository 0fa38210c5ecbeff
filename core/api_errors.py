"""The API's one error format, and its declaration in the OpenAPI schema.

Every refusal reads `{"error": {"code": ..., "message": ..., "fields": {...}}}`:
`code` is stable and machine-readable, `message` is for people (translated), `fields`
maps an input (body field or query parameter) to its messages and is empty otherwise.
Services raise core.errors.DomainError subclasses; they map to their `http_status`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import DomainError


def error_body(code: str, message: str, fields: Mapping[str, list[str]] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": str(message), "fields": dict(fields or {})}}


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error details as `{"field": [...], "items.0": [...]}`."""
    if isinstance(detail, Mapping):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            flat.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    if isinstance(detail, list):
        if all(not isinstance(item, (Mapping, list)) for item in detail):
            return {prefix or "non_field_errors": [str(item) for item in detail]}
        flat = {}
        for index, item in enumerate(detail):
            if item:
                flat.update(_flatten(item, f"{prefix}.{index}" if prefix else str(index)))
        return flat
    return {prefix or "non_field_errors": [str(detail)]}


def _first_code(codes: Any) -> str | None:
    if isinstance(codes, str):
        return codes
    if isinstance(codes, Mapping):
        codes = list(codes.values())
    if isinstance(codes, list):
        for item in codes:
            found = _first_code(item)
            if found:
                return found
    return None


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        return Response(error_body(exc.code, exc.message, exc.fields), status=exc.http_status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response  # an unexpected error: a 500, logged by Django
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        non_field = fields.pop("non_field_errors", None)
        message = non_field[0] if non_field and not fields else _("The request has invalid values: see `fields`.")
        if non_field and fields:
            fields["non_field_errors"] = non_field
        code = "invalid"
    else:
        detail = exc.detail
        message = str(detail[0] if isinstance(detail, list) and detail else detail)
        fields = {}
        code = _first_code(exc.get_codes()) or exc.default_code
    response.data = error_body(code, message, fields)
    return response


@csrf_exempt  # nothing to protect, and a POST must get this 404, not the CSRF failure page
def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Unknown URLs under /api/ answer in the API's format, not with the site's HTML page."""
    message = _("No such API endpoint. API paths end with a slash: see /api/docs/.")
    return JsonResponse(error_body("not_found", message), status=404)


# --- Schema -----------------------------------------------------------------------------
class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=gettext_lazy("Stable, machine-readable code, e.g. `duplicate_review`."))
    message = serializers.CharField(help_text=gettext_lazy("What went wrong, for people (in the request's language)."))


# "fields" cannot be an attribute of a Serializer class (it is the property listing them).
ErrorDetailSerializer._declared_fields["fields"] = serializers.DictField(
    child=serializers.ListField(child=serializers.CharField()),
    help_text=gettext_lazy("Messages per input (body field or query parameter); empty when none is at fault."),
)


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


def _example(name: str, code: str, message: str, fields: dict[str, list[str]] | None = None) -> OpenApiExample:
    return OpenApiExample(name, value=error_body(code, message, fields), response_only=True)


ERROR_RESPONSES: dict[str, OpenApiResponse] = {
    "400": OpenApiResponse(
        ErrorSerializer,
        description="Invalid input: a query parameter, the body, or a value a rule refuses (see `fields`).",
        examples=[
            _example(
                "Invalid filter",
                "invalid",
                "The request has invalid values: see `fields`.",
                {"min_average": ["Enter a number."]},
            )
        ],
    ),
    "401": OpenApiResponse(
        ErrorSerializer,
        description="No credentials, or an invalid or revoked API key.",
        examples=[
            _example("Missing credentials", "not_authenticated", "Authentication credentials were not provided.")
        ],
    ),
    "403": OpenApiResponse(
        ErrorSerializer,
        description="Authenticated, but not allowed (role, product not managed, a key lacking a scope).",
        examples=[
            _example(
                "Key without the scope",
                "permission_denied",
                "This API key lacks the `write` scope: ask an administrator for a key that holds it.",
            )
        ],
    ),
    "404": OpenApiResponse(
        ErrorSerializer,
        description="No such resource (or page).",
        examples=[_example("Not found", "not_found", "No Product matches the given query.")],
    ),
    "409": OpenApiResponse(
        ErrorSerializer,
        description="Clashes with what is stored, e.g. a second review of the same product revision.",
        examples=[
            _example(
                "Duplicate review",
                "duplicate_review",
                "You have already reviewed this product. You can edit your review instead.",
            )
        ],
    ),
    "413": OpenApiResponse(
        ErrorSerializer,
        description=(
            "The body is over the endpoint's limit: 1 MiB of JSON (API_JSON_BODY_MAX_BYTES), checked on "
            "Content-Length before the body is read. JSON nested deeper than 64 levels, not UTF-8 or not "
            "standard JSON is a 400 `parse_error`."
        ),
        examples=[
            _example(
                "Too large",
                "request_too_large",
                "The request body is larger than this endpoint accepts: at most 1024 KB.",
            )
        ],
    ),
    "429": OpenApiResponse(
        ErrorSerializer,
        description="Rate limit reached: wait `Retry-After` seconds.",
        examples=[_example("Throttled", "throttled", "Request was throttled. Expected available in 12 seconds.")],
    ),
}
READ_ERRORS = ("400", "401", "403", "404", "429")
WRITE_ERRORS = (*READ_ERRORS, "409", "413")


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema, with every error response of the API declared on every
    operation and `Retry-After` on 429, so clients and Schemathesis know them all."""

    def get_auth(self) -> list[dict[str, list[Any]]]:
        # An operation anyone may call (drf-spectacular adds the empty requirement `{}` for
        # AllowAny, and for IsAuthenticatedOrReadOnly's safe methods) is declared public:
        # `security: [{}]` alone. Listed beside the key and the session, Swagger UI would
        # draw a padlock on it, as if a key were needed to read public data.
        auths: list[dict[str, list[Any]]] = super().get_auth()
        return [{}] if {} in auths else auths

    def get_override_parameters(self) -> list[Any]:
        return [
            *super().get_override_parameters(),
            OpenApiParameter(
                "Retry-After",
                OpenApiTypes.INT,
                OpenApiParameter.HEADER,
                response=[429],
                description="Seconds to wait before the next request.",
            ),
        ]

    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)  # type: ignore[arg-type]
        codes = READ_ERRORS if self.method in ("GET", "HEAD", "OPTIONS") else WRITE_ERRORS
        for code in codes:
            if code not in responses:
                responses[code] = self._get_response_for_code(ERROR_RESPONSES[code], code, direction=direction)
        return responses
