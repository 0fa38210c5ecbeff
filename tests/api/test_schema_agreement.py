"""The code accepts exactly what the OpenAPI schema says is valid (what Schemathesis found).

Each test is one finding of `.ci/schemathesis.sh --checks all` (issue 14, item 6): the API
accepted what its schema calls invalid (negative_data_rejection) or refused what it calls
valid (positive_data_acceptance). Fixed at the root: strict JSON types in request bodies
(core.api_fields), strict filters, and a schema that states the filters' rules
(core.api_filter_schema).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from core.api_http import SafeIsoDateTimeField
from gate.models import GateEvent, Improvement, ImprovementRequest
from gate.policy import EventKind
from gate.services.approvals import improvement_request_submit
from notifications.models import WebhookEndpoint
from notifications.webhooks import URL_MAX_LENGTH, WEBHOOK_URL_PATTERN, webhook_endpoint_errors
from products.models import Product
from reviews.models import Review, ReviewReport, ReviewVote
from tests.api.conftest import error_of


@pytest.fixture
def schema() -> dict[str, Any]:
    response = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


def query_parameter(schema: dict[str, Any], path: str, name: str) -> dict[str, Any]:
    parameters = schema["paths"][path]["get"]["parameters"]
    return next(parameter for parameter in parameters if parameter["name"] == name)


# --- Request bodies: a JSON type other than the schema's is a 400 -------------------------
@pytest.fixture
def review(actors: dict[str, Any], write_review: Callable[..., Review]) -> Review:
    return write_review(actors["product"], 4)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"helpful": 0}, "helpful"),  # was counted as "not helpful"
        ({"helpful": 1}, "helpful"),
        ({"helpful": "true"}, "helpful"),
        ({"helpful": "yes"}, "helpful"),
    ],
)
def test_a_vote_must_be_json_true_or_false(
    client_as: Callable[[str], APIClient], review: Review, body: dict[str, Any], field: str
) -> None:
    response = client_as("shopper").post(f"/api/v1/reviews/{review.pk}/votes/", body, format="json")
    assert response.status_code == 400, response.content
    assert list(error_of(response)["fields"]) == [field]
    assert not ReviewVote.objects.exists()


def test_a_vote_of_json_false_is_taken(client_as: Callable[[str], APIClient], review: Review) -> None:
    response = client_as("shopper").post(f"/api/v1/reviews/{review.pk}/votes/", {"helpful": False}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["helpful_no"] == 1


def test_a_report_comment_must_be_a_string(client_as: Callable[[str], APIClient], review: Review) -> None:
    body = {"reason": "other", "comment": 0}  # was stored as the comment "0"
    response = client_as("shopper").post(f"/api/v1/reviews/{review.pk}/reports/", body, format="json")
    assert response.status_code == 400, response.content
    assert list(error_of(response)["fields"]) == ["comment"]
    assert not ReviewReport.objects.exists()


@pytest.mark.parametrize(
    "body", [{"title": 12345}, {"body": 1.5}, {"title": ["Light"]}, {"rating": "4"}, {"rating": 4.0}, {"rating": True}]
)
def test_a_review_rating_title_and_text_take_their_json_types(
    client_as: Callable[[str], APIClient], actors: dict[str, Any], body: dict[str, Any]
) -> None:
    review = {"rating": 4, "title": "Light and grippy", "body": "Did 300 km on wet trails, no wear.", **body}
    response = client_as("shopper").post(f"/api/v1/products/{actors['product'].sku}/reviews/", review, format="json")
    assert response.status_code == 400, response.content
    assert list(error_of(response)["fields"]) == list(body)
    assert not Review.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"description": 0}, "description"),  # was stored as the description "0"
        ({"url": 8080}, "url"),
    ],
)
def test_webhook_fields_must_be_strings(
    client_as: Callable[[str], APIClient], body: dict[str, Any], field: str
) -> None:
    endpoint = {"url": "https://erp.example.com/hooks/reviewgate", "events": ["withdrawn"], **body}
    response = client_as("quality_director").post("/api/v1/webhooks/", endpoint, format="json")
    assert response.status_code == 400, response.content
    assert list(error_of(response)["fields"]) == [field]
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"addressed_phrases": [0]}, "addressed_phrases.0"),  # was stored as the phrase "0"
        ({"description": 42}, "description"),
        ({"public_note": True}, "public_note"),
    ],
)
def test_improvement_fields_must_be_strings(
    client_as: Callable[[str], APIClient], actors: dict[str, Any], body: dict[str, Any], field: str
) -> None:
    improvement = {"description": "Outsole compound changed to a harder rubber.", **body}
    url = f"/api/v1/products/{actors['product'].sku}/improvements/"
    response = client_as("quality_director").post(url, improvement, format="json")
    assert response.status_code == 400, response.content
    assert list(error_of(response)["fields"]) == [field]
    assert not Improvement.objects.exists()


@pytest.fixture
def pending_request(actors: dict[str, Any]) -> ImprovementRequest:
    return improvement_request_submit(
        product=actors["product"], by=actors["manager"], description="Harder outsole compound"
    )


def test_a_rejection_reason_must_be_a_string(
    client_as: Callable[[str], APIClient], pending_request: ImprovementRequest
) -> None:
    url = f"/api/v1/gate/improvement-requests/{pending_request.pk}/reject/"
    response = client_as("quality_director").post(url, {"reason": 404}, format="json")
    assert response.status_code == 400, response.content
    assert list(error_of(response)["fields"]) == ["reason"]
    pending_request.refresh_from_db()
    assert pending_request.state == ImprovementRequest.State.PENDING


# --- Improvement requests: `state` is one of its choices ----------------------------------
def test_an_unknown_improvement_request_state_is_400(
    client_as: Callable[[str], APIClient], pending_request: ImprovementRequest
) -> None:
    # It was ignored: every request came back, as if no filter had been asked for.
    response = client_as("quality_director").get("/api/v1/gate/improvement-requests/?state=AAA")
    assert response.status_code == 400, response.content
    assert list(error_of(response)["fields"]) == ["state"]


@pytest.mark.parametrize(("state", "expected"), [("pending", 1), ("approved", 0), ("", 1)])
def test_improvement_requests_filter_by_state(
    client_as: Callable[[str], APIClient], pending_request: ImprovementRequest, state: str, expected: int
) -> None:
    response = client_as("quality_director").get(f"/api/v1/gate/improvement-requests/?state={state}")
    assert response.status_code == 200, response.content
    assert response.json()["count"] == expected


# --- Query filters: the schema states what the code checks --------------------------------
@pytest.mark.parametrize(
    ("path", "name", "expected"),
    [
        ("/api/v1/gate/events/", "after_id", {"type": "integer", "minimum": 0, "maximum": 2**63 - 1}),
        ("/api/v1/products/", "min_count", {"type": "integer", "minimum": 0, "maximum": 2**31 - 1}),
        ("/api/v1/products/", "min_average", {"type": "number", "minimum": 0, "maximum": 5}),
        ("/api/v1/products/{product_sku}/reviews/", "current_revision", {"type": "boolean"}),
        ("/api/v1/gate/events/", "product", {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"}),
        ("/api/v1/ratings/", "cursor", {"type": "string", "pattern": "^[A-Za-z0-9_-]+$"}),
    ],
)
def test_the_schema_states_each_filters_rule(
    schema: dict[str, Any], path: str, name: str, expected: dict[str, Any]
) -> None:
    assert query_parameter(schema, path, name)["schema"] == expected


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("after_id=-1", "after_id"),
        ("day_from=03/31/2026", "day_from"),  # Django's other date formats: not the schema's
        ("day_from=2026-3-1", "day_from"),
        ("day_to=\u0662\u0660\u0662\u0666-\u0660\u0663-\u0660\u0661", "day_to"),  # Arabic-Indic digits
        ("day_to=2026-02-30", "day_to"),
    ],
)
def test_event_filters_refuse_what_the_schema_refuses(history_event: GateEvent, query: str, field: str) -> None:
    response = APIClient().get(f"/api/v1/gate/events/?{query}")
    assert response.status_code == 400, response.content
    assert list(error_of(response)["fields"]) == [field]


@pytest.fixture
def history_event(actors: dict[str, Any]) -> GateEvent:
    return GateEvent.objects.create(
        product=actors["product"], day=date(2026, 3, 2), kind=EventKind.FLAGGED, average="2.5", count=30, policy={}
    )


# An empty value is "not filtered", as the schema says (allowEmptyValue).
@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/api/v1/gate/events/", "day_to="),
        ("/api/v1/gate/events/", "after_id=&page=&page_size="),
        ("/api/v1/products/", "updated_since=&min_average=&on_sale="),
        ("/api/v1/products/P1/reviews/", "created_before=&current_revision="),
        ("/api/v1/ratings/", "cursor=&updated_since="),
    ],
)
def test_an_empty_filter_value_means_not_filtered(
    history_event: GateEvent, write_review: Callable[..., Review], schema: dict[str, Any], path: str, query: str
) -> None:
    write_review(history_event.product, 5)
    client = APIClient()
    unfiltered = client.get(path).json()["results"]
    response = client.get(f"{path}?{query}")
    assert response.status_code == 200, response.content
    assert response.json()["results"] == unfiltered and unfiltered
    schema_path = path.replace("P1", "{product_sku}")
    for name in parse_qs(query, keep_blank_values=True):
        assert query_parameter(schema, schema_path, name)["allowEmptyValue"] is True


def test_an_empty_multiple_choice_value_is_400_and_the_schema_does_not_allow_it(
    history_event: GateEvent, schema: dict[str, Any]
) -> None:
    response = APIClient().get("/api/v1/gate/events/?kind=")
    assert response.status_code == 400, response.content
    assert list(error_of(response)["fields"]) == ["kind"]
    assert "allowEmptyValue" not in query_parameter(schema, "/api/v1/gate/events/", "kind")


# --- min_average: any number from 0 to 5, compared exactly --------------------------------
@pytest.fixture
def rated(make_product: Callable[..., Product]) -> None:
    # Four reviews (three 4s and a 5) in both; only the stored averages matter here.
    figures = {"current_count": 4, "current_sum": 17, "current_4_star": 3, "current_5_star": 1}
    figures |= {"all_time_count": 4, "all_time_sum": 17, "all_time_4_star": 3, "all_time_5_star": 1}
    make_product("AVG-42500", current_average=Decimal("4.2500"), **figures)
    make_product("AVG-42499", current_average=Decimal("4.2499"), **figures)


def skus(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return sorted(row["sku"] for row in response.json()["results"])


@pytest.mark.parametrize(
    ("min_average", "expected"),
    [
        ("4.24999", ["AVG-42500"]),  # more decimals than stored: was a 400
        ("4.2500", ["AVG-42500"]),
        ("4.25001", []),
        ("1e-05", ["AVG-42499", "AVG-42500"]),  # a JSON number in exponent form: was a 400
        ("4", ["AVG-42499", "AVG-42500"]),
    ],
)
def test_min_average_takes_any_number_and_compares_exactly(rated: None, min_average: str, expected: list[str]) -> None:
    assert skus(APIClient().get(f"/api/v1/products/?min_average={min_average}")) == expected


@pytest.mark.parametrize("min_average", ["5.0001", "-0.1", "NaN", "Infinity", "\u0664", " 4", "4,5", "0x4"])
def test_min_average_outside_0_to_5_or_not_a_number_is_400(rated: None, min_average: str) -> None:
    response = APIClient().get("/api/v1/products/", {"min_average": min_average})
    assert response.status_code == 400, response.content
    assert list(error_of(response)["fields"]) == ["min_average"]


# --- The ratings cursor: only the alphabet the server writes ------------------------------
def test_a_cursor_with_characters_outside_its_alphabet_is_400(
    make_product: Callable[..., Product], schema: dict[str, Any]
) -> None:
    make_product("C1")
    make_product("C2")
    client = APIClient()
    next_link = client.get("/api/v1/ratings/?page_size=1").json()["next"]
    cursor = parse_qs(urlsplit(next_link).query)["cursor"][0]
    assert client.get("/api/v1/ratings/", {"cursor": cursor}).status_code == 200
    # base64 decoding skips what is not in its alphabet: this one used to read as `cursor`.
    response = client.get("/api/v1/ratings/", {"cursor": cursor + "!!!!"})
    assert response.status_code == 400, response.content
    assert list(error_of(response)["fields"]) == ["cursor"]


# --- Text in request bodies: the schema says "no NUL", as DRF's validator does ------------
def request_string_schemas(schema: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every free-text string a request body may hold: (component.property, its schema)."""
    bodies = json.dumps([op.get("requestBody", {}) for ops in schema["paths"].values() for op in ops.values()])
    referred = set(re.findall(r"#/components/schemas/(\w+)", bodies))
    for name in list(referred):  # one level of oneOf (ReportInputRequest's two shapes)
        referred |= set(re.findall(r"#/components/schemas/(\w+)", json.dumps(schema["components"]["schemas"][name])))
    found = []
    for name in sorted(referred):
        for prop, prop_schema in schema["components"]["schemas"][name].get("properties", {}).items():
            value_schema = prop_schema.get("items", prop_schema)
            # A file (format binary: a review's photos) is bytes, not text: decoded by Pillow.
            is_file = value_schema.get("format") == "binary"
            if value_schema.get("type") == "string" and "enum" not in value_schema and not is_file:
                found.append((f"{name}.{prop}", value_schema))
    return found


