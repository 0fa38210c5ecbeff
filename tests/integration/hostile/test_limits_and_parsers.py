"""The defects of issue 14 one by one, each with its exact answer (the generated matrices
in this package throw every hostile body at every endpoint; these pin the behaviour)."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from core.json_parser import json_depth_exceeds
from core.request_limits import RequestBodyLimitMiddleware
from core.strict_numbers import ascii_int
from core.text_safety import bidi_controls_paired
from reviews.models import Review, ReviewStatus
from tests.integration.desk.factories import add_review
from tests.integration.hostile.conftest import World
from tests.integration.hostile.payloads import all_unicode_decimals, deep_array, deep_object

pytestmark = pytest.mark.django_db

REVIEW_BODY = "Stayed dry all night long, and easy to pitch."


def error_of(response: Any) -> dict[str, Any]:
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)["error"]  # type: ignore[no-any-return]


@pytest.fixture
def key_client(world: World) -> Client:
    return Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Api-Key {world.key}")


def post_review(client: Client, world: World, body: bytes | dict[str, Any], **extra: Any) -> Any:
    data = body if isinstance(body, bytes) else json.dumps(body)
    url = f"/api/v1/products/{world.p3.sku}/reviews/"
    return client.post(url, data, content_type="application/json", **extra)


# --- Unicode digits ---------------------------------------------------------------------
@pytest.mark.parametrize("digit", ["²", "①", "٣", "３"])
def test_moderation_decide_with_a_unicode_digit_is_a_form_error_not_a_500(
    world: World, poster_client: Client, digit: str
) -> None:
    pending = add_review(world.p1, rating=2, status=ReviewStatus.PENDING)
    response = poster_client.post(
        reverse("desk:moderation_decide"), {"decision": "approve:selected", "reviews": [digit]}
    )
    assert response.status_code == 400
    assert "Select at least one review." in response.content.decode()
    response = poster_client.post(reverse("desk:moderation_decide"), {"decision": f"approve:{digit}"})
    assert response.status_code == 400
    assert Review.objects.get(pk=pending.pk).status == ReviewStatus.PENDING


def test_every_unicode_decimal_digit_is_refused_by_the_one_parser() -> None:
    digits = all_unicode_decimals()
    assert len(digits) > 600  # every script's digits, not a sample
    assert all(int(digit) in range(10) for digit in digits)  # what int() makes of them
    assert all(ascii_int(digit) is None and ascii_int(f"1{digit}") is None for digit in digits)
    assert [ascii_int(text) for text in ("0", "42", "1_0", " 3", "+3", "-3", "9" * 5000, str(2**63))] == [
        0,
        42,
        None,
        None,
        None,
        None,
        None,
        None,
    ]
    assert ascii_int("5", minimum=1, maximum=4) is None and ascii_int(True) is None


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/products/?page=٣", "page"),
        ("/api/v1/products/?page_size=３", "page_size"),
        ("/api/v1/products/?min_count=٣", "min_count"),
        ("/api/v1/products/?min_average=٣", "min_average"),
        ("/api/v1/gate/events/?after_id=੩", "after_id"),
        ("/api/v1/ratings/?page_size=߂", "page_size"),
    ],
)
def test_a_numeric_query_parameter_in_another_script_is_a_400_naming_it(
    world: World, key_client: Client, url: str, field: str
) -> None:
    response = key_client.get(url)
    assert response.status_code == 400
    assert field in error_of(response)["fields"]


@pytest.mark.parametrize("stars", ["٣", "３", "²", "3.0", True])
def test_stars_in_another_script_or_type_are_refused(world: World, key_client: Client, stars: Any) -> None:
    body = {"rating": stars, "title": "Good tent", "body": REVIEW_BODY}
    response = post_review(key_client, world, body)
    assert response.status_code == 400
    assert error_of(response)["fields"] == {"rating": ["Enter a whole number (without quotes or a decimal point)."]}
    assert not Review.objects.filter(product=world.p3).exists()


def test_desk_revision_in_another_script_shows_the_current_revision(world: World, poster_client: Client) -> None:
    url = reverse("desk:product_reviews", args=[world.p1.sku])
    assert poster_client.get(url, {"revision": "٠", "phrase": "a\x00b"}).status_code == 200


# --- JSON: depth, encoding --------------------------------------------------------------
@pytest.mark.parametrize("body", [deep_array(2000), deep_object(2000), deep_array(65)], ids=["array", "object", "65"])
def test_json_nested_too_deep_is_a_400_in_the_error_shape(world: World, key_client: Client, body: bytes) -> None:
    response = post_review(key_client, world, body)
    assert response.status_code == 400
    assert error_of(response) == {
        "code": "json_too_deep",
        "message": "The JSON body is nested more than 64 levels deep.",
        "fields": {},
    }


def test_depth_counts_brackets_outside_strings_only() -> None:
    assert not json_depth_exceeds(deep_array(64), 64)
    assert json_depth_exceeds(deep_array(65), 64)
    assert not json_depth_exceeds(b'{"a": "' + b"[" * 500 + b'\\"["}', 64)


@pytest.mark.parametrize(
    ("body", "message_start"),
    [
        (b'{"title": "\xff"}', "The body is not valid UTF-8 (byte 11)"),
        (b'{"title": "\\ud800"}', "The JSON body has a \\u escape that is half of a character"),
        (b'{"rating": NaN}', "The body is not valid JSON"),
        (b'{"rating": ', "The body is not valid JSON"),
    ],
)
def test_bytes_that_are_not_json_are_a_400_parse_error(
    world: World, key_client: Client, body: bytes, message_start: str
) -> None:
    response = post_review(key_client, world, body)
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "parse_error"
    assert error["message"].startswith(message_start)


# --- Sizes ------------------------------------------------------------------------------
def test_api_body_at_its_limit_is_read_and_one_byte_more_is_a_413(
    world: World, key_client: Client, settings: Any
) -> None:
    settings.API_JSON_BODY_MAX_BYTES = 4096
    fitting = json.dumps({"rating": 4, "title": "Good tent", "body": REVIEW_BODY}).encode()
    fitting += b" " * (4096 - len(fitting))
    assert post_review(key_client, world, fitting).status_code == 201
    response = post_review(key_client, world, fitting + b" ")
    assert response.status_code == 413
    assert error_of(response) == {
        "code": "request_too_large",
        "message": "The request body is larger than this endpoint accepts: at most 4 KB.",
        "fields": {},
    }


def test_fifty_megabytes_declared_is_refused_without_reading_the_body(world: World, key_client: Client) -> None:
    # The test client's payload refuses to be read past its 2 bytes (AssertionError, a
    # 500): a 413 proves the body was never read.
    response = post_review(key_client, world, b"{}", CONTENT_LENGTH=str(50 * 1024 * 1024))
    assert response.status_code == 413
    assert error_of(response)["code"] == "request_too_large"


def test_a_site_form_over_its_limit_gets_the_sites_413_page(world: World, poster_client: Client) -> None:
    url = reverse("review_report", args=[world.review.pk])
    response = poster_client.post(url, {"reason": "other", "comment": "x" * (1024 * 1024)})
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "<h1>Request too large</h1>" in page and "at most 1,024 KB" in page and 'class="site-header"' in page


def test_a_body_without_content_length_is_counted_and_refused_past_the_limit(settings: Any) -> None:
    settings.API_JSON_BODY_MAX_BYTES = 1000
    read: list[int] = []

    def view(request: HttpRequest) -> HttpResponse:
        read.append(len(request.body))
        return HttpResponse("read")

    def chunked(size: int) -> HttpRequest:
        request = RequestFactory().post("/api/v1/webhooks/", b"", content_type="application/json")
        request.META.pop("CONTENT_LENGTH", None)
        request._stream = io.BytesIO(b"x" * size)  # what an ASGI server passes on
        return request

    middleware = RequestBodyLimitMiddleware(view)
    assert middleware(chunked(1000)).status_code == 200 and read == [1000]
    assert middleware(chunked(1001)).status_code == 413


# --- The text rule ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("title", "body", "field"),
    [
        ("Great\u202e tent", REVIEW_BODY, "title"),
        ("Great tent", REVIEW_BODY + " \u2067unclosed", "body"),
        ("Great\u200b tent", REVIEW_BODY, "title"),
        ("\ufeffGreat tent", REVIEW_BODY, "title"),
        ("Great tent", REVIEW_BODY + "\u202c", "body"),  # a closer without its opener
    ],
)
def test_unpaired_direction_controls_and_zero_width_in_titles_are_field_errors(
    world: World, key_client: Client, title: str, body: str, field: str
) -> None:
    response = post_review(key_client, world, {"rating": 4, "title": title, "body": body})
    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == [field]


def test_paired_direction_controls_and_joiners_in_texts_are_kept(world: World, key_client: Client) -> None:
    title = "Tente \u202bשלום\u202c great"
    body = REVIEW_BODY + " \u2067مرحبا\u2069 family \U0001f468\u200d\U0001f469\u200d\U0001f467"
    response = post_review(key_client, world, {"rating": 4, "title": title, "body": body})
    assert response.status_code == 201
    stored = Review.objects.get(pk=response.json()["id"])
    assert (stored.title, stored.body) == (title, body)


def test_the_review_form_and_the_profile_say_what_is_wrong(world: World, poster_client: Client) -> None:
    url = reverse("review_create", args=[world.p1.sku])
    response = poster_client.post(
        url, {"rating": "4", "title": "Great\u202e tent", "body": REVIEW_BODY, "language": "en"}
    )
    assert response.status_code in (200, 400)
    assert "direction control character" in response.content.decode()
    response = poster_client.post(
        reverse("profile"), {"display_name": "Cam\u200bille", "email": "poster@example.com", "language": "en"}
    )
    assert response.status_code in (200, 400)
    assert "invisible character" in response.content.decode()


def test_bidi_pairing_follows_lines_and_kinds() -> None:
    assert bidi_controls_paired("a \u202eb\u202c c \u2066d\u2069")
    assert not bidi_controls_paired("a \u202eb\nc\u202c")  # closed on another line
    assert not bidi_controls_paired("\u2066a\u202c")  # an isolate closed as an embedding
