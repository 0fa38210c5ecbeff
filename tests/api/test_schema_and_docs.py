from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import schemathesis.openapi
import yaml
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient
from schemathesis.generation import GenerationMode

from accounts.roles import SHOPPER
from reviews.models import REPORT_REASONS, ReviewReport
from reviews.services import review_submit

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


# --- The report body: the schema says what the service accepts --------------------------
REPORT_PATH = "/api/v1/reviews/{id}/reports/"


def _component(schema: dict[str, Any], ref: str) -> dict[str, Any]:
    return schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]  # type: ignore[no-any-return]


def _reasons(schema: dict[str, Any], shape: dict[str, Any]) -> set[str]:
    reason = shape["properties"]["reason"]
    ref = reason["$ref"] if "$ref" in reason else reason["allOf"][0]["$ref"]
    return set(_component(schema, ref)["enum"])


def _matches(pattern: str, text: str) -> bool:
    """A schema's pattern read as ECMA-262 reads it: unanchored, `\\uXXXX` escapes."""
    return re.search(pattern, text) is not None


def test_the_report_body_lists_the_reportable_reasons_and_says_other_needs_a_comment(
    schema: dict[str, Any],
) -> None:
    reportable = {reason.value for reason in REPORT_REASONS}
    assert "author_deleted" not in reportable
    body = schema["paths"][REPORT_PATH]["post"]["requestBody"]["content"]["application/json"]["schema"]
    shapes = [_component(schema, branch["$ref"]) for branch in _component(schema, body["$ref"])["oneOf"]]
    by_reasons = {frozenset(_reasons(schema, shape)): shape for shape in shapes}
    assert set(by_reasons) == {frozenset(reportable - {"other"}), frozenset({"other"})}

    listed = by_reasons[frozenset(reportable - {"other"})]
    assert listed["required"] == ["reason"]
    # A comment, or a blank one (drf-spectacular's alternative for a blank-allowed pattern).
    written, blank = listed["properties"]["comment"]["oneOf"]
    assert blank == {"type": "string", "maxLength": 0}
    assert written["maxLength"] == 1000
    assert _matches(written["pattern"], "Copied from\nanother site") and _matches(written["pattern"], "  ")
    assert not _matches(written["pattern"], "a\x00b") and not _matches(written["pattern"], "")

    other = by_reasons[frozenset({"other"})]
    assert set(other["required"]) == {"reason", "comment"}
    comment = other["properties"]["comment"]
    assert comment["minLength"] == 1 and comment["maxLength"] == 1000
    assert _matches(comment["pattern"], " Copied from another site ") and _matches(comment["pattern"], "\ufeff")
    # Nothing but what str.strip() removes (the service's reading), or a NUL: refused.
    spaces = "".join(chr(code) for code in range(sys.maxunicode + 1) if chr(code).isspace())
    for text in ("", spaces, "\x00", "a\x00b", *spaces):
        assert not _matches(comment["pattern"], text), repr(text)

    # The answer's reason: the same list (a report is never `author_deleted`).
    answer = schema["paths"][REPORT_PATH]["post"]["responses"]["201"]["content"]["application/json"]["schema"]
    assert _reasons(schema, _component(schema, answer["$ref"])) == reportable


def test_report_bodies_generated_from_the_schema_are_accepted(
    schema: dict[str, Any], make_user: Callable[..., Any], make_product: Callable[..., Any]
) -> None:
    """What Schemathesis does in CI, on this one operation: every body its positive mode
    draws from the schema is a report the service takes (201), none is refused (400)."""
    author = make_user(SHOPPER, username="author")
    review = review_submit(
        product=make_product("P1"),
        author=author,
        rating=2,
        title="Meh",
        body="A long enough review body.",
        language="en",
    )
    client = APIClient()
    client.force_login(make_user(SHOPPER, username="reporter"))
    operation = schemathesis.openapi.from_dict(schema)[REPORT_PATH]["POST"]
    seen: set[str] = set()

    @hypothesis.settings(
        max_examples=120,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(hypothesis.HealthCheck),
    )
    @hypothesis.given(case=operation.as_strategy(GenerationMode.POSITIVE, path_parameters={"id": review.pk}))
    def report(case: Any) -> None:
        ReviewReport.objects.all().delete()  # one open report per user and review
        response = client.post(f"/api/v1/reviews/{review.pk}/reports/", case.body, format="json")
        assert response.status_code == 201, (case.body, response.content)
        seen.add(case.body["reason"])

    report()
    assert "other" in seen and seen - {"other"}  # both shapes were drawn
