"""The one place tests build reviews that open care cases, and care staff (through the
services, as the site does): shared by the care, desk and access tests."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from accounts.models import User
from accounts.roles import CUSTOMER_CARE
from care.models import Case
from products.models import Product
from reviews.models import Review
from reviews.services import review_submit
from tests.factories import product_create, user_create

BODY = "A text long enough to be a real review of this product."


def care_staff_create(**fields: Any) -> User:
    return user_create(CUSTOMER_CARE, **fields)


def review_post(
    *,
    product: Product | None = None,
    author: User | None = None,
    rating: int = 2,
    recommend: int | None = None,
    language: str = "en",
    now: datetime | None = None,
    **fields: Any,
) -> Review:
    """A review through review_submit (published at once without pre-moderation)."""
    return review_submit(
        product=product or product_create(),
        author=author if author is not None else user_create(language=language),
        rating=rating,
        title=fields.pop("title", "Not what I hoped"),
        body=fields.pop("body", BODY),
        language=language,
        recommend=recommend,
        now=now,
        **fields,
    )


def case_create(*, rating: int = 1, now: datetime | None = None, **fields: Any) -> Case:
    """An open case: a published review of ``rating`` stars (1 or 2)."""
    review = review_post(rating=rating, now=now, **fields)
    return Case.objects.get(review=review)
