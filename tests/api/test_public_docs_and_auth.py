"""Issue 18, item 11: the docs show public endpoints as public, the schema stays readable
once a caller is throttled, and a key sent with the wrong scheme is told the right one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import call_command
from rest_framework.test import APIClient

from apikeys.models import ApiKeyScope
from apikeys.services import api_key_create
from tests.api.conftest import error_of
from tests.api.test_errors_and_throttles import exhaust, tight_rates  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db

# What an anonymous caller may do (IsAuthenticatedOrReadOnly's safe methods on the public
# catalogue); everything else needs an account or a key.
PUBLIC_OPERATIONS = {
    ("get", "/api/v1/products/"),
    ("get", "/api/v1/products/{sku}/"),
    ("get", "/api/v1/ratings/"),
    ("get", "/api/v1/products/{product_sku}/reviews/"),
    ("get", "/api/v1/reviews/{id}/"),
    ("get", "/api/v1/gate/events/"),
    ("get", "/api/v1/gate/events/{id}/"),
}


@pytest.fixture(scope="module")
def schema(django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("schema") / "schema.yaml"
    with django_db_blocker.unblock():
        call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    return yaml.safe_load(Path(out).read_text())  # type: ignore[no-any-return]


def test_public_operations_declare_no_credentials_so_swagger_draws_no_padlock(schema: dict[str, Any]) -> None:
    # Swagger UI draws no padlock when `security` is absent or exactly `[{}]` (optional).
    declared = {
        (method, path): operation.get("security")
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    }
    assert declared.keys() >= PUBLIC_OPERATIONS
    for operation, security in declared.items():
        if operation in PUBLIC_OPERATIONS:
            assert security == [{}], operation
        else:
            assert security and {} not in security and {"ApiKeyAuth": []} in security, operation


def test_the_schema_is_served_to_a_caller_the_api_throttles(actors: dict[str, Any], tight_rates: None) -> None:  # noqa: F811
    client = APIClient()
    assert exhaust(client, 2).status_code == 429
    for _ in range(3):
        response = client.get("/api/schema/")
        assert response.status_code == 200
        assert b"openapi:" in response.content
    assert client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()["info"]["title"]


def test_the_schema_is_built_once_per_language_whatever_the_query(actors: dict[str, Any]) -> None:
    client = APIClient()
    english = client.get("/api/schema/?lang=en&version=x1").content
    assert client.get("/api/schema/?lang=xx-nope&version=x2").content == english
    french = client.get("/api/schema/?lang=fr").content
    assert french != english  # the help texts are translated


@pytest.mark.parametrize("scheme", ["Bearer", "bearer", "Token", "JWT"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_key_sent_as_bearer_is_a_401_naming_the_api_key_scheme(
    actors: dict[str, Any], scheme: str, method: str
) -> None:
    key = api_key_create(name="ERP", owner=actors["manager"], scopes=[ApiKeyScope.READ, ApiKeyScope.WRITE]).plaintext
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{scheme} {key}")
    if method == "get":
        response = client.get("/api/v1/products/")
    else:
        response = client.post("/api/v1/products/P1/reviews/", {"rating": 4}, format="json")

    assert response.status_code == 401
    error = error_of(response)
    assert error["code"] == "authentication_failed"
    assert "Authorization: Api-Key <key>" in error["message"]
    assert scheme.upper() in error["message"].upper()
    assert response["WWW-Authenticate"] == 'Api-Key realm="api"'


def test_a_key_sent_without_a_scheme_is_refused_without_repeating_it(actors: dict[str, Any]) -> None:
    key = api_key_create(name="ERP", owner=actors["manager"], scopes=[ApiKeyScope.READ]).plaintext
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=key)

    response = client.get("/api/v1/products/")

    assert response.status_code == 401
    assert "Api-Key" in error_of(response)["message"]
    assert key[:8].encode() not in response.content
    assert response["WWW-Authenticate"] == 'Api-Key realm="api"'


@pytest.mark.parametrize("header", ["Basic c3RhZ2luZzpzZWNyZXQ=", 'Digest username="staging"', "Negotiate YIIC"])
def test_the_credentials_of_a_server_in_front_are_left_alone(actors: dict[str, Any], header: str) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    assert client.get("/api/v1/products/").status_code == 200
