"""How the Api-Key scheme appears in the OpenAPI schema (Swagger UI's Authorize button)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension


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
                "`Authorization: Api-Key rg_xxxxxxxx_…`. In Swagger UI, paste `Api-Key ` followed by the key."
            ),
        }
