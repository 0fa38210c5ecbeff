"""HTTP plumbing shared by the API's endpoints: pagination, conditional GET, strict filters.

The rule throughout: a bad value from the client is a 400 that names the parameter,
never a silent fallback and never a 500.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import django_filters
import django_filters.constants
from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import F, OrderBy, Q, QuerySet
from django.utils.http import http_date, parse_etags, parse_http_date_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from core.strict_numbers import StrictIntegerFormField, ascii_int

MAX_PAGE_NUMBER = 1_000_000


def _positive_int_param(request: Request, name: str, *, maximum: int) -> int | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    value = ascii_int(raw, minimum=0)  # ASCII digits only: int() takes "٣" and "1_0"
    if value is None:
        raise ValidationError({name: [_("Enter a whole number.")]})
    if not 1 <= value <= maximum:
        raise ValidationError(
            {name: [_("Enter a number from 1 to %(max)d.") % {"max": maximum}]},
        )
    return value


def positive_pk_or_404(raw: Any) -> int:
    """A path id that cannot be a row id is a 404 like any unknown id, never a database error."""
    pk = ascii_int(str(raw), minimum=1)  # int() of 5,000 digits raised ValueError: a 500
    if pk is None:
        raise NotFound()
    return pk


# --- Page numbers -----------------------------------------------------------------------
class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=` and `?page_size=` (at most 200); a malformed value is a 400, a page past
    the end a 404."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request: Request) -> int:
        size = _positive_int_param(request, self.page_size_query_param, maximum=self.max_page_size)
        return size or self.page_size

    def get_page_number(self, request: Request, paginator: Any) -> int:
        return _positive_int_param(request, self.page_query_param, maximum=MAX_PAGE_NUMBER) or 1

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "Page number, from 1.",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_NUMBER},
                "allowEmptyValue": True,  # `?page=` is page 1, as if it were not sent
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Results per page (default {self.page_size}, at most {self.max_page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
                "allowEmptyValue": True,
            },
        ]


# --- Keyset cursor over (updated_at, id) ------------------------------------------------
class UpdatedAtCursorPagination(pagination.BasePagination):
    """Pages in (updated_at, id) order, resuming strictly after the last row served.

    Unlike an offset, the cursor is a position in the data: rows written while a client
    pages move to the end (their updated_at grows) and are served again there with their
    new figures; no row is skipped and none is served twice on unchanged data.
    """

    page_size = 100
    max_page_size = 1000
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"

    def paginate_queryset(self, queryset: QuerySet[Any], request: Request, view: Any = None) -> list[Any]:
        self.request = request
        size = _positive_int_param(request, self.page_size_query_param, maximum=self.max_page_size) or self.page_size
        position = self._decode(request.query_params.get(self.cursor_query_param))
        if position is not None:
            moment, pk = position
            queryset = queryset.filter(Q(updated_at__gt=moment) | Q(updated_at=moment, pk__gt=pk))
        rows = list(queryset.order_by("updated_at", "pk")[: size + 1])
        self.has_next = len(rows) > size
        self.rows = rows[:size]
        return self.rows

    def get_paginated_response(self, data: Any) -> Response:
        return Response({"next": self.get_next_link(), "results": data})

    def get_next_link(self) -> str | None:
        if not self.has_next:
            return None
        last = self.rows[-1]
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, self._encode(last.updated_at, last.pk))

    @staticmethod
    def _encode(moment: datetime, pk: int) -> str:
        micros = int(moment.timestamp()) * 1_000_000 + moment.microsecond
        return base64.urlsafe_b64encode(f"{micros}.{pk}".encode()).decode().rstrip("=")

    def _decode(self, raw: str | None) -> tuple[datetime, int] | None:
        if raw is None or raw == "":
            return None
        try:
            if not raw.isascii() or not (raw.replace("-", "").replace("_", "")).isalnum():
                raise ValueError(raw)  # b64decode() would skip the characters outside its alphabet
            text = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode("ascii")
            micros_text, pk_text = text.split(".")
            micros, pk = int(micros_text), int(pk_text)
            if not 0 <= pk < 2**63:
                raise ValueError(pk)
            moment = datetime.fromtimestamp(micros // 1_000_000, tz=UTC).replace(microsecond=micros % 1_000_000)
        except (ValueError, UnicodeDecodeError, binascii.Error, OverflowError, OSError):
            raise ValidationError(
                {self.cursor_query_param: [_("This cursor is not valid: use the `next` link of a previous page.")]}
            ) from None
        return moment, pk

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["next", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "format": "uri",
                    "nullable": True,
                    "description": "The next page; null on the last page.",
                    "example": "https://shop.example/api/v1/ratings/?cursor=MTc3NDkxMDIwMjEwNDAwMC40Mg",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Opaque position from a previous page's `next` link.",
                # What _encode writes (unpadded URL-safe base64); only a cursor this server
                # wrote is a position, any other is a 400.
                "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]+$"},
                "allowEmptyValue": True,  # the first page
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Results per page (default {self.page_size}, at most {self.max_page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
                "allowEmptyValue": True,
            },
        ]


# --- Conditional GET --------------------------------------------------------------------
def representation_etag(data: Any) -> str:
    """A strong ETag from the JSON representation itself, so it changes exactly when the
    body does (whatever changed it: a review, the gate, a renamed category)."""
    payload = json.dumps(data, sort_keys=True, cls=DjangoJSONEncoder, separators=(",", ":"))
    return '"' + hashlib.sha256(payload.encode()).hexdigest()[:40] + '"'


def _etag_matches(etag: str, header: str) -> bool:
    # If-None-Match uses the weak comparison (RFC 9110 13.1.2): W/ prefixes are ignored.
    candidates = parse_etags(header)
    return "*" in candidates or etag in (c.removeprefix("W/") for c in candidates)


class ConditionalGetMixin:
    """ETag and Last-Modified on successful GETs, and 304 Not Modified when the client's
    copy is current. If-None-Match wins over If-Modified-Since, as RFC 9110 says; the
    latter has one-second resolution, so the ETag is the exact test."""

    def last_modified(self, request: Request, response: Response) -> datetime | None:
        """When the data behind the response last changed; views override it."""
        return None

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        if request.method not in ("GET", "HEAD") or response.status_code != 200 or not isinstance(response, Response):
            return response
        etag = representation_etag(response.data)
        modified = self.last_modified(request, response)
        response["ETag"] = etag
        # Clients may keep a copy but must ask before using it.
        response["Cache-Control"] = "no-cache"
        if modified is not None:
            response["Last-Modified"] = http_date(modified.timestamp())
        if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
        if if_none_match is not None:
            fresh = _etag_matches(etag, if_none_match)
        else:
            since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
            fresh = since is not None and modified is not None and int(modified.timestamp()) <= since
        if not fresh:
            return response
        not_modified = Response(status=304)
        not_modified.accepted_renderer = response.accepted_renderer
        not_modified.accepted_media_type = response.accepted_media_type
        not_modified.renderer_context = response.renderer_context  # type: ignore[attr-defined]
        for header in ("ETag", "Last-Modified", "Cache-Control", "Vary"):
            if header in response:
                not_modified[header] = response[header]
        return not_modified


CONDITIONAL_PARAMETERS = [
    OpenApiParameter(
        "If-None-Match",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        description="The `ETag` of your copy: the answer is 304 with no body while it is current.",
    ),
    OpenApiParameter(
        "If-Modified-Since",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        description="The `Last-Modified` of your copy (HTTP date); ignored when If-None-Match is sent.",
    ),
    OpenApiParameter(
        "ETag",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        response=[200, 304],
        description="Validator of this representation; send it back as If-None-Match.",
    ),
    OpenApiParameter(
        "Last-Modified",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        response=[200, 304],
        description="When the data behind this answer last changed (HTTP date).",
    ),
]
NOT_MODIFIED = OpenApiResponse(description="Not modified: your copy (If-None-Match / If-Modified-Since) is current.")


# --- Strict filter fields ---------------------------------------------------------------
class SafeIsoDateTimeField(django_filters.fields.IsoDateTimeField):
    """ISO 8601 date-time (or date: its midnight); refuses what the database cannot hold.

    The moment is given to the database in UTC: ISO 8601 allows offsets up to 23:59, and
    PostgreSQL refuses those beyond 15:59 (a DataError, hence a 500, before this)."""

    input_formats = [django_filters.fields.IsoDateTimeField.ISO_8601, "%Y-%m-%d"]

    def to_python(self, value: Any) -> datetime | None:
        result = super().to_python(value)
        if result is not None:
            try:
                result = result.astimezone(UTC)
            except (OverflowError, ValueError):
                raise forms.ValidationError(_("Enter a date-time between the years 1 and 9999.")) from None
        return result


class SafeIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = SafeIsoDateTimeField


class BoundedIntegerFilter(django_filters.NumberFilter):
    field_class = StrictIntegerFormField

    def __init__(self, *args: Any, min_value: int = 0, max_value: int = 2**31 - 1, **kwargs: Any) -> None:
        super().__init__(*args, min_value=min_value, max_value=max_value, **kwargs)


class _StrictBooleanWidget(forms.TextInput):
    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name)


class _StrictNullBooleanField(forms.NullBooleanField):
    widget = _StrictBooleanWidget

    def to_python(self, value: Any) -> bool | None:  # type: ignore[override]
        if value in (None, ""):
            return None
        lowered = str(value).lower()
        if lowered in ("true", "1"):
            return True
        if lowered in ("false", "0"):
            return False
        raise forms.ValidationError(_("Enter true or false."), code="invalid")

    def validate(self, value: Any) -> None:
        return None


class StrictBooleanFilter(django_filters.BooleanFilter):
    """`true`/`false` (or 1/0); anything else is a 400 rather than being ignored."""

    field_class = _StrictNullBooleanField


class StableOrderingFilter(django_filters.OrderingFilter):
    """`?ordering=a,-b` over declared names (unknown ones are a 400), always ending with the
    primary key so that equal values keep one order from page to page.

    A nullable field sorts its empty values last in both directions (`average` and
    `-average` both list the products without reviews after the rated ones): "no value" is
    neither the best nor the worst. Said explicitly (NULLS LAST), because databases differ:
    SQLite puts NULL first in ascending order, PostgreSQL puts it first in descending order.
    """

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if value in django_filters.constants.EMPTY_VALUES:
            return qs
        ordering = [self._ordering_term(qs, self.get_ordering_value(param)) for param in value if param]
        return qs.order_by(*ordering, "pk")

    @staticmethod
    def _ordering_term(qs: QuerySet[Any], term: str) -> str | OrderBy:
        descending = term.startswith("-")
        name = term.removeprefix("-")
        try:
            nullable = "__" not in name and qs.model._meta.get_field(name).null
        except FieldDoesNotExist:  # an annotation: its own expression decides
            nullable = False
        if not nullable:
            return term
        return F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True)


def ordering_filter(fields: Sequence[tuple[str, str]], *, help_text: Any = "") -> StableOrderingFilter:
    return StableOrderingFilter(
        fields=tuple(fields),
        help_text=help_text or gettext_lazy("Sort by these fields, comma-separated; prefix with - to reverse."),
    )
