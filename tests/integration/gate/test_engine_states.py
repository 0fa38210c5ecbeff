"""The engine's writes: states and their dates, on sale, notices, the policy recorded, days
in order and only once, a new policy, and reviews changed after their day."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from core.errors import Conflict, ValidationFailed
from gate.models import GateClock, GateEvent, WithdrawalNotice
from gate.policy import ACTIVE, GatePolicy, GateState, ProductGateState
from gate.services import (
    gate_evaluate_day,
    gate_evaluate_through,
    gate_next_day,
    gate_policy_from_settings,
    product_gate_state_set,
)
from gate.tasks import gate_evaluate_task
from products.models import Product
from reviews.models import Review
from reviews.services import review_remove
from tests.factories import product_create, user_create

from .helpers import (
    add_reviews,
    backtest_lines,
    exported_lines,
    import_history,
    noon,
    policy_settings,
    write_scenario,
)

pytestmark = pytest.mark.django_db

DAY = date(2024, 3, 1)


@pytest.fixture(autouse=True)
def _policy(settings: Any) -> None:
    policy_settings(
        settings,
        GatePolicy.build(threshold="3.0", grace_days=3, min_reviews=3, window_days=10, timezone="Europe/Paris"),
    )


@pytest.fixture
def policy() -> GatePolicy:
    return gate_policy_from_settings()


@pytest.fixture
def product() -> Product:
    return product_create(sku="TENT-1")


def _kinds(product: Product) -> list[tuple[date, str]]:
    return list(GateEvent.objects.filter(product=product).order_by("id").values_list("day", "kind"))


def test_a_product_below_is_flagged_with_its_withdrawal_date_and_a_notice(product: Product, policy: GatePolicy) -> None:
    add_reviews(product, noon(policy, DAY), [2, 2, 3])

    gate_evaluate_through(through=DAY)

    product.refresh_from_db()
    assert (product.gate_state, product.flagged_on, product.withdrawal_deadline, product.on_sale) == (
        "flagged",
        DAY,
        DAY + timedelta(days=3),
        True,
    )
    event = GateEvent.objects.get()
    assert (event.kind, event.day, event.count, str(event.average)) == ("flagged", DAY, 3, "2.3333")
    assert event.policy == {
        "threshold": "3",
        "grace_days": 3,
        "min_reviews": 3,
        "window_days": 10,
        "timezone": "Europe/Paris",
    }
    notice = WithdrawalNotice.objects.get()
    assert (notice.flag_event, notice.opened_on, notice.deadline, notice.state) == (
        event,
        DAY,
        DAY + timedelta(days=3),
        WithdrawalNotice.State.OPEN,
    )


def test_a_product_below_through_its_deadline_is_withdrawn_and_taken_off_sale(
    product: Product, policy: GatePolicy
) -> None:
    add_reviews(product, noon(policy, DAY), [1, 2, 2])

    gate_evaluate_through(through=DAY + timedelta(days=3))

    product.refresh_from_db()
    assert _kinds(product) == [(DAY, "flagged"), (DAY + timedelta(days=3), "withdrawn")]
    assert (product.gate_state, product.on_sale, product.withdrawn_on) == ("withdrawn", False, DAY + timedelta(days=3))
    assert WithdrawalNotice.objects.get().state == WithdrawalNotice.State.WITHDRAWN
    # Withdrawn stays withdrawn whatever the reviews say: only an improvement ends it.
    add_reviews(product, noon(policy, DAY + timedelta(days=4)), [5, 5, 5, 5, 5, 5])
    gate_evaluate_through(through=DAY + timedelta(days=20))
    product.refresh_from_db()
    assert (product.gate_state, product.on_sale) == ("withdrawn", False)
    assert len(_kinds(product)) == 2


def test_a_flagged_product_back_above_recovers_and_its_notice_closes_at_the_end_of_that_day(
    product: Product, policy: GatePolicy
) -> None:
    add_reviews(product, noon(policy, DAY), [1, 2, 2])
    add_reviews(product, noon(policy, DAY + timedelta(days=1)), [5, 5])

    gate_evaluate_through(through=DAY + timedelta(days=1))

    product.refresh_from_db()
    assert _kinds(product) == [(DAY, "flagged"), (DAY + timedelta(days=1), "recovered")]
    assert (product.gate_state, product.flagged_on, product.withdrawal_deadline) == ("active", None, None)
    notice = WithdrawalNotice.objects.get()
    assert notice.state == WithdrawalNotice.State.RECOVERED
    assert notice.closed_at == policy.start_of_day(DAY + timedelta(days=2))


def test_reviews_leaving_the_window_can_clear_a_flag(product: Product, policy: GatePolicy, settings: Any) -> None:
    settings.GATE_GRACE_DAYS = 30
    add_reviews(product, noon(policy, DAY), [1, 1])
    add_reviews(product, noon(policy, DAY + timedelta(days=2)), [4, 4, 4])

    gate_evaluate_through(through=DAY + timedelta(days=12))

    # 1,1,4,4,4: 14/5 < 3, flagged on day 2; the 1s last count on day 9 (10-day window).
    assert _kinds(product) == [(DAY + timedelta(days=2), "flagged"), (DAY + timedelta(days=10), "recovered")]


def test_days_are_evaluated_once_and_in_order(product: Product, policy: GatePolicy) -> None:
    add_reviews(product, noon(policy, DAY), [1, 2, 2])

    first = gate_evaluate_day(day=DAY)
    again = gate_evaluate_day(day=DAY)

    assert first is not None and first.events == {"flagged": 1}
    assert again is None
    with pytest.raises(Conflict):
        gate_evaluate_day(day=DAY + timedelta(days=2))
    assert gate_next_day() == DAY + timedelta(days=1)
    assert GateEvent.objects.count() == 1


def test_a_day_that_is_not_over_is_not_evaluated(policy: GatePolicy) -> None:
    today = policy.day_of(timezone.now())

    with pytest.raises(ValidationFailed):
        gate_evaluate_through(through=today)
    with pytest.raises(ValidationFailed):
        gate_evaluate_day(day=today)


def test_with_nothing_stored_there_is_nothing_to_evaluate() -> None:
    summary = gate_evaluate_through(through=DAY)

    assert summary.days == 0
    assert GateClock.objects.get().last_evaluated_day is None


def test_the_scheduled_task_evaluates_through_yesterday(product: Product, policy: GatePolicy) -> None:
    today = policy.day_of(timezone.now())
    add_reviews(product, noon(policy, today - timedelta(days=3)), [1, 1, 1])

    result = gate_evaluate_task()
    repeated = gate_evaluate_task()

    assert result["last_day"] == (today - timedelta(days=1)).isoformat()
    assert result["days"] == 3
    assert repeated["days"] == 0
    assert GateClock.objects.get().last_evaluated_day == today - timedelta(days=1)


def test_a_new_policy_evaluates_every_product_on_its_first_day(
    product: Product, policy: GatePolicy, settings: Any
) -> None:
    add_reviews(product, noon(policy, DAY), [3, 3, 3, 4])  # 3.25
    gate_evaluate_through(through=DAY + timedelta(days=1))
    assert GateEvent.objects.count() == 0

    settings.GATE_THRESHOLD = "3.5"
    summary = gate_evaluate_through(through=DAY + timedelta(days=2))

    # No review arrived or left on day 2: the product is evaluated because the rule changed.
    assert _kinds(product) == [(DAY + timedelta(days=2), "flagged")]
    assert GateEvent.objects.get().policy["threshold"] == "3.5"
    assert summary.events == {"flagged": 1}


def test_a_review_removed_after_its_day_changes_only_the_days_evaluated_after(
    product: Product, policy: GatePolicy
) -> None:
    moderator = user_create("moderator")
    now = timezone.now()
    today = policy.day_of(now)
    low = add_reviews(product, noon(policy, today - timedelta(days=2)), [1, 1])
    add_reviews(product, noon(policy, today - timedelta(days=2)), [4, 4])
    gate_evaluate_through(through=today - timedelta(days=1), now=now)
    assert _kinds(product) == [(today - timedelta(days=2), "flagged")]

    review_remove(review=low[0], reason="fake", by=moderator, now=now)
    # Today is over (the clock is moved a day on): nothing arrived or left the window today,
    # but the product changed today, so it is evaluated and recovers; yesterday stays flagged.
    gate_evaluate_through(through=today, now=now + timedelta(days=1))

    assert _kinds(product) == [(today - timedelta(days=2), "flagged"), (today, "recovered")]


@pytest.mark.parametrize(
    ("removed_after_midnight", "stamped_after_midnight"),
    [
        # The removal's transaction began 30 ms before midnight and stamped the product's
        # row 5 ms after it (the service reads the clock twice).
        (timedelta(milliseconds=-30), timedelta(milliseconds=5)),
        # Removed after midnight, before the 00:10 run evaluates the day that ended.
        (timedelta(minutes=5), timedelta(minutes=5)),
    ],
)
def test_a_change_made_before_the_days_run_counts_on_that_day(
    product: Product, policy: GatePolicy, removed_after_midnight: timedelta, stamped_after_midnight: timedelta
) -> None:
    """The spec: a change counts on the days evaluated after it. The day ending at midnight
    is evaluated at 00:10, after both changes, although its product row is stamped on the
    next day."""
    moderator = user_create("moderator")
    low = add_reviews(product, noon(policy, DAY - timedelta(days=1)), [1, 1])
    add_reviews(product, noon(policy, DAY - timedelta(days=1)), [4, 4])
    gate_evaluate_through(through=DAY - timedelta(days=1), now=policy.start_of_day(DAY) + timedelta(minutes=10))
    assert _kinds(product) == [(DAY - timedelta(days=1), "flagged")]

    midnight = policy.start_of_day(DAY + timedelta(days=1))
    review_remove(review=low[0], reason="fake", by=moderator, now=midnight + removed_after_midnight)
    Product.objects.filter(pk=product.pk).update(updated_at=midnight + stamped_after_midnight)
    gate_evaluate_through(through=DAY, now=midnight + timedelta(minutes=10))

    assert _kinds(product) == [(DAY - timedelta(days=1), "flagged"), (DAY, "recovered")]


def test_a_catch_up_takes_as_changed_on_a_day_at_most_what_changed_by_the_next_days_end(
    product: Product, policy: GatePolicy
) -> None:
    """A run evaluating many past days does not re-evaluate, each day, every product changed
    since the first: a change three days later counts from the day before its own."""
    from gate.services.engine import _other_candidates

    Product.objects.filter(pk=product.pk).update(updated_at=policy.start_of_day(DAY + timedelta(days=3)))
    far_later = policy.start_of_day(DAY + timedelta(days=30))
    assert product.pk not in _other_candidates(day=DAY, policy=policy, full=False, now=far_later)
    assert product.pk in _other_candidates(day=DAY + timedelta(days=2), policy=policy, full=False, now=far_later)
    assert product.pk in _other_candidates(day=DAY + timedelta(days=3), policy=policy, full=False, now=far_later)
    # A naive moment is already local, as policy.day_of reads it.
    naive = far_later.replace(tzinfo=None)
    assert product.pk in _other_candidates(day=DAY + timedelta(days=2), policy=policy, full=False, now=naive)


def test_a_review_removed_during_a_run_is_counted_out_of_the_days_after(tmp_path: Path, settings: Any) -> None:
    """The run's memory of figures notices a change made between two of its days."""
    policy = GatePolicy.build(threshold="3.5", grace_days=7, min_reviews=5, window_days=30, timezone="Europe/Paris")
    policy_settings(settings, policy)
    scenario = write_scenario(tmp_path, with_improvements=False)
    import_history(scenario.reviews, None)
    moderator = user_create("moderator")
    cut = scenario.first_day + timedelta(days=40)
    victims = list(
        Review.objects.filter(
            published_at__gte=policy.start_of_day(cut - timedelta(days=20)),
            published_at__lt=policy.start_of_day(cut),
            rating__lte=2,
        ).order_by("id")
    )

    def remove_victims() -> None:
        for review in victims:
            review_remove(review=review, reason="fake", by=moderator)

    # Reference: two runs, the second starting after the removal with nothing remembered.
    with transaction.atomic():
        before = transaction.savepoint()
        gate_evaluate_through(through=cut)
        remove_victims()
        gate_evaluate_through(through=scenario.last_day)
        two_runs = exported_lines()
        transaction.savepoint_rollback(before)

    # One run, the removal made between two of its days.
    def remove_at_the_cut(day: Any) -> None:
        if day.day == cut:
            remove_victims()

    gate_evaluate_through(through=scenario.last_day, progress=remove_at_the_cut)

    assert exported_lines() == two_runs
    assert two_runs != backtest_lines(scenario, policy)  # the removal mattered


def test_the_state_writer_refuses_illegal_moves_and_detects_a_concurrent_change(
    product: Product, policy: GatePolicy
) -> None:
    flagged = ProductGateState(GateState.FLAGGED, DAY)
    withdrawn = ProductGateState(GateState.WITHDRAWN)

    with pytest.raises(Conflict):
        product_gate_state_set(product_id=product.pk, expected=ACTIVE, new=withdrawn, day=DAY, policy=policy)
    assert product_gate_state_set(product_id=product.pk, expected=ACTIVE, new=ACTIVE, day=DAY, policy=policy) is False
    assert product_gate_state_set(product_id=product.pk, expected=ACTIVE, new=flagged, day=DAY, policy=policy)
    # Someone else already moved it: the compare-and-swap matches no row.
    with pytest.raises(Conflict):
        product_gate_state_set(product_id=product.pk, expected=ACTIVE, new=flagged, day=DAY, policy=policy)
    product.refresh_from_db()
    assert (product.gate_state, product.flagged_on) == ("flagged", DAY)
