"""The derived figures never drift from the reviews, whatever users and moderators do."""

from __future__ import annotations

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import DomainError
from products.models import Product
from reviews.models import Review
from reviews.ratings import product_ratings_recompute
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

ratings = st.integers(min_value=1, max_value=5)
operation = st.one_of(
    st.tuples(st.just("submit"), st.integers(0, 2), st.integers(0, 4), ratings),
    st.tuples(st.just("publish"), st.integers(0, 40)),
    st.tuples(st.just("reject"), st.integers(0, 40)),
    st.tuples(st.just("remove"), st.integers(0, 40)),
    st.tuples(st.just("delete"), st.integers(0, 40)),
    st.tuples(st.just("edit"), st.integers(0, 40), ratings),
    st.tuples(st.just("premoderation"), st.booleans()),
)


class _Rollback(Exception):
    pass


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=st.lists(operation, min_size=1, max_size=60))
def test_figures_equal_a_recomputation_after_any_sequence(operations, settings):
    try:
        with transaction.atomic():
            products = [product_create() for _ in range(3)]
            users = [user_create("shopper") for _ in range(5)]
            moderator = user_create("moderator")
            for op in operations:
                reviews = list(Review.objects.order_by("pk"))
                pick = (lambda i, pool=reviews: pool[i % len(pool)]) if reviews else None
                try:
                    if op[0] == "submit":
                        review_submit(
                            product=products[op[1]],
                            author=users[op[2]],
                            rating=op[3],
                            title="t",
                            body=REVIEW_TEXT,
                            language="en",
                        )
                    elif op[0] == "premoderation":
                        settings.REVIEWS_PREMODERATION = op[1]
                    elif pick is None:
                        continue
                    elif op[0] == "publish":
                        review_publish(review=pick(op[1]), by=moderator)
                    elif op[0] == "reject":
                        review_reject(review=pick(op[1]), reason="spam", by=moderator)
                    elif op[0] == "remove":
                        review_remove(review=pick(op[1]), reason="offensive", by=moderator)
                    elif op[0] == "delete":
                        review = pick(op[1])
                        review_delete_by_author(review=review, author=review.author)
                    elif op[0] == "edit":
                        review = pick(op[1])
                        review_edit(
                            review=review,
                            author=review.author,
                            rating=op[2],
                            title="edited",
                            body=REVIEW_TEXT,
                            language="fr",
                        )
                except DomainError:
                    pass  # refusals (illegal moves, duplicates) must leave the figures intact too
            ids = [p.pk for p in products]
            snapshot = list(Product.objects.filter(pk__in=ids).order_by("pk").values())
            assert product_ratings_recompute(product_ids=ids) == []
            assert list(Product.objects.filter(pk__in=ids).order_by("pk").values()) == snapshot
            raise _Rollback
    except _Rollback:
        pass
