from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from core.ratelimit import rate_limit_hit
from reviews.models import ReviewReport, ReviewVote
from tests.integration.site.factories import PASSWORD, product_create, review_create, user_create

pytestmark = pytest.mark.django_db


def test_window_allows_the_limit_then_refuses_until_it_ends(settings: Any) -> None:
    settings.RATELIMITS = {"vote": (2, 60)}
    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.1")
    request.user = type("Anon", (), {"is_authenticated": False})()
    first = rate_limit_hit(request, "vote", now=120.0)
    second = rate_limit_hit(request, "vote", now=150.0)
    third = rate_limit_hit(request, "vote", now=179.0)
    assert (first.allowed, second.allowed, third.allowed) == (True, True, False)
    assert third.retry_after == 1
    assert rate_limit_hit(request, "vote", now=180.0).allowed  # the next window
    other = RequestFactory().post("/", REMOTE_ADDR="10.0.0.2")
    other.user = request.user
    assert rate_limit_hit(other, "vote", now=179.0).allowed  # per client


def test_unknown_scope_is_a_programming_error() -> None:
    request = RequestFactory().get("/")
    with pytest.raises(ValueError, match="unknown rate-limit scope"):
        rate_limit_hit(request, "nope")


def test_too_many_votes_get_a_429_page_with_retry_after(client: Client, settings: Any) -> None:
    settings.RATELIMITS = {"vote": (2, 600)}
    review = review_create(product=product_create())
    client.force_login(user_create())
    url = reverse("review_vote", kwargs={"pk": review.pk})
    assert client.post(url, {"helpful": "yes"}).status_code == 302
    assert client.post(url, {"helpful": "no"}).status_code == 302
    refused = client.post(url, {"helpful": "yes"})
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 600
    html = refused.content.decode()
    assert "Too many requests" in html and "Please try again in" in html
    assert ReviewVote.objects.get().helpful is False  # the third vote was not counted
    as_json = client.post(url, {"helpful": "yes"}, HTTP_ACCEPT="application/json")
    assert as_json.status_code == 429 and as_json.json()["error"]["code"] == "rate_limited"


def test_posting_reviews_is_limited(client: Client, settings: Any) -> None:
    settings.RATELIMITS = {"review_post": (1, 3600)}
    client.force_login(user_create())
    url = reverse("review_create", kwargs={"sku": product_create().sku})
    second = reverse("review_create", kwargs={"sku": product_create().sku})
    valid = {"rating": "5", "title": "Fine", "body": "Comfortable from the first day on.", "language": "en"}
    assert client.post(url, {"rating": "5"}).status_code == 400  # invalid: not counted
    assert client.post(url, valid).status_code == 302
    assert client.post(second, valid).status_code == 429
    assert client.get(url).status_code == 200  # reading the form is never limited


def test_reports_are_limited(client: Client, settings: Any) -> None:
    settings.RATELIMITS = {"report": (1, 3600)}
    product = product_create()
    first, second = review_create(product=product), review_create(product=product)
    client.force_login(user_create())
    assert client.post(reverse("review_report", kwargs={"pk": first.pk}), {"reason": "spam"}).status_code == 302
    assert client.post(reverse("review_report", kwargs={"pk": second.pk}), {"reason": "spam"}).status_code == 429
    assert ReviewReport.objects.count() == 1


def test_failed_sign_ins_are_limited_per_address_and_per_account(client: Client, settings: Any) -> None:
    settings.RATELIMITS = {"login": (3, 300), "login_account": (2, 300)}
    user_create(username="target")
    url = reverse("login")
    assert client.post(url, {"username": "target", "password": "x"}, REMOTE_ADDR="10.0.0.1").status_code == 200
    assert client.post(url, {"username": "TARGET", "password": "y"}, REMOTE_ADDR="10.0.0.2").status_code == 200
    # A third try at the same account, from yet another address, is refused, right password or not...
    locked = client.post(url, {"username": "target", "password": PASSWORD}, REMOTE_ADDR="10.0.0.3")
    assert locked.status_code == 429
    assert "Too many requests" in locked.content.decode()
    # ...while the first address, with one failure, may still sign in to another account.
    user_create(username="other")
    assert client.post(url, {"username": "other", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1").status_code == 302


def test_successful_sign_ins_are_never_counted(client: Client, settings: Any) -> None:
    settings.RATELIMITS = {"login": (1, 300), "login_account": (1, 300)}
    user_create(username="regular")
    for _ in range(4):
        client.logout()
        response = client.post(reverse("login"), {"username": "regular", "password": PASSWORD})
        assert response.status_code == 302
    client.logout()
    assert client.post(reverse("login"), {"username": "regular", "password": "typo"}).status_code == 200
    assert client.post(reverse("login"), {"username": "regular", "password": PASSWORD}).status_code == 429


def _signup(client: Client, number: int) -> Any:
    form = {
        "username": f"newcomer{number}",
        "email": f"newcomer{number}@example.com",
        "display_name": f"Newcomer {number}",
        "language": "en",
        "password1": "a-very-long-passphrase-7",
        "password2": "a-very-long-passphrase-7",
    }
    return client.post(reverse("signup"), form)


def test_signup_is_limited_counting_only_valid_forms(client: Client, settings: Any) -> None:
    settings.RATELIMITS = {"signup": (1, 3600)}
    assert client.post(reverse("signup"), {"username": "a"}).status_code == 400  # invalid: not counted
    assert _signup(client, 1).status_code == 302
    assert _signup(client, 2).status_code == 429


def test_limits_can_be_switched_off(client: Client, settings: Any) -> None:
    settings.RATELIMITS = {"signup": (1, 3600)}
    settings.RATELIMIT_ENABLED = False
    for number in range(3):
        assert _signup(client, number).status_code == 302
