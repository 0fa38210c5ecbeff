from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.api.conftest import error_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def tight_rates(settings: Any) -> None:
    settings.RATELIMIT_ENABLED = True  # off for the other API tests (tests/api/conftest.py)
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/min", "user": "3/min", "api_key": "4/min"},
    }


def exhaust(client: APIClient, allowed: int, **extra: Any) -> Any:
    for _ in range(allowed):
        assert client.get("/api/v1/products/", **extra).status_code == 200
    return client.get("/api/v1/products/", **extra)


def test_anonymous_callers_are_throttled_per_ip_with_retry_after(actors: dict[str, Any], tight_rates: None) -> None:
    response = exhaust(APIClient(), 2)
    assert response.status_code == 429
    assert error_of(response)["code"] == "throttled"
    assert 0 < int(response["Retry-After"]) <= 60
    assert APIClient().get("/api/v1/products/", REMOTE_ADDR="10.0.0.9").status_code == 200


def test_a_forged_forwarded_for_header_does_not_reset_the_budget(actors: dict[str, Any], tight_rates: None) -> None:
    client = APIClient()
    exhaust(client, 2)
    assert client.get("/api/v1/products/", HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429


def test_users_and_keys_have_their_own_budgets(
    actors: dict[str, Any], client_as: Callable[[str], APIClient], tight_rates: None
) -> None:
    assert exhaust(APIClient(), 2).status_code == 429  # the shared IP's anonymous budget is spent
    assert exhaust(client_as("shopper"), 3).status_code == 429
    assert client_as("manager").get("/api/v1/products/").status_code == 200
    assert exhaust(client_as("key_read"), 4).status_code == 429
    # Another key of the same owner, and the owner's session, are counted apart.
    assert client_as("key_read_write").get("/api/v1/products/").status_code == 200
    assert client_as("manager").get("/api/v1/products/").status_code == 200


def test_writes_are_throttled_too(
    actors: dict[str, Any], client_as: Callable[[str], APIClient], tight_rates: None
) -> None:
    client = client_as("shopper")
    for _ in range(3):
        client.get("/api/v1/products/")
    response = client.post("/api/v1/products/P1/reviews/", {"rating": 5}, format="json")
    assert response.status_code == 429
    assert response["Retry-After"]


def test_wrong_method_is_405_in_the_error_format(actors: dict[str, Any], client_as: Callable[[str], APIClient]) -> None:
    response = client_as("shopper").put("/api/v1/products/P1/", {}, format="json")
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"


@pytest.mark.parametrize("url", ["/api/v1/nothing/", "/api/v1/products", "/api/v2/products/", "/api/"])
def test_unknown_api_urls_are_404_in_the_error_format(actors: dict[str, Any], url: str) -> None:
    response = APIClient().get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert error_of(response)["code"] == "not_found"


def test_unknown_api_urls_answer_writes_with_a_json_404_too(actors: dict[str, Any]) -> None:
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(actors["shopper"])
    response = client.post("/api/v1/reviews/0.5/votes/", {"helpful": True}, format="json")
    assert response.status_code == 404
    error_of(response)


def test_api_root_lists_the_endpoints(actors: dict[str, Any]) -> None:
    body = APIClient().get("/api/v1/").json()
    assert {"products", "ratings", "gate/events", "gate/notices", "webhooks"} <= set(body)


def test_head_answers_like_get_without_a_body(actors: dict[str, Any]) -> None:
    response = APIClient().head("/api/v1/products/P1/")
    assert response.status_code == 200
    assert response["ETag"]
    assert response.content == b""


def test_json_is_the_only_format(actors: dict[str, Any]) -> None:
    response = APIClient().get("/api/v1/products/", HTTP_ACCEPT="text/html")
    assert response.status_code == 406
    assert error_of(response)["code"] == "not_acceptable"


def test_switching_rate_limits_off_switches_the_api_throttles_off_too(
    actors: dict[str, Any], tight_rates: None, settings: Any
) -> None:
    # RATELIMIT_ENABLED=0 is "every limit off" (load tests, fuzzing, fault tests).
    settings.RATELIMIT_ENABLED = False
    assert exhaust(APIClient(), 2).status_code == 200
