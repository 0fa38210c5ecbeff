"""reviews tells the apps above it of a review's changes through reviews.events.review_changed
(docs/architecture.md), inside the transaction of the change; imported history says nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from reviews.events import ReviewChange, ReviewChanged, review_changed
from reviews.history_import import ReviewImport, review_history_import
from reviews.models import Review, ReviewStatus
from reviews.services import (
    review_delete_by_author,
    review_edit,
    review_publish,
    review_reject,
    review_remove,
    review_submit,
)
from tests.factories import REVIEW_TEXT, product_create, user_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard() -> Iterator[list[ReviewChanged]]:
    facts: list[ReviewChanged] = []
    review_changed.subscribe(facts.append)
    yield facts
    review_changed.unsubscribe(facts.append)


def submit(product, author, rating=4):
    return review_submit(product=product, author=author, rating=rating, title="Good", body=REVIEW_TEXT, language="en")


def edit(review, author, rating):
    return review_edit(review=review, author=author, rating=rating, title="Changed", body=REVIEW_TEXT, language="en")


def test_publishing_editing_and_removing_are_each_announced_once(heard: list[ReviewChanged]) -> None:
    product, author, moderator = product_create(), user_create("shopper"), user_create("moderator")
    review = submit(product, author, rating=4)
    edit(review, author, rating=2)
    review_remove(review=review, reason="spam", by=moderator)
    assert [(f.change, f.rating, f.previous_rating) for f in heard] == [
        (ReviewChange.PUBLISHED, 4, 4),
        (ReviewChange.EDITED, 2, 4),
        (ReviewChange.UNPUBLISHED, 2, 2),
    ]
    assert {(f.review_id, f.product_id) for f in heard} == {(review.pk, product.pk)}


def test_a_held_review_is_announced_when_a_moderator_releases_it(settings, heard: list[ReviewChanged]) -> None:
    settings.REVIEWS_PREMODERATION = True
    product, author, moderator = product_create(), user_create("shopper"), user_create("moderator")
    review = submit(product, author, rating=1)
    assert heard == []
    review_publish(review=review, by=moderator)
    assert [f.change for f in heard] == [ReviewChange.PUBLISHED]
    # Edited under pre-moderation: it leaves publication until released again.
    edit(review, author, rating=2)
    review_publish(review=Review.objects.get(pk=review.pk), by=moderator)
    assert [f.change for f in heard] == [ReviewChange.PUBLISHED, ReviewChange.UNPUBLISHED, ReviewChange.PUBLISHED]


def test_rejecting_or_deleting_what_was_never_public_announces_nothing_more(
    settings, heard: list[ReviewChanged]
) -> None:
    settings.REVIEWS_PREMODERATION = True
    product, author, moderator = product_create(), user_create("shopper"), user_create("moderator")
    review = submit(product, author)
    review_reject(review=review, reason="spam", by=moderator)
    held = submit(product_create(), author)
    review_delete_by_author(review=held, author=author)
    assert heard == []
    settings.REVIEWS_PREMODERATION = False
    other = submit(product_create(), author)
    review_delete_by_author(review=other, author=author)
    assert [f.change for f in heard] == [ReviewChange.PUBLISHED, ReviewChange.UNPUBLISHED]


def test_a_failing_subscriber_rolls_the_review_back() -> None:
    product, author = product_create(), user_create("shopper")

    def broken(fact: ReviewChanged) -> None:
        raise RuntimeError("subscriber failed")

    review_changed.subscribe(broken)
    try:
        # No transaction of the test's own: review_submit's must be the one that rolls back.
        with pytest.raises(RuntimeError):
            submit(product, author)
    finally:
        review_changed.unsubscribe(broken)
    assert not Review.objects.exists()
    product.refresh_from_db()
    assert product.current_count == 0


def test_imported_history_announces_nothing(heard: list[ReviewChanged]) -> None:
    product = product_create()
    row = ReviewImport(line=2, sku=product.sku, rating=2, created_at=datetime(2025, 3, 1, 12, tzinfo=UTC))
    review_history_import(skus=[product.sku], rows=[row], create_products=False)
    assert Review.objects.filter(status=ReviewStatus.PUBLISHED).count() == 1
    assert heard == []
