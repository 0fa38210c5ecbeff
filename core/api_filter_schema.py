"""The API's query filters in the OpenAPI schema, stated as exactly as the code applies them.

drf-spectacular's django-filter extension gives each filter its bare type. The strict
filters (core.api_http, the apps' api/filters.py) refuse more than a bare type and accept
one thing it does not, and a client (or Schemathesis, .ci/schemathesis.sh) reading the
schema must be able to tell a valid request from an invalid one:

- a number filter's range (`min_value`/`max_value`) becomes `minimum`/`maximum`;
- a text filter refuses NUL, as Django's form field does (`pattern`);
- a filter may state more of its rule (`openapi_schema`: a SKU's pattern, a boolean);
- an empty value (`?day_to=`) means "not filtered", as in every django-filter form, so an
  optional single-valued parameter says `allowEmptyValue`. Multiple-choice filters
  (`kind`, `stars`) are the exception: an empty value is not one of their choices (a 400).
"""

from __future__ import annotations

from typing import Any

import django_filters
from drf_spectacular.contrib.django_filters import DjangoFilterExtension

from core.api_fields import NO_NUL_PATTERN

__all__ = ["StrictFilterSchema", "filter_schema_refinement"]


def filter_schema_refinement(filter_field: django_filters.Filter) -> dict[str, Any]:
    """What the schema of ``filter_field``'s values says beyond its type."""
    refinement: dict[str, Any] = {}
    if isinstance(filter_field, django_filters.NumberFilter):
        for bound, keyword in (("min_value", "minimum"), ("max_value", "maximum")):
            if filter_field.extra.get(bound) is not None:
                refinement[keyword] = filter_field.extra[bound]
    if isinstance(filter_field, django_filters.BooleanFilter):
        refinement["type"] = "boolean"  # also when a method filters (no type to read)
    if isinstance(filter_field, django_filters.CharFilter):
        refinement["pattern"] = NO_NUL_PATTERN  # Django's form field refuses NUL (a 400)
    refinement.update(getattr(filter_field, "openapi_schema", {}))
    return refinement


class StrictFilterSchema(DjangoFilterExtension):
    """drf-spectacular's django-filter extension (priority 0), with the refinements above."""

    priority = 1

    def resolve_filter_field(
        self, auto_schema: Any, model: Any, filterset_class: Any, field_name: str, filter_field: Any
    ) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        refinement = filter_schema_refinement(filter_field)
        for parameter in parameters:
            schema = parameter["schema"]
            (schema["items"] if schema.get("type") == "array" else schema).update(refinement)
            if not parameter.get("required") and not isinstance(filter_field, django_filters.MultipleChoiceFilter):
                parameter["allowEmptyValue"] = True
        return parameters
