"""Reads behind the topic figures (topics.figures defines them): the topic tags of the counted
reviews published in a period, summed by the database per bucket (a month), topic and, when
asked, product; and how many reviews carry a tag at all.

Nothing here writes, and nothing here checks who may read: the caller passes the products in
its user's scope (``product_ids``; None for every product). Two queries whatever the number
of products or reviews; their rows grow with buckets, topics and (per product) products.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Sum, Value, When

from core.period_query import local_midnight
from reviews.models import counted_q
from topics.figures import TaggedTally, TopicTally
from topics.models import ReviewTopic

__all__ = ["month_bounds", "topic_tallies"]


def month_bounds(months: Sequence[tuple[date, date]]) -> list[datetime]:
    """The local midnights (TIME_ZONE) cutting a period into its months (topics.figures.period_months):
    b0 < b1 < ... < bn, bucket i being ``[b_i, b_i+1)``. Each is its own day's midnight, so a
    month across a daylight-saving change is the month of the calendar, not 30 times 24 hours."""
    return [local_midnight(start) for start, _end in months] + [local_midnight(months[-1][1])]


def _bucket(bounds: Sequence[datetime]) -> Any:
    """The bucket of a tag's review as a comparison in SQL (no time-zone function per row)."""
    if len(bounds) == 2:
        return Value(0, output_field=IntegerField())
    return Case(
        *(When(review__published_at__lt=end, then=Value(index)) for index, end in enumerate(bounds[1:-1])),
        default=Value(len(bounds) - 2),
        output_field=IntegerField(),
    )


def _tags(
    product_ids: Iterable[int] | None, category_id: int | None, bounds: Sequence[datetime]
) -> QuerySet[ReviewTopic]:
    tags = ReviewTopic.objects.filter(
        counted_q("review__"), review__published_at__gte=bounds[0], review__published_at__lt=bounds[-1]
    )
    if product_ids is not None:
        # A QuerySet of ids stays a subquery; any other iterable is read once.
        ids = product_ids if isinstance(product_ids, QuerySet) else list(product_ids)
        tags = tags.filter(review__product_id__in=ids)
    if category_id is not None:
        tags = tags.filter(review__product__category_id=category_id)
    return tags.order_by().annotate(bucket=_bucket(bounds))


def topic_tallies(
    *,
    product_ids: Iterable[int] | None,
    bounds: Sequence[datetime],
    category_id: int | None = None,
    by_product: bool = False,
) -> tuple[list[TopicTally], list[TaggedTally]]:
    """The tallies of the counted reviews published in ``[bounds[0], bounds[-1])`` (cut into
    buckets by ``bounds``), of ``product_ids`` (None: every product) in ``category_id``
    (None: any): per bucket and topic (and product, with ``by_product``) the tagged reviews,
    the negated tags and the rating sum; per bucket (and product) the reviews with any tag.
    Two grouped queries, sorted."""
    if len(bounds) < 2:
        raise ValueError("bounds needs at least a start and an end")
    tags = _tags(product_ids, category_id, bounds)
    product = ["review__product_id"] if by_product else []
    per_topic = (
        tags.values(*product, "bucket", "topic__key")
        .annotate(n=Count("pk"), negated_n=Count("pk", filter=Q(negated=True)), rating_sum=Sum("review__rating"))
        .order_by(*product, "bucket", "topic__position")
    )
    topics = [
        TopicTally(
            bucket=row["bucket"],
            topic=row["topic__key"],
            reviews=row["n"],
            negated=row["negated_n"],
            rating_sum=row["rating_sum"],
            product_id=row.get("review__product_id"),
        )
        for row in per_topic
    ]
    per_bucket = (
        tags.values(*product, "bucket").annotate(n=Count("review_id", distinct=True)).order_by(*product, "bucket")
    )
    tagged = [
        TaggedTally(bucket=row["bucket"], reviews=row["n"], product_id=row.get("review__product_id"))
        for row in per_bucket
    ]
    return topics, tagged
