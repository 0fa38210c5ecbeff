"""GET /api/v1/ratings/ from the cache, keyed by the rows of the page asked for (their ids,
page versions and updated_at, read by a narrow query: products.api.cached): never older
than the last change of any product, nor than the rows that settled since; the same few
queries on a hit however many products; 304 on revalidation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any
from unittest import mock

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.roles import MODERATOR, PRODUCT_MANAGER
from gate.configured import gate_policy_from_settings
from gate.policy import ACTIVE, GateState, ProductGateState
from gate.services import improvement_log, product_gate_state_set
from products.models import Product
from reviews.models import ReasonCode, Review
from reviews.ratings import product_ratings_rebuild
from reviews.reactions import brand_reply_post
from reviews.services import review_edit, review_remove
from tests.factories import user_create

pytestmark = pytest.mark.django_db

FEED = "/api/v1/ratings/"
# The feed's rows are read with their SKU; the key's narrow query reads no SKU.
ROWS_READ = '"products_product"."sku"'


def _get(client: APIClient, url: str = FEED, **headers: Any) -> tuple[Any, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    return response, [query["sql"] for query in queries.captured_queries]


def _rendered(url: str = FEED) -> Any:
    """The feed as the view renders it, without the cache."""
    with override_settings(PAGE_CACHE_SECONDS=0):
        response = APIClient().get(url)
    assert response.status_code == 200
    return response.json()


def _primed(client: APIClient, url: str = FEED) -> Any:
    """The feed twice: rendered and stored, then from the cache (no rows read)."""
    first, _ = _get(client, url)
    second, statements = _get(client, url)
    assert first.status_code == second.status_code == 200
    assert not any(ROWS_READ in sql for sql in statements), statements
    assert second.json() == first.json()
    return second.json()


@pytest.fixture
def world(actors: dict[str, Any], write_review: Callable[..., Review]) -> dict[str, Any]:
    product = actors["product"]
    review = write_review(product, 4, author=actors["shopper"])
    write_review(actors["other_product"], 2)
    return {**actors, "review": review}


def _post(world: dict[str, Any], write_review: Callable[..., Review]) -> None:
    write_review(world["product"], 1)


def _edit(world: dict[str, Any], write_review: Callable[..., Review]) -> None:
    review = world["review"]
    review_edit(review=review, author=world["shopper"], rating=2, title=review.title, body=review.body, language="en")


def _moderation(world: dict[str, Any], write_review: Callable[..., Review]) -> None:
    review_remove(review=world["review"], reason=ReasonCode.SPAM, by=user_create(MODERATOR))


def _gate_event(world: dict[str, Any], write_review: Callable[..., Review]) -> None:
    policy, day = gate_policy_from_settings(), date(2026, 11, 1)
    flagged = ProductGateState(GateState.FLAGGED, day)
    product_gate_state_set(product_id=world["product"].pk, expected=ACTIVE, new=flagged, day=day, policy=policy)


def _improvement(world: dict[str, Any], write_review: Callable[..., Review]) -> None:
    improvement_log(product=world["product"], by=world["manager"], description="New zip.", public_note="A zip.")


def _figures_rebuilt(world: dict[str, Any], write_review: Callable[..., Review]) -> None:
    Review.objects.filter(pk=world["review"].pk).update(rating=1)  # as an import of history writes
    product_ratings_rebuild(product_ids=[world["product"].pk])


def _product_added(world: dict[str, Any], write_review: Callable[..., Review]) -> None:
    Product.objects.create(sku="P3", name="Hiking boot", slug="p3")


def _product_deleted(world: dict[str, Any], write_review: Callable[..., Review]) -> None:
    Product.objects.filter(pk=world["other_product"].pk).delete()


def _saved_in_the_shell(world: dict[str, Any], write_review: Callable[..., Review]) -> None:
    product = Product.objects.get(pk=world["other_product"].pk)
    product.name = "Road shoe II"
    product.save()  # no service, no version; its updated_at (in the feed) moves


def _committed_after_a_later_change(world: dict[str, Any], write_review: Callable[..., Review]) -> None:
    # A review posted in a transaction that took its moments before the latest change of the
    # catalogue (P3's) but committed after it: neither the latest page_changed_at nor the
    # latest updated_at moves; the versions' sum does.
    latest = Product.objects.get(sku="P3").updated_at
    write_review(world["product"], 1)
    earlier = latest - timedelta(seconds=1)
    Product.objects.filter(pk=world["product"].pk).update(updated_at=earlier, page_changed_at=earlier)


@pytest.mark.parametrize(
    "change",
    [
        _post,
        _edit,
        _moderation,
        _gate_event,
        _improvement,
        _figures_rebuilt,
        _product_added,
        _product_deleted,
        _saved_in_the_shell,
        _committed_after_a_later_change,
    ],
)
def test_a_cached_feed_is_never_older_than_the_last_change(
    change: Callable[..., None], world: dict[str, Any], write_review: Callable[..., Review]
) -> None:
    if change is _committed_after_a_later_change:
        Product.objects.create(sku="P3", name="Hiking boot", slug="p3")
    client = APIClient()
    before = _primed(client)
    change(world, write_review)
    after, _ = _get(client)
    assert after.json() != before
    assert after.json() == _rendered()


def test_a_brand_reply_leaves_the_feed_as_it_was(world: dict[str, Any]) -> None:
    client = APIClient()
    before = _primed(client)
    world["product"].managers.add(manager := user_create(PRODUCT_MANAGER))
    brand_reply_post(review=world["review"], author=manager, body="Thank you from the brand")
    assert _get(client)[0].json() == before == _rendered()


def test_a_row_that_settles_is_served_from_then_on(world: dict[str, Any], settings: Any) -> None:
    settings.API_RATINGS_FEED_SETTLE_SECONDS = 30
    client = APIClient()
    later = timezone.now() + timedelta(seconds=31)
    with mock.patch("django.utils.timezone.now", return_value=later - timedelta(seconds=31)):
        before = _primed(client)
    assert before["results"] == []  # every row changed within the last 30 seconds
    with mock.patch("django.utils.timezone.now", return_value=later):
        after, _ = _get(client)
        assert after.json() == _rendered()
    assert {row["sku"] for row in after.json()["results"]} == {"P1", "P2"}


def test_each_address_has_its_own_copy_and_other_parameters_are_not_stored(world: dict[str, Any]) -> None:
    client = APIClient()
    whole, one = _primed(client), _primed(client, f"{FEED}?page_size=1")
    assert len(whole["results"]) == 2 and len(one["results"]) == 1
    assert _primed(client, one["next"]) == _rendered(one["next"])
    for _ in range(2):
        response, statements = _get(client, f"{FEED}?anything=1")
        assert response.status_code == 200 and any(ROWS_READ in sql for sql in statements)


def test_a_cached_feed_reads_the_products_once_however_many_there_are(
    world: dict[str, Any], make_product: Callable[..., Product]
) -> None:
    client = APIClient()
    _primed(client)
    _, few = _get(client)
    for n in range(30):
        make_product(f"SKU{n:03}")
    _primed(client)
    _, many = _get(client)
    assert len(many) == len(few)
    # One statement: the page's rows, narrow (the key), with the feed's Last-Modified.
    assert len([sql for sql in many if '"products_product"' in sql]) == 1


def test_a_cached_feed_revalidates_with_304_until_it_changes(
    world: dict[str, Any], write_review: Callable[..., Review]
) -> None:
    client = APIClient()
    first, _ = _get(client)
    cached, _ = _get(client)
    assert (cached["ETag"], cached["Last-Modified"]) == (first["ETag"], first["Last-Modified"])
    with override_settings(PAGE_CACHE_SECONDS=0):
        rendered = APIClient().get(FEED)
    assert (cached["ETag"], cached["Last-Modified"]) == (rendered["ETag"], rendered["Last-Modified"])
    not_modified, statements = _get(client, HTTP_IF_NONE_MATCH=first["ETag"])
    assert not_modified.status_code == 304 and not any(ROWS_READ in sql for sql in statements)
    assert _get(client, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])[0].status_code == 304
    write_review(world["other_product"], 5)
    assert _get(client, HTTP_IF_NONE_MATCH=first["ETag"])[0].status_code == 200
