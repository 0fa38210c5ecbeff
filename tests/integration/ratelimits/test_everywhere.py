"""One limit everywhere: reviews, votes and reports are limited the same through a page, a
session on the API and an API key (per key, and per customer it posts for); only attempts
that would succeed count; a refused form keeps what was typed."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from apikeys.services import api_key_create
from core.ratelimit import rate_limit_action
from products.models import Product
from reviews.models import Review, ReviewReport, ReviewVote
from tests.integration.site.factories import product_create, review_create, user_create

pytestmark = pytest.mark.django_db

LIMIT = 3
VALID_REVIEW = {
    "rating": 4,
    "title": "Light and grippy",
    "body": "Did 300 km on wet trails, no blisters.",
    "language": "en",
}
PATHS = ("site", "api_session", "api_key")
ACTIONS = ("review_post", "vote", "report")
# What each path answers when the action is done.
DONE = {
    ("site", "review_post"): 302,
    ("site", "vote"): 302,
    ("site", "report"): 302,
    ("api", "review_post"): 201,
    ("api", "vote"): 200,
    ("api", "report"): 201,
}


@dataclass
class Actor:
    """One shopper, able to act through each path."""

    user: User
    site: Client
    api_session: APIClient
    api_key: APIClient

    def act(self, path: str, action: str, target: Product | Review, **data: Any) -> Any:
        if path == "site":
            return self._site(action, target, **data)
        client = self.api_session if path == "api_session" else self.api_key
        if action == "review_post":
            assert isinstance(target, Product)
            return client.post(f"/api/v1/products/{target.sku}/reviews/", data or VALID_REVIEW, format="json")
        if action == "vote":
            return client.post(f"/api/v1/reviews/{target.pk}/votes/", data or {"helpful": True}, format="json")
        return client.post(f"/api/v1/reviews/{target.pk}/reports/", data or {"reason": "spam"}, format="json")

    def _site(self, action: str, target: Product | Review, **data: Any) -> Any:
        if action == "review_post":
            assert isinstance(target, Product)
            return self.site.post(reverse("review_create", kwargs={"sku": target.sku}), data or VALID_REVIEW)
        if action == "vote":
            return self.site.post(reverse("review_vote", kwargs={"pk": target.pk}), data or {"helpful": "yes"})
        return self.site.post(reverse("review_report", kwargs={"pk": target.pk}), data or {"reason": "spam"})


def actor_create(user: User | None = None) -> Actor:
    user = user or user_create()
    site, api_session, api_key = Client(), APIClient(), APIClient()
    site.force_login(user)
    api_session.force_login(user)
    key = api_key_create(name="Shop", owner=user, scopes=["read", "write"]).plaintext
    api_key.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return Actor(user=user, site=site, api_session=api_session, api_key=api_key)


def targets(action: str, count: int) -> list[Any]:
    """Things to act on, one per attempt: products to review, others' reviews to judge."""
    if action == "review_post":
        return [product_create() for _ in range(count)]
    product = product_create()
    return [review_create(product=product, author=user_create()) for _ in range(count)]


def done_status(path: str, action: str) -> int:
    return DONE[("site" if path == "site" else "api", action)]


def stored(action: str, user: User) -> int:
    if action == "review_post":
        return Review.objects.filter(author=user).count()
    if action == "vote":
        return ReviewVote.objects.filter(voter=user).count()
    return ReviewReport.objects.filter(reporter=user).count()


@pytest.fixture(autouse=True)
def _limits(settings: Any) -> None:
    settings.RATELIMIT_ENABLED = True
    settings.REVIEWS_PREMODERATION = False
    settings.RATELIMITS = {scope: (LIMIT, 3600) for scope in ACTIONS}


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("path", PATHS)
def test_each_path_allows_exactly_the_limit(path: str, action: str) -> None:
    actor = actor_create()
    statuses = [actor.act(path, action, target).status_code for target in targets(action, LIMIT + 2)]
    assert statuses == [done_status(path, action)] * LIMIT + [429, 429]
    assert stored(action, actor.user) == LIMIT