def test_every_text_in_a_request_body_refuses_nul_in_the_schema(schema: dict[str, Any]) -> None:
    texts = request_string_schemas(schema)
    assert {"ReviewInputRequest.title", "ImprovementInputRequest.addressed_phrases"} <= {name for name, _ in texts}
    for name, text in texts:
        pattern = text.get("pattern")
        assert pattern, name
        for text_with_nul in ("a\x00b", "https://shop.example/\x00"):
            assert re.search(pattern, text_with_nul) is None, name


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        (
            "/api/v1/products/P1/reviews/",
            {"rating": 4, "title": "Light", "body": "Did 300 km\x00 on wet trails."},
            "body",
        ),
        (
            "/api/v1/products/P1/improvements/",
            {"description": "Sole", "addressed_phrases": ["a\x00"]},
            "addressed_phrases.0",
        ),
    ],
)
def test_nul_in_a_text_is_400(
    client_as: Callable[[str], APIClient], actors: dict[str, Any], url: str, body: dict[str, Any], field: str
) -> None:
    response = client_as("quality_director").post(url, body, format="json")
    assert response.status_code == 400, response.content
    assert list(error_of(response)["fields"]) == [field]


# --- Webhook URLs: every address the schema promises, the service takes -----------------
LONG_HOST_URL = "https://" + ".".join(["0" * 63] + ["a" * 63] * 6 + ["a" * 43])  # Schemathesis' (seed 1)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(url=st.from_regex(WEBHOOK_URL_PATTERN))
def test_every_url_the_schema_allows_is_a_valid_webhook_url(url: str) -> None:
    assert "url" not in webhook_endpoint_errors(url=url[:URL_MAX_LENGTH], events=["withdrawn"])


