"""Logging an improvement in the application: who may, the catch-up first, the new revision,
reinstatement and the product back on sale, notices resolved, old reviews still shown."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from accounts.roles import PRODUCT_MANAGER, QUALITY_DIRECTOR
from core.errors import NotAllowed, ValidationFailed
from gate.models import GateClock, GateEvent, Improvement, WithdrawalNotice
from gate.policy import GatePolicy
from gate.services import gate_evaluate_through, gate_policy_from_settings, improvement_log
from products.models import Product
from reviews.models import Review, ReviewStatus
from reviews.services import review_submit
from tests.factories import product_create, user_create

from .helpers import add_reviews, noon, policy_settings

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _policy(settings: Any) -> None:
    policy_settings(
        settings,
        GatePolicy.build(threshold="3.0", grace_days=2, min_reviews=3, window_days=30, timezone="Europe/Paris"),
    )


@pytest.fixture
def policy() -> GatePolicy:
    return gate_policy_from_settings()


@pytest.fixture
def now() -> datetime:
    return timezone.now()


@pytest.fixture
def today(policy: GatePolicy, now: datetime) -> date:
    return policy.day_of(now)


@pytest.fixture
def manager() -> Any:
    return user_create(PRODUCT_MANAGER)


@pytest.fixture
def product(manager: Any) -> Product:
    return product_create(managers=[manager])


def _withdrawn(product: Product, policy: GatePolicy, today: date, now: datetime) -> None:
    """Below from ten days ago: flagged then, withdrawn two days later."""
    add_reviews(product, noon(policy, today - timedelta(days=10)), [1, 2, 1, 2])
    gate_evaluate_through(through=today - timedelta(days=1), now=now)
    product.refresh_from_db()
    assert product.gate_state == "withdrawn"


def test_a_shopper_cannot_log_an_improvement(product: Product, now: datetime) -> None:
    shopper = user_create("shopper")

    with pytest.raises(NotAllowed):
        improvement_log(product=product, by=shopper, description="New supplier", now=now)

    assert not Improvement.objects.exists()
    product.refresh_from_db()
    assert product.revision == 0


def test_another_products_manager_cannot_log_an_improvement(product: Product, now: datetime) -> None:
    other_manager = user_create(PRODUCT_MANAGER)
    product_create(managers=[other_manager])

    with pytest.raises(NotAllowed):
        improvement_log(product=product, by=other_manager, description="New supplier", now=now)

    assert not Improvement.objects.exists()


def test_anonymous_cannot_log_an_improvement(product: Product, now: datetime) -> None:
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotAllowed):
        improvement_log(product=product, by=AnonymousUser(), description="New supplier", now=now)


@pytest.mark.parametrize("role", ["manager", "director"])
def test_the_products_manager_or_a_quality_director_starts_a_new_revision_now(
    role: str, product: Product, manager: Any, now: datetime, today: date, policy: GatePolicy
) -> None:
    by = manager if role == "manager" else user_create(QUALITY_DIRECTOR)
    add_reviews(product, noon(policy, today - timedelta(days=3)), [4, 5])

    improvement = improvement_log(
        product=product,
        by=by,
        description="Seams reinforced",
        public_note="Now with reinforced seams",
        addressed_phrases=["seam split", "seam split", " "],
        now=now,
    )

    product.refresh_from_db()
    assert (improvement.revision, improvement.day, improvement.logged_at) == (1, today, now)
    assert improvement.addressed_phrases == ["seam split"]
    assert improvement.source == Improvement.Source.APP
    assert (product.revision, product.revision_started_at) == (1, now)
    assert (product.current_count, product.all_time_count) == (0, 2)
    event = GateEvent.objects.get(improvement=improvement)
    assert (event.kind, event.day, event.count, event.average) == ("improved", today, 0, None)
    assert event.policy == policy.as_dict()


def test_an_improvement_needs_a_description(product: Product, manager: Any, now: datetime) -> None:
    with pytest.raises(ValidationFailed) as refused:
        improvement_log(product=product, by=manager, description="   ", now=now)

    assert "description" in refused.value.fields
    assert not Improvement.objects.exists()


def test_logging_an_improvement_first_evaluates_the_days_not_yet_evaluated(
    product: Product, manager: Any, now: datetime, today: date, policy: GatePolicy
) -> None:
    add_reviews(product, noon(policy, today - timedelta(days=6)), [1, 1, 2])
    add_reviews(product, noon(policy, today - timedelta(days=5)), [5])
    assert not GateClock.objects.exists()

    improvement = improvement_log(product=product, by=manager, description="New supplier", now=now)

    assert GateClock.objects.get().last_evaluated_day == today - timedelta(days=1)
    events = list(GateEvent.objects.order_by("id").values_list("day", "kind"))
    # Flagged on the first day, still below afterwards, withdrawn on the deadline: all
    # before the improvement, which reinstates the product today.
    assert events == [
        (today - timedelta(days=6), "flagged"),
        (today - timedelta(days=4), "withdrawn"),
        (today, "reinstated"),
    ]
    assert GateEvent.objects.get(kind="reinstated").improvement == improvement


def test_an_improvement_reinstates_a_withdrawn_product_and_puts_it_back_on_sale(
    product: Product, manager: Any, now: datetime, today: date, policy: GatePolicy
) -> None:
    _withdrawn(product, policy, today, now)
    assert product.on_sale is False
    notice = WithdrawalNotice.objects.get(product=product)
    assert notice.state == WithdrawalNotice.State.WITHDRAWN

    improvement = improvement_log(product=product, by=manager, description="Recalled and redesigned", now=now)

    product.refresh_from_db()
    assert (product.gate_state, product.on_sale, product.withdrawn_on, product.flagged_on) == (
        "active",
        True,
        None,
        None,
    )
    assert GateEvent.objects.filter(product=product).latest("id").kind == "reinstated"
    notice.refresh_from_db()
    assert (notice.state, notice.resolved_by, notice.closed_at) == (
        WithdrawalNotice.State.RESOLVED,
        improvement,
        now,
    )


def test_an_improvement_clears_a_flag_and_resolves_the_open_notice(
    product: Product, manager: Any, now: datetime, today: date, policy: GatePolicy
) -> None:
    add_reviews(product, noon(policy, today - timedelta(days=1)), [1, 2, 2])
    gate_evaluate_through(through=today - timedelta(days=1), now=now)
    product.refresh_from_db()
    assert (product.gate_state, product.flagged_on) == ("flagged", today - timedelta(days=1))

    improvement = improvement_log(product=product, by=manager, description="Better padding", now=now)

    product.refresh_from_db()
    assert (product.gate_state, product.flagged_on, product.withdrawal_deadline) == ("active", None, None)
    assert GateEvent.objects.get(improvement=improvement).kind == "improved"
    assert WithdrawalNotice.objects.get(product=product).state == WithdrawalNotice.State.RESOLVED


def test_reviews_of_the_previous_revision_stay_visible_and_are_marked_as_such(
    product: Product, manager: Any, now: datetime, today: date, policy: GatePolicy
) -> None:
    old = add_reviews(product, noon(policy, today - timedelta(days=2)), [2, 3])
    improvement_log(product=product, by=manager, description="New fabric", now=now)
    shopper = user_create("shopper")

    new = review_submit(
        product=product,
        author=shopper,
        rating=5,
        title="Much better",
        body="The new fabric holds up after a month of use.",
        language="en",
        now=now + timedelta(minutes=5),
    )

    product.refresh_from_db()
    visible = Review.objects.filter(product=product, status=ReviewStatus.PUBLISHED)
    assert set(visible) == {*old, new}
    assert all(review.is_about_previous_version(product) for review in old)
    assert not new.is_about_previous_version(product)
    assert (product.current_count, product.current_sum, product.all_time_count) == (1, 5, 3)


def test_the_evaluation_after_an_improvement_counts_only_the_new_revision(
    product: Product, manager: Any, now: datetime, today: date, policy: GatePolicy
) -> None:
    add_reviews(product, noon(policy, today - timedelta(days=1)), [1, 1, 1, 1])
    improvement_log(product=product, by=manager, description="New motor", now=now)

    # Today ends: only today's new-revision reviews count, and there are none.
    gate_evaluate_through(through=today, now=now + timedelta(days=1))

    product.refresh_from_db()
    assert product.gate_state == "active"
    assert list(GateEvent.objects.order_by("id").values_list("kind", flat=True)) == ["flagged", "improved"]
