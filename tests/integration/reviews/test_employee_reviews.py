"""Conflicts of interest (issue 13): staff cannot review the products they manage, and a
review they write elsewhere is an employee review, labelled and counted nowhere: not in
the product's figures, not by the gate, not in any recount or desk figure."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.roles import MODERATOR, PRODUCT_MANAGER, QUALITY_DIRECTOR, SHOPPER
from apikeys.services import api_key_create
from core.errors import NotAllowed
from desk.selectors import closing_the_loop, kpi_facts
from desk.selectors.notices import product_chart_days, product_current_figures
from desk.selectors.reviews import review_histogram, review_texts
from desk.selectors.scope import desk_product_summaries
from gate.models import GateEvent, Improvement
from gate.policy import GatePolicy
from gate.selectors import product_average_series
from gate.services import gate_evaluate_through, gate_policy_from_settings
from products.models import STARS, Product
from reviews.models import Review, ReviewStatus
from reviews.ratings import product_ratings_rebuild, product_ratings_recompute
from reviews.selectors import review_list_structured_data
from reviews.services import review_edit, review_submit, user_is_employee
from tests.factories import REVIEW_TEXT, product_create, user_create
from tests.integration.gate.helpers import add_reviews, noon, policy_settings

pytestmark = pytest.mark.django_db

DAY = date(2024, 3, 1)
OWN_PRODUCT_MESSAGE = (
    "You manage this product, so you cannot review it: a review by its own staff is a conflict of interest."
)
FIGURE_FIELDS = (
    "all_time_count",
    "all_time_sum",
    *(f"all_time_{star}_star" for star in STARS),
    "current_count",
    "current_sum",
    *(f"current_{star}_star" for star in STARS),
    "current_average",
)
GOOD_REVIEW = {"rating": 5, "title": "Love it", "body": REVIEW_TEXT, "language": "en"}


@pytest.fixture(autouse=True)
def _policy(settings: Any) -> None:
    policy_settings(
        settings,
        GatePolicy.build(threshold="3.0", grace_days=3, min_reviews=3, window_days=10, timezone="Europe/Paris"),
    )
    settings.REVIEWS_PREMODERATION = False


@pytest.fixture
def policy() -> GatePolicy:
    return gate_policy_from_settings()


def submit(product: Product, author: Any, rating: int, **extra: Any) -> Review:
    return review_submit(
        product=product, author=author, rating=rating, title="My view", body=REVIEW_TEXT, language="en", **extra
    )


def stored_figures(product: Product) -> dict[str, Any]:
    return Product.objects.filter(pk=product.pk).values(*FIGURE_FIELDS).get()


# --- Who is staff --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("roles", "is_staff", "expected"),
    [
        ((), False, False),
        ((SHOPPER,), False, False),
        ((MODERATOR,), False, True),
        ((PRODUCT_MANAGER,), False, True),
        ((QUALITY_DIRECTOR,), False, True),
        ((SHOPPER,), True, True),
    ],
)
def test_staff_is_any_role_but_shopper_or_django_staff(roles: tuple[str, ...], is_staff: bool, expected: bool) -> None:
    assert user_is_employee(user_create(*roles, is_staff=is_staff)) is expected


# --- The manager's own product: refused, site and API alike -------------------------------


def test_a_manager_cannot_review_a_product_they_manage() -> None:
    manager = user_create(PRODUCT_MANAGER)
    product = product_create(sku="FRN-9410", managers=[manager])
    with pytest.raises(NotAllowed) as refused:
        submit(product, manager, 5)
    assert (refused.value.code, refused.value.message) == ("own_product", OWN_PRODUCT_MESSAGE)
    assert not Review.objects.exists()


def test_the_site_refuses_the_managers_own_review_with_the_services_message(client: Any) -> None:
    manager = user_create(PRODUCT_MANAGER)
    product = product_create(sku="FRN-9410", managers=[manager])
    client.force_login(manager)
    response = client.post(reverse("review_create", kwargs={"sku": product.sku}), {**GOOD_REVIEW})
    # The form again with the rule's message, and 403 as the API answers: a move not allowed.
    assert response.status_code == 403
    assert OWN_PRODUCT_MESSAGE in response.content.decode()
    assert not Review.objects.exists()


def test_the_api_refuses_the_managers_own_review_and_their_keys_with_the_same_message() -> None:
    manager = user_create(PRODUCT_MANAGER)
    product = product_create(sku="FRN-9410", managers=[manager])
    session = APIClient()
    session.force_login(manager)
    keyed = APIClient()
    keyed.credentials(
        HTTP_AUTHORIZATION=f"Api-Key {api_key_create(name='k', owner=manager, scopes=['read', 'write']).plaintext}"
    )
    for client in (session, keyed):
        response = client.post(f"/api/v1/products/{product.sku}/reviews/", GOOD_REVIEW, format="json")
        assert response.status_code == 403, response.content
        error = response.json()["error"]
        assert (error["code"], error["message"]) == ("own_product", OWN_PRODUCT_MESSAGE)
    assert not Review.objects.exists()


# --- A review elsewhere: labelled, and counted nowhere ------------------------------------


def test_a_directors_review_is_an_employee_review_that_no_figure_or_gate_counts(policy: GatePolicy) -> None:
    """FRN-9410's case: a flagged product, 2.3333 over 3 reviews. A director's 5 stars
    would make it 3.0 (recovered); as an employee review nothing moves."""
    director = user_create(QUALITY_DIRECTOR)
    product = product_create(sku="FRN-9410")
    add_reviews(product, noon(policy, DAY), [2, 2, 3])
    gate_evaluate_through(through=DAY)
    product.refresh_from_db()
    assert (product.gate_state, str(product.current_average)) == ("flagged", "2.3333")
    before = stored_figures(product)

    review = submit(product, director, 5, now=noon(policy, DAY + timedelta(days=1)))

    assert (review.status, review.employee) == (ReviewStatus.PUBLISHED, True)
    assert stored_figures(product) == before
    summary = gate_evaluate_through(through=DAY + timedelta(days=1))
    assert summary.days == 1
    assert not summary.events
    assert list(GateEvent.objects.filter(product=product).values_list("kind", flat=True)) == ["flagged"]
    product.refresh_from_db()
    assert product.gate_state == "flagged"
    assert product_ratings_recompute() == []
    assert product_ratings_rebuild(product_ids=[product.pk]) == 1
    assert stored_figures(product) == before


TODAY = DAY + timedelta(days=1)
CHART_FIRST = DAY - timedelta(days=2)
# Every figure shown or used, read for one product (the director is the reader where one is needed).
FIGURES: dict[str, Any] = {
    "stored figures (page, histogram, averages)": lambda product, director, policy: stored_figures(product),
    "API rating fields": lambda product, director, policy: (
        APIClient().get(f"/api/v1/products/{product.sku}/").json()["rating"]
    ),
    "desk gate figures now": lambda product, director, policy: product_current_figures(
        product_ids=[product.pk], today=TODAY, policy=policy
    ),
    "desk chart": lambda product, director, policy: product_chart_days(
        product=product, first=CHART_FIRST, last=TODAY, policy=policy
    ),
    "gate chart series": lambda product, director, policy: product_average_series(
        product=product, first=CHART_FIRST, last=TODAY, policy=policy
    ),
    "desk histogram": lambda product, director, policy: review_histogram(product=product, revision=product.revision),
    "desk KPIs": lambda product, director, policy: (
        kpi_facts(user=director, first=CHART_FIRST, last=TODAY, policy=policy).reviews
    ),
    "structured data": lambda product, director, policy: [
        review.pk for review in review_list_structured_data(product=product, limit=10)
    ],
}


@pytest.mark.parametrize("figure", list(FIGURES))
def test_no_figure_counts_an_employee_review(figure: str, policy: GatePolicy) -> None:
    """Each figure read before and after a staff member's 1-star review elsewhere: equal."""
    director = user_create(QUALITY_DIRECTOR)
    product = product_create(sku="VLM-7700")
    add_reviews(product, noon(policy, DAY), [4, 3])
    read = FIGURES[figure]
    before = read(product, director, policy)
    review = submit(product, director, 1, now=noon(policy, TODAY))
    assert review.employee
    product.refresh_from_db()
    assert read(product, director, policy) == before


