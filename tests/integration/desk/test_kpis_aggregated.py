"""The key figures summed by the database equal those computed independently from the raw
per-review facts (tests/unit/kpi_reference.py) on randomly generated shops, and the
page's queries and loaded rows do not grow with the number of reviews."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.formats import date_format

from accounts.models import User
from accounts.roles import MANAGE_ALL_PRODUCTS, QUALITY_DIRECTOR
from desk.kpis import KpiRow, category_key, manager_key, month_key, product_key
from desk.selectors import desk_policy, kpi_facts
from gate.models import GateEvent, Improvement
from products.models import Product
from reviews.models import BrandReply, Review, ReviewStatus
from tests.integration.desk.factories import PARIS, make_category, make_product
from tests.unit.kpi_reference import (
    GateEventFact,
    ReviewFact,
    assert_rows_agree,
    per_review_facts,
    reference_csv,
    reference_rows,
)

pytestmark = pytest.mark.django_db

POLICY = {"threshold": "3", "grace_days": 30, "min_reviews": 25, "window_days": 365, "timezone": "Europe/Paris"}
# The generated reviews span these days; the periods below cut across them, across month
# ends and the switch to summer time (29 March 2026 in Paris).
SPAN = (date(2026, 1, 20), date(2026, 4, 20))
PERIODS = [
    (date(2026, 2, 1), date(2026, 4, 10)),
    (date(2026, 3, 1), date(2026, 3, 31)),
    (date(2026, 3, 29), date(2026, 3, 29)),
]
TIE_DELAYS = [timedelta(hours=24), timedelta(hours=24, microseconds=1), timedelta(hours=2), timedelta(0)]


@pytest.fixture
def director(make_user: Callable[..., User]) -> User:
    """A quality director reading English (the shared one reads French)."""
    return make_user(QUALITY_DIRECTOR, language="en", display_name="Dana")


def a_moment(rng: random.Random) -> datetime:
    day = SPAN[0] + timedelta(days=rng.randrange((SPAN[1] - SPAN[0]).days + 1))
    start = datetime.combine(day, time(0), tzinfo=PARIS)
    roll = rng.random()
    if roll < 0.1:
        return start  # local midnight: the first moment of a day, a month, a period
    if roll < 0.2:
        return datetime.combine(day + timedelta(days=1), time(0), tzinfo=PARIS) - timedelta(microseconds=1)
    return start + timedelta(seconds=rng.randrange(86400), microseconds=rng.randrange(1_000_000))


def a_delay(rng: random.Random) -> timedelta:
    roll = rng.random()
    if roll < 0.3:
        return rng.choice(TIE_DELAYS)
    if roll < 0.35:
        return -timedelta(minutes=rng.randrange(1, 300))  # dated before the publication
    return timedelta(seconds=rng.randrange(5 * 86400), microseconds=rng.randrange(1_000_000))


def random_shop(seed: int, *, managers: list[User], reviews: int) -> list[Product]:
    """Products in two categories or none, with zero, one or two managers; reviews of
    every status, half of the published ones answered; gate events before and in the
    periods."""
    rng = random.Random(seed)
    tents, bags = make_category(f"Tents {seed}"), make_category(f"Bags {seed}")
    products = [
        make_product(managers=chosen, category=category)
        for chosen, category in [
            (managers[:1], tents),
            (managers[:2], bags),
            (managers[1:2], tents),
            ([], None),
            (managers[:1], None),
        ]
    ]
    rows = []
    for n in range(reviews):
        moment = a_moment(rng)
        status = rng.choice([ReviewStatus.PUBLISHED] * 6 + [ReviewStatus.PENDING, ReviewStatus.REMOVED])
        rows.append(
            Review(
                product=rng.choice(products),
                author_name=f"Customer {n}",
                rating=rng.randint(1, 5),
                title="Title",
                body="A review with enough words.",
                language="en",
                revision=0,
                status=status,
                status_reason="spam" if status == ReviewStatus.REMOVED else "",
                verified_purchase=rng.random() < 0.4,
                created_at=moment,
                published_at=None if status == ReviewStatus.PENDING else moment,
            )
        )
    created = Review.objects.bulk_create(rows)
    replies = []
    for review in created:
        if review.published_at is not None and rng.random() < 0.5:
            replied = review.published_at + a_delay(rng)
            replies.append(
                BrandReply(review=review, author=managers[0], body="Thanks.", created_at=replied, updated_at=replied)
            )
    BrandReply.objects.bulk_create(replies)
    # Withdrawn before every period, reinstated in two of them.
    withdrawn, reinstated = date(2026, 1, 25), date(2026, 3, 2)
    GateEvent.objects.create(product=products[-1], day=withdrawn, kind="withdrawn", count=30, policy=POLICY)
    fix = Improvement.objects.create(
        product=products[-1], logged_at=datetime.combine(reinstated, time(9), tzinfo=PARIS), day=reinstated, revision=1
    )
    GateEvent.objects.create(
        product=products[-1], day=reinstated, kind="reinstated", count=0, improvement=fix, policy=POLICY
    )
    for product in products[:-1]:
        # At most one evaluation event a product and day (the database says so); an
        # improvement or a reinstatement may share its day (a withdrawal then sorts first).
        days = sorted(date(2025, 12, 1) + timedelta(days=n) for n in rng.sample(range(150), 8))
        revision = 0
        for day in days:
            kind = rng.choice(["flagged", "recovered", "withdrawn", "withdrawn", "improved", "reinstated"])
            if rng.random() < 0.2:
                GateEvent.objects.create(product=product, day=day, kind="withdrawn", count=30, policy=POLICY)
                kind = "reinstated"
            improvement: Improvement | None = None
            if kind in ("improved", "reinstated"):
                revision += 1
                improvement = Improvement.objects.create(
                    product=product,
                    logged_at=datetime.combine(day, time(9), tzinfo=PARIS),
                    day=day,
                    revision=revision,
                    description="A fix.",
                )
            GateEvent.objects.create(
                product=product, day=day, kind=kind, count=30, improvement=improvement, policy=POLICY
            )
    return products


def facts_of(user: User, first: date, last: date) -> tuple[list[ReviewFact], list[GateEventFact]]:
    """The facts the per-review code loaded: one per published review, every event."""
    scope = Product.objects.all() if user.has_perm(MANAGE_ALL_PRODUCTS) else Product.objects.filter(managers=user)
    return per_review_facts(scope=scope, first=first, last=last, policy=desk_policy())


def groups_by(group: str) -> Callable[[int, date], list[tuple[str, str]]]:
    """The page's groups, in English."""

    def groups_of(product_id: int, day: date) -> list[tuple[str, str]]:
        product = Product.objects.select_related("category").get(pk=product_id)
        if group == "month":
            return [(month_key(day), date_format(day, "YEAR_MONTH_FORMAT"))]
        if group == "product":
            return [(product_key(product.pk), f"{product.name} ({product.sku})")]
        if group == "manager":
            people = product.managers.order_by("pk")
            return [(manager_key(p.pk), p.display_name) for p in people] or [(manager_key(None), "(no manager)")]
        if product.category is None:
            return [(category_key(None), "(no category)")]
        return [(category_key(product.category_id), product.category.name)]

    return groups_of


