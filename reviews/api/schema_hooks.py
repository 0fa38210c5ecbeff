"""What the review PATCH's schema must say that a serializer cannot: a body names at least
one field to change (an empty one, or one of unknown keys only, is a 400: reviews.api
ReviewChangeInputSerializer.validate). Registered in SPECTACULAR_SETTINGS'
POSTPROCESSING_HOOKS."""

from __future__ import annotations

from typing import Any

REVIEW_PATCH_COMPONENT = "PatchedReviewChangeInputRequest"
REVIEW_PATCH_PATH = "/api/v1/reviews/{id}/"


def review_patch_names_a_field(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """The body is required, and ``anyOf`` one ``required`` per editable field: schema-valid
    bodies are the accepted ones."""
    schema = result.get("components", {}).get("schemas", {}).get(REVIEW_PATCH_COMPONENT)
    if schema is not None:
        schema["anyOf"] = [{"required": [name]} for name in schema.get("properties", {})]
    body = result.get("paths", {}).get(REVIEW_PATCH_PATH, {}).get("patch", {}).get("requestBody")
    if body is not None:
        body["required"] = True
    return result