def test_shoppers_still_read_an_employee_review_labelled_in_the_api() -> None:
    product = product_create()
    review = submit(product, user_create(QUALITY_DIRECTOR), 1)
    listed = APIClient().get(f"/api/v1/products/{product.sku}/reviews/").json()["results"]
    assert [(row["id"], row["employee"]) for row in listed] == [(review.pk, True)]


def test_an_employees_low_rating_is_not_a_complaint_to_answer() -> None:
    moderator, manager = user_create(MODERATOR), user_create(PRODUCT_MANAGER)
    product = product_create(managers=[manager])
    review = submit(product, moderator, 1)
    assert review.employee
    assert desk_product_summaries(user=manager).get(pk=product.pk).unanswered_low == 0  # type: ignore[attr-defined]
    assert review_texts(product=product, revision=product.revision) == []
    customer = submit(product, user_create(SHOPPER), 1)
    assert desk_product_summaries(user=manager).get(pk=product.pk).unanswered_low == 1  # type: ignore[attr-defined]
    assert [text.review_id for text in review_texts(product=product, revision=product.revision)] == [customer.pk]


def test_closing_the_loop_counts_no_employee_review(policy: GatePolicy) -> None:
    product = product_create()
    add_reviews(product, noon(policy, DAY), [2, 2])
    improvement = Improvement.objects.create(
        product=product, revision=1, day=DAY, logged_at=noon(policy, DAY), description="Stronger seams"
    )
    before = closing_the_loop(improvement=improvement)
    submit(product, user_create(MODERATOR), 5)
    after = closing_the_loop(improvement=improvement)
    assert before.before_reviews == 2
    assert (after.before_reviews, after.before_average, after.after_reviews) == (
        before.before_reviews,
        before.before_average,
        before.after_reviews,
    )


