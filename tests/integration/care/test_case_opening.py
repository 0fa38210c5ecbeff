"""Cases open by themselves: exactly one per unhappy review, never for a happy one, an
employee's or imported history; a held review's on release; an edit down opens one."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import MODERATOR
from care.models import Case, CaseReason, CaseState
from reviews.services import review_edit, review_publish, review_reject
from tests.care_factories import review_post
from tests.factories import product_create, user_create

pytestmark = pytest.mark.django_db


def test_a_two_star_review_opens_exactly_one_case_and_a_four_star_none() -> None:
    unhappy = review_post(rating=2)
    happy = review_post(rating=4)
    case = Case.objects.get(review=unhappy)
    assert (case.state, case.reason, case.rating_at_open, case.rating_now) == (
        CaseState.OPEN,
        CaseReason.LOW_RATING,
        2,
        2,
    )
    assert case.product_id == unhappy.product_id
    assert case.due_at - case.opened_at == timedelta(hours=24)
    assert not Case.objects.filter(review=happy).exists()
    assert Case.objects.count() == 1


def test_a_low_recommend_answer_opens_a_case_on_a_good_rating() -> None:
    review = review_post(rating=4, recommend=6)
    assert Case.objects.get(review=review).reason == CaseReason.LOW_RECOMMEND
    assert not Case.objects.filter(review=review_post(rating=4, recommend=7)).exists()


def test_editing_or_republishing_never_opens_a_second_case() -> None:
    moderator = user_create(MODERATOR)
    review = review_post(rating=1)
    review_edit(review=review, author=review.author, rating=2, title="Still bad", body=review.body, language="en")
    review_reject(review=review, reason="spam", by=moderator)
    review_publish(review=review, by=moderator)
    assert Case.objects.filter(review=review).count() == 1
    case = Case.objects.get(review=review)
    assert (case.rating_at_open, case.rating_now) == (1, 2)
    assert case.rating_changed_at is not None


def test_an_edit_from_four_stars_to_two_opens_one() -> None:
    review = review_post(rating=4)
    assert not Case.objects.exists()
    later = timezone.now() + timedelta(hours=1)
    review_edit(
        review=review, author=review.author, rating=2, title="Broke", body=review.body, language="en", now=later
    )
    case = Case.objects.get(review=review)
    assert (case.rating_at_open, case.opened_at) == (2, later)


def test_an_employee_review_opens_none() -> None:
    staff = user_create(MODERATOR)
    review_post(author=staff, rating=1, product=product_create())
    assert not Case.objects.exists()


def test_a_held_review_opens_its_case_when_released(settings) -> None:
    settings.REVIEWS_PREMODERATION = True
    review = review_post(rating=1)
    assert not Case.objects.exists()
    review_publish(review=review, by=user_create(MODERATOR))
    assert Case.objects.filter(review=review).count() == 1


def test_imported_history_opens_no_case_and_sends_nothing() -> None:
    from datetime import UTC, datetime

    from notifications.models import OutboxMessage
    from reviews.history_import import ReviewImport, review_history_import

    moment = datetime(2024, 3, 1, 12, tzinfo=UTC)
    rows = [
        ReviewImport(line=n, sku="TENT-1", rating=rating, created_at=moment, review_id=None)
        for n, rating in ((2, 1), (3, 2))
    ]
    review_history_import(skus=["TENT-1"], rows=rows, create_products=True)
    assert not Case.objects.exists()
    assert not OutboxMessage.objects.exists()
