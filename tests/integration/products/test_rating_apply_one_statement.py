"""product_rating_apply moves a product's figures in one UPDATE, its average computed by the
database exactly as gate.policy.average_of (half-even on the exact fraction), ties included.
Runs on SQLite and, with DATABASE_URL=postgres://..., on PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gate.policy import average_of
from products.models import STARS, Product
from products.services import product_rating_apply
from tests.factories import product_create

pytestmark = pytest.mark.django_db

# Histograms (stars 1 to 5) after the change; ties of the 5th decimal among them:
# 35/32 = 1.09375 (rounded up to the even 1.0938), 33/32 = 1.03125 (down to 1.0312).
HISTOGRAMS = [
    (1, 0, 0, 0, 0),
    (0, 0, 0, 0, 1),
    (29, 3, 0, 0, 0),
    (31, 1, 0, 0, 0),
    (0, 1, 1, 0, 0),
    (1, 2, 0, 0, 0),
    (3, 0, 0, 0, 7),
    (0, 0, 0, 11, 21),
    (5, 4, 3, 2, 1),
    # A large product: its sum times 10**4 passes 2**31 (PostgreSQL's integer failed there).
    (1_000, 0, 0, 3_000, 45_001),
]


def _figures(prefix: str, histogram: tuple[int, ...]) -> dict[str, Any]:
    return {
        f"{prefix}_count": sum(histogram),
        f"{prefix}_sum": sum(star * n for star, n in zip(STARS, histogram, strict=True)),
        **{f"{prefix}_{star}_star": n for star, n in zip(STARS, histogram, strict=True)},
    }


def _stored(product: Product, histogram: tuple[int, ...], *, all_time_extra: int = 0) -> None:
    all_time = tuple(n + (all_time_extra if star == 5 else 0) for star, n in zip(STARS, histogram, strict=True))
    current = _figures("current", histogram)
    Product.objects.filter(pk=product.pk).update(
        **current,
        **_figures("all_time", all_time),
        current_average=average_of(count=current["current_count"], total=current["current_sum"]),
    )


@pytest.mark.parametrize("histogram", HISTOGRAMS)
@pytest.mark.parametrize("delta", [+1, -1])
def test_one_statement_moves_the_figures_and_the_average_as_average_of(histogram: tuple[int, ...], delta: int) -> None:
    product = product_create()
    rating = next(star for star, n in zip(STARS, histogram, strict=True) if n)
    before = tuple(n - (1 if star == rating else 0) for star, n in zip(STARS, histogram, strict=True))
    start, end = (before, histogram) if delta > 0 else (histogram, before)
    _stored(product, start, all_time_extra=2)

    with CaptureQueriesContext(connection) as captured:
        product_rating_apply(product_id=product.pk, revision=product.revision, rating=rating, delta=delta)

    assert len(captured.captured_queries) == 1
    product.refresh_from_db()
    count, total = sum(end), sum(star * n for star, n in zip(STARS, end, strict=True))
    assert (product.current_count, product.current_sum) == (count, total)
    assert product.current_histogram == dict(zip(STARS, end, strict=True))
    assert product.current_average == average_of(count=count, total=total)
    assert product.all_time_count == count + 2


def test_a_review_of_an_earlier_revision_moves_only_the_all_time_figures() -> None:
    product = product_create()
    _stored(product, (0, 0, 1, 0, 0), all_time_extra=3)
    Product.objects.filter(pk=product.pk).update(revision=1)

    product_rating_apply(product_id=product.pk, revision=0, rating=4, delta=+1)

    product.refresh_from_db()
    assert (product.current_count, product.current_sum, product.current_4_star) == (1, 3, 0)
    assert product.current_average == average_of(count=1, total=3)  # as it was
    assert (product.all_time_count, product.all_time_4_star) == (5, 1)