def test_a_staff_api_keys_review_is_an_employee_review() -> None:
    director = user_create(QUALITY_DIRECTOR)
    product = product_create()
    client = APIClient()
    key = api_key_create(name="director", owner=director, scopes=["read", "write"])
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key.plaintext}")
    response = client.post(f"/api/v1/products/{product.sku}/reviews/", GOOD_REVIEW, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["employee"]) == ("published", True)
    product.refresh_from_db()
    assert (product.current_count, product.all_time_count, product.current_average) == (0, 0, None)


def test_a_shoppers_review_becomes_an_employee_review_when_they_become_staff() -> None:
    # Every way of becoming staff: tests/integration/reviews/test_staff_later.py.
    shopper = user_create(SHOPPER)
    product = product_create()
    review = submit(product, shopper, 4)
    shopper.is_staff = True
    shopper.save(update_fields=["is_staff"])
    review.refresh_from_db()
    assert review.employee is True
    product.refresh_from_db()
    assert product.current_count == 0


def test_editing_an_employee_review_moves_no_figure() -> None:
    moderator = user_create(MODERATOR)
    product = product_create()
    review = submit(product, moderator, 5)
    before = stored_figures(product)
    review_edit(review=review, author=moderator, rating=1, title="Changed", body=REVIEW_TEXT, language="en")
    assert stored_figures(product) == before


def test_the_label_is_shown_on_the_product_page_and_in_my_reviews(client: Any) -> None:
    moderator = user_create(MODERATOR)
    product = product_create(sku="LBL-1")
    submit(product, moderator, 4)
    page = client.get(reverse("product_detail", kwargs={"sku": product.sku})).content.decode()
    assert page.count("Employee review") == 1
    client.force_login(moderator)
    assert "Employee review" in client.get(reverse("review_mine")).content.decode()
    customer_product = product_create(sku="LBL-2")
    submit(customer_product, user_create(SHOPPER), 4)
    assert "Employee review" not in client.get(reverse("product_detail", kwargs={"sku": "LBL-2"})).content.decode()


def test_imported_history_is_never_an_employee_review(policy: GatePolicy) -> None:
    product = product_create()
    add_reviews(product, noon(policy, DAY), [3])
    assert list(Review.objects.values_list("employee", flat=True)) == [False]