@pytest.mark.parametrize(
    "url",
    [
        "https://9.221.217.181/P\u0011\U000a46ea",  # a control character and raw non-ASCII: not a URI
        "https://shop.example/a b",
        "https://shop.example/%zz",
        LONG_HOST_URL,
    ],
)
def test_a_webhook_url_that_is_not_a_uri_is_400(client_as: Callable[[str], APIClient], url: str) -> None:
    # The first was registered (201) and then served back against the schema's `format: uri`.
    body = {"url": url, "events": ["withdrawn"]}
    response = client_as("quality_director").post("/api/v1/webhooks/", body, format="json")
    assert response.status_code == 400, response.content
    assert list(error_of(response)["fields"]) == ["url"]
    assert not WebhookEndpoint.objects.exists()


def test_a_host_longer_than_dns_allows_is_outside_the_schema() -> None:
    assert "url" in webhook_endpoint_errors(url=LONG_HOST_URL, events=["withdrawn"])
    assert re.search(WEBHOOK_URL_PATTERN, LONG_HOST_URL) is None


# --- Date-times with any ISO 8601 offset (PostgreSQL takes at most 15:59) -----------------
@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/api/v1/products/", "updated_since"),
        ("/api/v1/ratings/", "updated_since"),
        ("/api/v1/products/P1/reviews/", "created_after"),
    ],
)
def test_a_moment_with_a_large_utc_offset_is_taken(actors: dict[str, Any], path: str, name: str) -> None:
    # Was a 500 on PostgreSQL ("time zone displacement out of range"): Schemathesis' finding.
    response = APIClient().get(path, {name: "2026-01-29T17:29:56.5-16:33"})
    assert response.status_code == 200, response.content


def test_filter_moments_reach_the_database_in_utc() -> None:
    moment = SafeIsoDateTimeField().to_python("2026-01-29T17:29:56.5+19:46")
    assert moment == datetime(2026, 1, 28, 21, 43, 56, 500000, tzinfo=UTC)
    assert moment.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    "url",
    [
        "https://erp.example.com/hooks\x07/reviewgate",  # a control character
        "https://erp.example.com/crochets/réception",  # raw non-ASCII: no URI
        "https://erp.example.com/a b",  # a raw space
    ],
)
def test_the_admin_and_the_api_refuse_the_same_addresses_that_are_no_uri(url: str) -> None:
    # The one rule (notifications.webhooks) serves the admin's form and the API alike.
    assert "url" in webhook_endpoint_errors(url=url, events=["withdrawn"])
    assert re.search(WEBHOOK_URL_PATTERN, url) is None