@pytest.mark.parametrize("action", ACTIONS)
def test_the_site_and_the_api_share_one_budget(action: str) -> None:
    actor = actor_create()
    things = targets(action, LIMIT + len(PATHS))
    for path, target in zip(PATHS, things[:LIMIT], strict=True):
        assert actor.act(path, action, target).status_code == done_status(path, action)
    for path, target in zip(PATHS, things[LIMIT:], strict=True):
        assert actor.act(path, action, target).status_code == 429, path
    assert stored(action, actor.user) == LIMIT


def test_the_api_refuses_in_its_error_shape_with_retry_after() -> None:
    actor = actor_create()
    for product in targets("review_post", LIMIT):
        assert actor.act("api_session", "review_post", product).status_code == 201
    refused = actor.act("api_key", "review_post", product_create())
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    error = refused.json()["error"]
    assert error["code"] == "throttled" and error["fields"] == {}
    assert error["message"].startswith("You have posted or edited as many reviews as allowed: 3 per hour.")
    assert "Please try again in" in error["message"]


def test_a_key_is_limited_per_key_and_its_owner_per_account(settings: Any) -> None:
    settings.RATELIMITS = {"review_post": (LIMIT, 3600), "review_post_key": (2, 3600)}
    actor = actor_create()
    products = targets("review_post", 4)
    assert [actor.act("api_key", "review_post", p).status_code for p in products[:3]] == [201, 201, 429]
    message = actor.act("api_key", "review_post", products[3]).json()["error"]["message"]
    assert message.startswith("This API key has posted as many reviews as allowed: 2 per hour.")
    # The key's limit is the key's: its owner's own account still has one review left.
    assert actor.act("site", "review_post", products[2]).status_code == 302
    assert actor.act("api_session", "review_post", products[3]).status_code == 429


def test_a_key_posting_for_customers_is_limited_per_customer_and_per_key(settings: Any) -> None:
    settings.RATELIMITS = {"review_post": (2, 3600), "review_post_key": (3, 3600)}
    owner = user_create()
    request = SimpleNamespace(user=owner, auth=SimpleNamespace(prefix="a1b2c3d4"), META={"REMOTE_ADDR": "10.0.0.9"})

    def post_for(customer: str) -> Any:
        return rate_limit_action(request, "review_post", customer=customer)  # type: ignore[arg-type]

    assert post_for("Camille Durand").refused is None
    assert post_for("  camille   DURAND ").refused is None  # the same customer, however typed
    same = post_for("CAMILLE DURAND")
    assert same.refused is not None and same.refused.scope == "review_post"
    expected = "an API key may post at most 3 reviews per hour, and at most 2 per hour for each customer."
    assert expected in same.message()
    assert post_for("Someone Else").refused is None  # the refused attempt gave the key's count back
    by_key = post_for("A Third Customer")
    assert by_key.refused is not None and by_key.refused.scope == "review_post_key"
    assert expected in by_key.message()
    # Another key's customers are counted apart.
    request.auth = SimpleNamespace(prefix="ffff0000")
    assert post_for("Camille Durand").refused is None


def test_invalid_reviews_and_duplicates_do_not_count(settings: Any) -> None:
    settings.RATELIMITS = {"review_post": (2, 3600)}
    actor = actor_create()
    first, second, third = targets("review_post", 3)
    for _ in range(3):
        assert actor.act("site", "review_post", first, rating="5").status_code == 400
        assert actor.act("api_session", "review_post", first, rating=9).status_code == 400
        assert actor.act("api_key", "review_post", first, rating=4, title="").status_code == 400
    assert actor.act("site", "review_post", first).status_code == 302
    for _ in range(3):
        assert actor.act("api_key", "review_post", first).status_code == 409  # a duplicate
        assert actor.act("api_session", "review_post", first).status_code == 409
        assert actor.act("site", "review_post", first).status_code == 409
    assert actor.act("api_session", "review_post", second).status_code == 201
    assert actor.act("site", "review_post", third).status_code == 429


