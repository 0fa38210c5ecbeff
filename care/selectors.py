"""Reads behind customer care's figures and the Net Promoter Score (care.figures defines
them): the facts of the cases opened in a period, and the recommend answers of the counted
reviews tallied by the database per product, bucket and answer.

Nothing here writes, and nothing here checks who may read: the caller passes the products
in its user's scope (``product_ids``; ``None`` for every product). Cases are few (one per
unhappy review), so their facts are read one row per case; reviews are many, so their
answers are summed in SQL and the rows grow with products, days (or buckets) and the 11
answers, never with the reviews.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, cast

from django.db.models import Case as SqlCase
from django.db.models import Count, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone

from care.figures import CaseFacts
from care.models import Case, MessageDirection, MessageKind
from reviews.models import Review

__all__ = ["case_facts", "nps_bucket_tallies", "nps_tallies"]


def _of_products(rows: QuerySet[Any], product_ids: Iterable[int] | None) -> QuerySet[Any]:
    if product_ids is None:
        return rows
    # A QuerySet of ids stays a subquery; any other iterable is read once.
    ids = product_ids if isinstance(product_ids, QuerySet) else list(product_ids)
    return rows.filter(product_id__in=ids)


def case_facts(
    *, product_ids: Iterable[int] | None, opened_from: datetime, opened_to: datetime
) -> list[tuple[int, CaseFacts]]:
    """(product id, facts) of each case opened in ``[opened_from, opened_to)``, in the order
    they opened; one query (care's messages counted by the database)."""
    cases = _of_products(Case.objects.filter(opened_at__gte=opened_from, opened_at__lt=opened_to), product_ids)
    rows = (
        cases.annotate(
            care_messages=Count(
                "messages",
                filter=Q(messages__direction=MessageDirection.TO_CUSTOMER, messages__kind=MessageKind.MESSAGE),
            )
        )
        .order_by("opened_at", "pk")
        .values_list(
            "product_id",
            "opened_at",
            "due_at",
            "first_contact_at",
            "closed_at",
            "outcome",
            "care_messages",
            "effort_score",
            "rating_at_open",
            "rating_now",
            "rating_changed_at",
        )
    )
    return [(product_id, CaseFacts(*facts)) for product_id, *facts in rows]


def _answers(product_ids: Iterable[int] | None, published_from: datetime, published_to: datetime) -> QuerySet[Review]:
    """The counted reviews published in ``[published_from, published_to)`` that carry a
    recommend answer."""
    answered = Review.objects.counted().filter(
        recommend__isnull=False, published_at__gte=published_from, published_at__lt=published_to
    )
    return _of_products(answered, product_ids).order_by()


def nps_tallies(
    *, product_ids: Iterable[int] | None, published_from: datetime, published_to: datetime
) -> list[tuple[int, date, int, int]]:
    """(product id, day of publication in TIME_ZONE, answer 0-10, number of reviews) over
    the counted reviews published in ``[published_from, published_to)`` with a recommend
    answer; one grouped query, sorted. Feed each row to ``care.figures.NpsCounts.add(answer,
    count)`` of the groups it belongs to (its product, its day's month...)."""
    day = TruncDate("published_at", tzinfo=timezone.get_default_timezone())
    rows = (
        _answers(product_ids, published_from, published_to)
        .annotate(day=day)
        .values("product_id", "day", "recommend")
        .annotate(n=Count("pk"))
        .values_list("product_id", "day", "recommend", "n")
        .order_by("product_id", "day", "recommend")
    )
    # The filter excludes null answers: the column's null is not in these rows.
    return list(cast("QuerySet[Any, tuple[int, date, int, int]]", rows))


def nps_bucket_tallies(
    *, product_ids: Iterable[int] | None, bounds: Sequence[datetime]
) -> list[tuple[int, int, int, int]]:
    """(product id, bucket index, answer 0-10, number of reviews): as nps_tallies, with the
    buckets cut by ``bounds`` (b0 < b1 < ... < bn: bucket i is ``[b_i, b_i+1)``), e.g. a
    period's months at the zone's midnights. The bucket is a comparison in SQL, no time-zone
    function per review: the desk's key figures group by month over many reviews."""
    if len(bounds) < 2:
        raise ValueError("bounds needs at least a start and an end")
    bucket: Any
    if len(bounds) == 2:
        bucket = Value(0, output_field=IntegerField())
    else:
        bucket = SqlCase(
            *(When(published_at__lt=end, then=Value(index)) for index, end in enumerate(bounds[1:-1])),
            default=Value(len(bounds) - 2),
            output_field=IntegerField(),
        )
    rows = (
        _answers(product_ids, bounds[0], bounds[-1])
        .annotate(bucket=bucket)
        .values("product_id", "bucket", "recommend")
        .annotate(n=Count("pk"))
        .values_list("product_id", "bucket", "recommend", "n")
        .order_by("product_id", "bucket", "recommend")
    )
    return list(cast("QuerySet[Any, tuple[int, int, int, int]]", rows))
