from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db

ERRORS = {"400", "401", "403", "404", "429"}


@pytest.fixture(scope="module")
def schema(django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("schema") / "schema.yaml"
    with django_db_blocker.unblock():
        # Raises (SchemaGenerationError) on any warning or validation error.
        call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    return yaml.safe_load(Path(out).read_text())  # type: ignore[no-any-return]


def operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]


def test_schema_covers_every_endpoint_of_the_issue(schema: dict[str, Any]) -> None:
    paths = set(schema["paths"])
    assert {
        "/api/v1/products/",
        "/api/v1/products/{sku}/",
        "/api/v1/ratings/",
        "/api/v1/products/{product_sku}/reviews/",
        "/api/v1/reviews/{id}/",
        "/api/v1/reviews/{id}/votes/",
        "/api/v1/reviews/{id}/reports/",
        "/api/v1/gate/events/",
        "/api/v1/gate/notices/",
        "/api/v1/products/{product_sku}/improvements/",
        "/api/v1/webhooks/",
        "/api/v1/webhooks/{id}/",
    } <= paths


def test_every_operation_declares_every_error_in_the_one_format(schema: dict[str, Any]) -> None:
    for path, method, operation in operations(schema):
        expected = ERRORS | ({"409"} if method != "get" else set())
        assert expected <= set(operation["responses"]), (path, method)
        for code in expected:
            content = operation["responses"][code]["content"]["application/json"]
            assert content["schema"] == {"$ref": "#/components/schemas/Error"}, (path, method, code)
        assert "Retry-After" in operation["responses"]["429"]["headers"]


def test_product_and_ratings_declare_conditional_requests(schema: dict[str, Any]) -> None:
    for path in ("/api/v1/products/", "/api/v1/products/{sku}/", "/api/v1/ratings/"):
        operation = schema["paths"][path]["get"]
        assert {"If-None-Match", "If-Modified-Since"} <= {p["name"] for p in operation["parameters"]}
        assert "304" in operation["responses"]
        assert {"ETag", "Last-Modified"} <= set(operation["responses"]["200"]["headers"])


def test_schema_has_examples_and_the_api_key_scheme(schema: dict[str, Any]) -> None:
    assert schema["components"]["securitySchemes"]["ApiKeyAuth"] == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": schema["components"]["securitySchemes"]["ApiKeyAuth"]["description"],
    }
    with_examples = [
        (path, method)
        for path, method, operation in operations(schema)
        if any(
            "examples" in body
            for response in operation["responses"].values()
            for body in response.get("content", {}).values()
        )
    ]
    assert ("/api/v1/products/{sku}/", "get") in with_examples
    assert ("/api/v1/ratings/", "get") in with_examples


def test_schema_is_served(client: Client) -> None:
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert b"openapi: 3" in response.content


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_docs_are_served_from_local_files_with_their_own_policy(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "googleapis" not in page and "cdn" not in page.lower() and "https://" not in page
    policy = response["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "unsafe-eval" not in policy
    assert "/static/drf_spectacular_sidecar/" in page


def test_swagger_ui_script_and_assets_load(client: Client) -> None:
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()
    assert "<script>" not in client.get("/api/docs/").content.decode()
    asset = client.get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert asset.status_code == 200
