"""Reads behind the desk's key figures (desk.kpis computes them): the reviews summed per
product (and month), the reply delays ranked by the database, the gate events, and the
products' names, SKUs, categories and managers; the recommend answers and care cases
(care_kpi_facts, care.selectors); in a few queries whose rows grow with the products
and months, not with the reviews (docs/performance-kpis.md)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import (
    Case,
    Count,
    DurationField,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    RowRange,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber

from accounts.models import User, placeholder_display_name
from accounts.roles import user_reads_every_product
from care.selectors import case_facts, nps_bucket_tallies
from desk.kpis import (
    REPLY_TARGET_HOURS,
    TOTAL_KEY,
    CaseFact,
    EventFact,
    NpsTally,
    ReplyFigures,
    ReviewTally,
    category_key,
    manager_key,
    month_buckets,
    month_key,
    product_key,
)
from desk.selectors.scope import desk_readable_products
from gate.models import GateEvent
from gate.policy import EventKind, GatePolicy
from products.models import Product
from reviews.models import Review
from topics.figures import TopicCounts
from topics.selectors import topic_tallies

KPI_GROUPS = ("category", "product", "manager", "month")

CategoryOf = dict[int, tuple[int, str] | None]  # product id -> (category id, name), None without
ManagersOf = dict[int, list[tuple[int, str]]]  # product id -> [(user id, name)]
NamesOf = dict[int, tuple[str, str]]  # product id -> (SKU, name)


@dataclass(frozen=True)
class KpiFacts:
    reviews: list[ReviewTally]  # per product, and per month when grouped by month
    replies: list[ReplyFigures]  # per group of ``group``, and the total's
    events: list[EventFact]
    categories: CategoryOf
    managers: ManagersOf
    products: NamesOf = field(default_factory=dict)  # the SKU and name of each product in scope


class Elapsed(Func):
    """``end - start`` as a duration, exact to the microsecond.

    On SQLite, Django subtracts with a Python function called for every row, a few
    microseconds each (70% of a query over 100,000 reviews, docs/performance-kpis.md).
    SQLite's own functions do it here from the text Django stores (``YYYY-MM-DD
    HH:MM:SS[.ffffff]`` in UTC, which its lookups compare too): whole seconds by strftime
    on the first 19 characters (given a fraction, strftime would round it to the
    millisecond), microseconds from the digits after them. The result is an integer of
    microseconds, what a DurationField is on SQLite. Elsewhere, the database subtracts."""

    arity = 2
    template = "(%(expressions)s)"
    arg_joiner = " - "
    output_field = DurationField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        (end, end_params), (start, start_params) = (compiler.compile(arg) for arg in self.get_source_expressions())

        def seconds(sql: str) -> str:
            return f"CAST(strftime('%%s', substr({sql}, 1, 19)) AS INTEGER)"

        def micro(sql: str) -> str:
            return f"CAST(substr({sql} || '.000000', 21, 6) AS INTEGER)"

        sql = f"(({seconds(end)} - {seconds(start)}) * 1000000 + {micro(end)} - {micro(start)})"
        return sql, (*end_params, *start_params, *end_params, *start_params)


def kpi_facts(
    *, user: User | AnonymousUser, first: date, last: date, group: str = "category", policy: GatePolicy
) -> KpiFacts:
    """What desk.kpis needs for the user's products in ``first .. last``, rows grouped
    by ``group`` (one of KPI_GROUPS), in seven queries (eight by manager) whose rows grow
    with the products and months, not with the reviews; as many for one product as for
    thousands:

    1. the published reviews summed per product (and per month, in the policy's time
       zone, when grouped by month);
    2. the replied reviews of each group and of all counted, and the middle one or two
       of their reply delays, ranked by the database (by manager, the total in a query
       of its own: a review counts once in it, but in each of its managers' groups);
    3. the gate events of the period, and the withdrawals before it (a reinstatement in
       the period measures from them); 4-5. the products' SKUs, names and categories,
       and their managers; 6-7. the topic tags of the reviews, per product and bucket
       (topics.selectors.topic_tallies), carried by their review tallies.
    """
    if group not in KPI_GROUPS:
        raise ValueError(f"group must be one of {KPI_GROUPS}, got {group!r}")
    scope = desk_readable_products(user=user)
    published = (
        Review.objects.counted()
        .filter(
            published_at__gte=policy.start_of_day(first),
            published_at__lt=policy.start_of_day(last + timedelta(days=1)),
        )
        .order_by()
    )
    if not user_reads_every_product(user):
        # Every product is a quality director's: no condition, which SQLite would check
        # review by review (a second for 500,000 reviews, docs/performance-kpis.md).
        published = published.filter(product__in=scope)
    # The month of publication as an index into ``buckets``, compared with the policy's
    # own midnights (what policy.day_of gives), not the database's time zone data.
    buckets = month_buckets(first, last) if group == "month" else [(first, last + timedelta(days=1))]
    if group == "month":
        bucket: Any = Case(
            *(
                When(published_at__lt=policy.start_of_day(end), then=Value(index))
                for index, (_day, end) in enumerate(buckets[:-1])
            ),
            default=Value(len(buckets) - 1),
            output_field=IntegerField(),
        )
    else:
        bucket = Value(0, output_field=IntegerField())
    dated = published.annotate(bucket=bucket)
    sums = (
        dated.values("product_id", "bucket")
        .annotate(
            n=Count("pk"),
            rating_sum=Sum("rating"),
            high=Count("pk", filter=Q(rating__gte=4)),
            verified=Count("pk", filter=Q(verified_purchase=True)),
        )
        .values_list("product_id", "bucket", "n", "rating_sum", "high", "verified")
    )
    topics = _topic_counts(None if user_reads_every_product(user) else scope, buckets, policy)
    reviews = [
        ReviewTally(
            product_id, buckets[index][0], n, rating_sum, high, verified, topics.get((product_id, index), TopicCounts())
        )
        for product_id, index, n, rating_sum, high, verified in sums
    ]
    replied = dated.filter(brand_reply__isnull=False).annotate(
        delay=Elapsed(F("brand_reply__created_at"), F("published_at"))
    )
    if group == "category":
        replies = _reply_figures(replied, partition=F("product__category_id"), key_of=category_key, total=True)
    elif group == "product":
        replies = _reply_figures(replied, partition=F("product_id"), key_of=product_key, total=True)
    elif group == "month":
        replies = _reply_figures(
            replied, partition=F("bucket"), key_of=lambda index: month_key(buckets[index][0]), total=True
        )
    else:
        # A review counts in each of its product's managers' groups, once in the total.
        replies = _reply_figures(replied, partition=F("product__managers"), key_of=manager_key, total=False)
        replies += _reply_figures(replied, total=True)
    events = [
        EventFact(product_id, day, kind)
        for product_id, day, kind in GateEvent.objects.filter(
            Q(day__gte=first) | Q(kind=EventKind.WITHDRAWN),
            product__in=scope,
            day__lte=last,
            kind__in=[EventKind.FLAGGED, EventKind.RECOVERED, EventKind.WITHDRAWN, EventKind.REINSTATED],
        )
        .order_by()
        .values_list("product_id", "day", "kind")
    ]
    categories, managers, products = kpi_product_groups(scope)
    return KpiFacts(
        reviews=reviews, replies=replies, events=events, categories=categories, managers=managers, products=products
    )


def _topic_counts(
    scope: QuerySet[Product] | None, buckets: list[tuple[date, date]], policy: GatePolicy
) -> dict[tuple[int, int], TopicCounts]:
    """The topic counts of each product and bucket (topics.selectors: two queries)."""
    bounds = [policy.start_of_day(start) for start, _end in buckets] + [policy.start_of_day(buckets[-1][1])]
    topics, tagged = topic_tallies(
        product_ids=None if scope is None else scope.values_list("pk", flat=True), bounds=bounds, by_product=True
    )
    found: dict[tuple[int, int], TopicCounts] = {}
    for tally in tagged:
        found.setdefault((tally.product_id or 0, tally.bucket), TopicCounts()).add_tagged(tally)
    for topic in topics:
        found.setdefault((topic.product_id or 0, topic.bucket), TopicCounts()).add_topic(topic)
    return found


@dataclass(frozen=True)
class CareKpiFacts:
    nps: list[NpsTally]  # per product, answer and bucket (the month when grouped by month)
    cases: list[CaseFact]


def care_kpi_facts(
    *, user: User | AnonymousUser, first: date, last: date, policy: GatePolicy, by_month: bool
) -> CareKpiFacts:
    """The recommend answers and care cases of the user's products in ``first .. last``
    (days in the policy's zone), in two queries: the answers summed per product, bucket and
    answer by the database (rows grow with products, months and the 11 answers, never with
    the reviews), and one row per case opened in the period (cases are few: one per unhappy
    review), dated by the day it opened."""
    product_ids: QuerySet[Any, int] | None = None
    if not user_reads_every_product(user):
        product_ids = desk_readable_products(user=user).values_list("pk", flat=True)
    buckets = month_buckets(first, last) if by_month else [(first, last + timedelta(days=1))]
    bounds = [policy.start_of_day(start) for start, _end in buckets] + [policy.start_of_day(buckets[-1][1])]
    nps = [
        NpsTally(product_id, buckets[index][0], answer, count)
        for product_id, index, answer, count in nps_bucket_tallies(product_ids=product_ids, bounds=bounds)
    ]
    cases = [
        CaseFact(product_id, policy.day_of(facts.opened_at), facts)
        for product_id, facts in case_facts(product_ids=product_ids, opened_from=bounds[0], opened_to=bounds[-1])
    ]
    return CareKpiFacts(nps=nps, cases=cases)


def kpi_product_groups(scope: QuerySet[Product]) -> tuple[CategoryOf, ManagersOf, NamesOf]:
    """Each product's category (id, name; ``None`` without one), managers (id, name) and
    SKU and name, in two queries."""
    categories: CategoryOf = {}
    products: NamesOf = {}
    named = scope.order_by().values_list("pk", "sku", "name", "category_id", "category__name")
    for pk, sku, name, category_id, category_name in named:
        categories[pk] = (category_id, category_name) if category_id is not None else None
        products[pk] = (sku, name)
    managers: ManagersOf = {}
    through = Product.managers.through.objects.filter(product__in=scope).values_list(
        "product_id", "user_id", "user__display_name", "user__username"
    )
    for product_id, user_id, display_name, _username in through.order_by("product_id", "user_id"):
        managers.setdefault(product_id, []).append((user_id, display_name or placeholder_display_name(user_id)))
    return categories, managers, products


def _reply_figures(
    replied: QuerySet[Review], *, partition: Any = None, key_of: Callable[[Any], str] | None = None, total: bool
) -> list[ReplyFigures]:
    """The reply figures of each group (the values of ``partition``, named by ``key_of``)
    and, with ``total``, of all of ``replied``, in one query: the database counts and
    ranks the delays of each group and of all, and keeps the rows whose rank r in one of
    them has n <= 2r <= n + 2 (n replies): r = (n + 1) / 2 when n is odd, n / 2 and
    n / 2 + 1 when even, the middle. Exact on SQLite and PostgreSQL alike (no percentile
    function). ``total`` needs a partition that puts each reply in one group at most."""
    rankings: list[tuple[str, dict[str, Any]]] = []
    if partition is not None:
        rankings.append(("group", {"partition_by": [partition]}))
    if total:
        rankings.append(("all", {}))
    in_time = Q(delay__lte=timedelta(hours=REPLY_TARGET_HOURS))
    windows: dict[str, Any] = {"part": partition if partition is not None else Value(0, output_field=IntegerField())}
    middle = Q()
    for name, over in rankings:
        # One window for the three (the whole partition as the frame, which ROW_NUMBER
        # ignores): the database sorts the delays once per ranking, not once per figure.
        window = {**over, "order_by": [F("delay").asc(), F("pk").asc()], "frame": RowRange(start=None, end=None)}
        windows[f"{name}_rank"] = Window(RowNumber(), **window)
        windows[f"{name}_n"] = Window(Count("pk"), **window)
        windows[f"{name}_within"] = Window(Count("pk", filter=in_time), **window)
    ranked = replied.annotate(**windows).annotate(
        **{f"{name}_twice": F(f"{name}_rank") * 2 for name, _over in rankings}
    )
    for name, _over in rankings:
        middle |= Q(**{f"{name}_twice__gte": F(f"{name}_n"), f"{name}_twice__lte": F(f"{name}_n") + 2})
    columns = [f"{name}_{figure}" for name, _over in rankings for figure in ("rank", "n", "within")]
    found: dict[str, tuple[int, int, list[tuple[int, timedelta]]]] = {}
    for part, delay, *figures in ranked.filter(middle).values_list("part", "delay", *columns):
        for index, (name, _over) in enumerate(rankings):
            rank, n, within = figures[3 * index : 3 * index + 3]
            if n <= 2 * rank <= n + 2:
                key = TOTAL_KEY if name == "all" or key_of is None else key_of(part)
                found.setdefault(key, (n, within, []))[2].append((rank, delay))
    return [
        ReplyFigures(key, n, within, tuple(delay for _rank, delay in sorted(middle)))
        for key, (n, within, middle) in found.items()
    ]