def test_invalid_votes_and_reports_do_not_count(settings: Any) -> None:
    settings.RATELIMITS = {"vote": (1, 600), "report": (2, 3600)}
    actor = actor_create()
    own = review_create(product=product_create(), author=actor.user)
    first, second, third = targets("vote", 3)
    for _ in range(3):
        assert actor.act("site", "vote", first, helpful="maybe").status_code == 400
        assert actor.act("api_key", "vote", first, helpful="maybe").status_code == 400
        assert actor.act("api_session", "vote", own).status_code == 403  # not on one's own review
        assert actor.act("site", "report", first, reason="").status_code == 400
        assert actor.act("api_session", "report", first, reason="nonsense").status_code == 400
    assert actor.act("site", "vote", first).status_code == 302
    assert actor.act("api_key", "vote", second).status_code == 429
    assert actor.act("api_key", "report", first).status_code == 201
    for _ in range(3):
        assert actor.act("site", "report", first).status_code == 409  # one open report per review
        assert actor.act("api_session", "report", first).status_code == 409
    assert actor.act("site", "report", second).status_code == 302
    assert actor.act("api_key", "report", third).status_code == 429


def test_a_refused_review_form_keeps_what_was_typed(settings: Any) -> None:
    settings.RATELIMITS = {"review_post": (1, 3600)}
    actor = actor_create()
    first, second = targets("review_post", 2)
    assert actor.act("site", "review_post", first).status_code == 302
    typed = {
        "rating": "2",
        "title": "Soles wore out",
        "body": "The soles wore through after about 150 km.",
        "language": "en",
    }
    refused = actor.site.post(reverse("review_create", kwargs={"sku": second.sku}), typed)
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    html = refused.content.decode()
    assert 'value="Soles wore out"' in html
    assert "The soles wore through after about 150 km.</textarea>" in html
    assert "You have posted or edited as many reviews as allowed: 1 per hour." in html
    assert "Your review is kept below: send it again then." in html
    assert not Review.objects.filter(product=second).exists()


def test_a_refused_edit_keeps_what_was_typed(settings: Any) -> None:
    settings.RATELIMITS = {"review_post": (1, 3600)}
    actor = actor_create()
    review = review_create(product=product_create(), author=actor.user)
    url = reverse("review_edit", kwargs={"pk": review.pk})
    edit = {
        "rating": "3",
        "title": "Changed my mind",
        "body": "After a month the lining tore at the heel.",
        "language": "en",
    }
    assert actor.site.post(url, edit).status_code == 302
    again = {**edit, "title": "Changed it again"}
    refused = actor.site.post(url, again)
    assert refused.status_code == 429
    assert 'value="Changed it again"' in refused.content.decode()
    review.refresh_from_db()
    assert review.title == "Changed my mind"


def test_a_refused_report_keeps_its_comment(settings: Any) -> None:
    settings.RATELIMITS = {"report": (1, 3600)}
    actor = actor_create()
    first, second = targets("report", 2)
    assert actor.act("site", "report", first).status_code == 302
    refused = actor.act("site", "report", second, reason="other", comment="Copied from another shop's page.")
    assert refused.status_code == 429
    html = refused.content.decode()
    assert "Copied from another shop&#x27;s page." in html
    assert "You have sent as many reports as allowed: 1 per hour." in html


def test_limits_switched_off_let_every_action_through(settings: Any) -> None:
    settings.RATELIMIT_ENABLED = False
    actor = actor_create()
    for path in PATHS:
        for target in targets("vote", LIMIT + 1):
            assert actor.act(path, "vote", target).status_code == done_status(path, "vote")


@pytest.mark.parametrize("action", ACTIONS)
def test_many_accounts_from_one_address_share_its_budget_but_an_api_key_does_not(settings: Any, action: str) -> None:
    # Each account could act LIMIT times; the address allows LIMIT + 1 in all, on pages and
    # in API sessions alike. A key (a server acting for people) is not limited by address.
    settings.RATELIMITS = {**settings.RATELIMITS, f"{action}_address": (LIMIT + 1, 3600)}
    actors = [actor_create() for _ in range(3)]
    things = iter(targets(action, 8))
    statuses = [
        actors[0].act("site", action, next(things)).status_code,
        actors[0].act("api_session", action, next(things)).status_code,
        actors[1].act("site", action, next(things)).status_code,
        actors[1].act("api_session", action, next(things)).status_code,
        actors[2].act("site", action, next(things)).status_code,
        actors[2].act("api_key", action, next(things)).status_code,
    ]
    site, api = done_status("site", action), done_status("api", action)
    assert statuses == [site, api, site, api, 429, api]
