from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import Conflict, NotAllowed, ValidationFailed
from reviews.models import Review, ReviewStatus
from reviews.ratings import product_ratings_recompute
from reviews.reactions import brand_reply_post, review_report, review_vote
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


def submit(product, author, rating=4, **extra):
    return review_submit(
        product=product, author=author, rating=rating, title="Good", body=REVIEW_TEXT, language="en", **extra
    )


@pytest.mark.parametrize("rating", [0, 6, -1, "5", 3.5, None, True])
def test_service_refuses_rating_outside_1_to_5_with_a_clear_message(rating):
    product, author = product_create(), user_create("shopper")
    with pytest.raises(ValidationFailed) as refused:
        submit(product, author, rating=rating)
    assert refused.value.fields["rating"] == ["Choose a rating from 1 to 5 stars."]
    assert not Review.objects.exists()


@pytest.mark.parametrize("rating", [0, 6])
def test_database_refuses_rating_outside_1_to_5_on_raw_insert(rating):
    product = product_create()
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(
            product=product, author_name="Raw", rating=rating, created_at=timezone.now(), status="pending"
        )


def test_second_review_by_same_author_on_same_revision_is_a_clear_conflict():
    product, author = product_create(), user_create("shopper")
    submit(product, author)
    with pytest.raises(Conflict) as refused:
        submit(product, author, rating=1)
    assert refused.value.code == "duplicate_review"
    assert "already reviewed" in refused.value.message
    assert Review.objects.count() == 1


def test_database_backstops_a_second_review_on_the_same_revision():
    product, author = product_create(), user_create("shopper")
    submit(product, author)
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(
            product=product, author=author, author_name="x", rating=2, created_at=timezone.now(), revision=0
        )


def test_author_may_review_again_after_a_new_revision_or_after_deleting():
    product, author = product_create(), user_create("shopper")
    first = submit(product, author)
    review_delete_by_author(review=first, author=author)
    second = submit(product, author, rating=2)
    assert second.status == ReviewStatus.PUBLISHED


def test_submitted_review_is_published_and_counted_without_premoderation(settings):
    settings.REVIEWS_PREMODERATION = False
    product = product_create()
    review = submit(product, user_create("shopper"), rating=2)
    product.refresh_from_db()
    assert review.status == ReviewStatus.PUBLISHED and review.published_at is not None
    assert (product.current_count, product.current_sum, product.current_2_star) == (1, 2, 1)
    assert product.current_average == 2


def test_premoderated_review_waits_and_counts_only_once_published(settings):
    settings.REVIEWS_PREMODERATION = True
    product, moderator = product_create(), user_create("moderator")
    review = submit(product, user_create("shopper"), rating=5)
    product.refresh_from_db()
    assert review.status == ReviewStatus.PENDING and product.current_count == 0
    review_publish(review=review, by=moderator)
    product.refresh_from_db()
    assert product.current_count == 1 and product.all_time_5_star == 1


def test_reject_needs_a_reason_from_the_list_and_withdraws_the_rating():
    product, moderator = product_create(), user_create("moderator")
    review = submit(product, user_create("shopper"), rating=1)
    with pytest.raises(ValidationFailed):
        review_reject(review=review, reason="because", by=moderator)
    review = review_reject(review=review, reason="spam", by=moderator)
    product.refresh_from_db()
    assert review.status == ReviewStatus.REJECTED and review.status_reason == "spam"
    assert product.current_count == 0 and product.current_average is None
    # Published as it was written (one row), then rejected.
    assert [c.to_status for c in review.status_changes.all()] == ["published", "rejected"]


def test_removed_review_cannot_move_again():
    product, moderator = product_create(), user_create("moderator")
    review = review_remove(review=submit(product, user_create("shopper")), reason="offensive", by=moderator)
    with pytest.raises(Conflict):
        review_publish(review=review, by=moderator)


def test_edit_by_author_moves_the_figures_and_others_cannot_edit():
    product, author = product_create(), user_create("shopper")
    review = submit(product, author, rating=5)
    with pytest.raises(NotAllowed):
        review_edit(review=review, author=user_create("shopper"), rating=1, title="x", body=REVIEW_TEXT, language="en")
    review_edit(review=review, author=author, rating=1, title="Changed my mind", body=REVIEW_TEXT, language="fr")
    product.refresh_from_db()
    assert (product.current_sum, product.current_1_star, product.current_5_star) == (1, 1, 0)


def test_votes_count_once_per_voter_can_change_and_never_on_own_review():
    product, author, voter = product_create(), user_create("shopper"), user_create("shopper")
    review = submit(product, author)
    review_vote(review=review, voter=voter, helpful=True)
    review_vote(review=review, voter=voter, helpful=True)
    review.refresh_from_db()
    assert (review.helpful_yes, review.helpful_no) == (1, 0)
    review_vote(review=review, voter=voter, helpful=False)
    review.refresh_from_db()
    assert (review.helpful_yes, review.helpful_no) == (0, 1)
    with pytest.raises(NotAllowed):
        review_vote(review=review, voter=author, helpful=True)


def test_report_needs_a_listed_reason_and_an_explanation_for_other():
    review = submit(product_create(), user_create("shopper"))
    reporter = user_create("shopper")
    with pytest.raises(ValidationFailed):
        review_report(review=review, reporter=reporter, reason="boring")
    with pytest.raises(ValidationFailed) as refused:
        review_report(review=review, reporter=reporter, reason="other")
    assert "comment" in refused.value.fields
    review_report(review=review, reporter=reporter, reason="spam")
    with pytest.raises(Conflict):
        review_report(review=review, reporter=reporter, reason="fake")


def test_only_the_products_manager_can_post_the_brand_reply():
    manager = user_create("product_manager")
    product = product_create(managers=[manager])
    review = submit(product, user_create("shopper"))
    with pytest.raises(NotAllowed):
        brand_reply_post(review=review, author=user_create("product_manager"), body="Thanks")
    with pytest.raises(NotAllowed):
        brand_reply_post(review=review, author=user_create("shopper"), body="Thanks")
    reply = brand_reply_post(review=review, author=manager, body="Thank you, we are on it.")
    again = brand_reply_post(review=review, author=manager, body="Fixed in the next batch.")
    assert reply.pk == again.pk and again.body == "Fixed in the next batch."
    director = user_create("quality_director")
    assert brand_reply_post(review=review, author=director, body="Director here.").pk == reply.pk


def test_recompute_reports_and_corrects_drift():
    product = product_create()
    submit(product, user_create("shopper"), rating=3)
    type(product).objects.filter(pk=product.pk).update(
        current_count=1, current_sum=5, current_3_star=0, current_5_star=1
    )
    drifts = product_ratings_recompute()
    assert {(d.field, d.stored, d.actual) for d in drifts} == {
        ("current_sum", 5, 3),
        ("current_3_star", 0, 1),
        ("current_5_star", 1, 0),
    }
    assert product_ratings_recompute() == []
