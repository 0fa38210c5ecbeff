"""How the Api-Key scheme appears in the OpenAPI schema (Swagger UI's Authorize button)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from apikeys.models import ApiKeyScope

# What each scope opens, for the integrator reading the schema (apikeys.permissions enforces it).
SCOPE_DESCRIPTIONS: dict[str, str] = {
    ApiKeyScope.READ: "GET (and HEAD, OPTIONS) on the API's endpoints, with the owner's rights.",
    ApiKeyScope.WRITE: (
        "POST, PUT, PATCH and DELETE on the API's endpoints (reviews, votes, reports, improvements, "
        "webhooks), with the owner's rights. A key with `write` but not `read` can write but not read."
    ),
    ApiKeyScope.ORDERS: (
        "The orders API (`/api/v1/orders/`), every method; it needs nothing else and is open to API keys only."
    ),
}


def scopes_description() -> str:
    lines = (f"- `{scope}`: {SCOPE_DESCRIPTIONS.get(scope, ApiKeyScope(scope).label)}" for scope in ApiKeyScope.values)
    return "\n".join(lines)


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "apikeys.authentication.ApiKeyAuthentication"
    name = "ApiKeyAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "An API key created by an administrator (admin > API keys), sent as "
                "`Authorization: Api-Key rg_xxxxxxxx_…`. In Swagger UI, paste `Api-Key ` followed by the key.\n\n"
                "A key holds one or more scopes; a request its key lacks the scope for is a 403 "
                "that names the missing scope:\n" + scopes_description()
            ),
        }