@dataclass
class Seen:
    rows: list[KpiRow]
    csv: str


def page_and_csv(client: Client, group: str, first: date, last: date) -> Seen:
    query = {"group": group, "period": "custom", "start": first.isoformat(), "end": last.isoformat()}
    page = client.get(reverse("desk:kpis"), query)
    export = client.get(reverse("desk:kpis_csv"), query)
    assert page.status_code == export.status_code == 200
    return Seen(rows=page.context["rows"], csv=export.content.decode())


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_figures_equal_the_per_review_computation_on_a_random_shop(
    client: Client, seed: int, director: User, manager: User, other_manager: User
) -> None:
    random_shop(seed, managers=[manager, other_manager], reviews=220)
    replies = []
    for user, total_label in ((director, "All products"), (other_manager, "All my products")):
        client.force_login(user)
        for first, last in PERIODS:
            reviews, events = facts_of(user, first, last)
            for group in ("category", "product", "manager", "month"):
                expected = reference_rows(
                    first=first,
                    last=last,
                    reviews=reviews,
                    events=events,
                    groups_of=groups_by(group),
                    total_label=total_label,
                    chronological=group == "month",
                )
                seen = page_and_csv(client, group, first, last)
                context = f"seed {seed}, {user.display_name}, {first}..{last} by {group}"
                assert_rows_agree(seen.rows, expected, context)
                assert seen.csv == reference_csv(expected, period=(first, last), group_by=group), context
                replies += [row.replies for row in expected]
    # Medians of many replies, of an even and an odd number of them, were compared.
    assert max(replies) > 20 and {n % 2 for n in replies if n > 1} == {0, 1}


def queries_of_the_page(client: Client, group: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(
            reverse("desk:kpis"), {"group": group, "period": "custom", "start": "2026-01-01", "end": "2026-04-30"}
        )
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("group", ["category", "product", "manager", "month"])
def test_the_page_makes_as_many_queries_for_200_reviews_as_for_10(
    client: Client, group: str, director: User, manager: User, other_manager: User
) -> None:
    client.force_login(director)
    products = random_shop(4, managers=[manager, other_manager], reviews=10)
    few = queries_of_the_page(client, group)
    more = random_shop(5, managers=[manager, other_manager], reviews=190)
    assert Review.objects.filter(product__in=[*products, *more]).count() == 200
    assert queries_of_the_page(client, group) == few


def test_the_facts_have_one_row_per_product_and_month_whatever_the_number_of_reviews(
    director: User, manager: User, other_manager: User
) -> None:
    products = random_shop(6, managers=[manager, other_manager], reviews=300)
    first, last = date(2026, 2, 1), date(2026, 3, 31)
    facts = kpi_facts(user=director, first=first, last=last, group="month", policy=desk_policy())
    published = Review.objects.filter(status=ReviewStatus.PUBLISHED, published_at__date__gte=first)
    assert published.count() > 150
    assert len(facts.reviews) <= len(products) * 2
    assert len({(tally.product_id, tally.day) for tally in facts.reviews}) == len(facts.reviews)
    # One or two delays per group (two months) and for the total.
    assert len(facts.replies) == 3 and all(1 <= len(figures.middle) <= 2 for figures in facts.replies)
    by_category = kpi_facts(user=director, first=first, last=last, group="category", policy=desk_policy())
    assert len(by_category.reviews) <= len(products)


def test_the_reference_puts_months_in_calendar_order() -> None:
    """What the comparison above relies on: sorted by name, April would come first."""
    days = [date(2026, 4, 2), date(2026, 2, 3), date(2025, 12, 30), date(2026, 3, 4)]
    moments = [datetime.combine(day, time(9), tzinfo=PARIS) for day in days]
    reviews = [ReviewFact(1, day, 4, False, moment) for day, moment in zip(days, moments, strict=True)]

    def month_of(product_id: int, day: date) -> list[tuple[str, str]]:
        return [(f"{day:%Y-%m}", f"{day:%B %Y}")]

    rows = reference_rows(
        first=days[2], last=days[0], reviews=reviews, events=[], groups_of=month_of, chronological=True
    )
    assert [row.label for row in rows] == ["December 2025", "February 2026", "March 2026", "April 2026", "All"]
