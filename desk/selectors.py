"""Reads of the product manager's desk: notices with their figures, a notice's evidence
(chart, histogram, reviews, complaint phrases, closing the loop), the moderation queue
and the facts behind the KPIs.

Nothing here writes. Every read that takes a user returns only what that user may act
on: a product manager sees the products they manage, a quality director every product.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    Count,
    DurationField,
    F,
    Func,
    IntegerField,
    Min,
    Prefetch,
    Q,
    QuerySet,
    RowRange,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils import timezone

from accounts.models import User
from accounts.roles import MANAGE_ALL_PRODUCTS, MANAGE_OWN_PRODUCTS
from desk.charts import ChartDay
from desk.kpis import (
    REPLY_TARGET_HOURS,
    TOTAL_KEY,
    EventFact,
    ReplyFigures,
    ReviewTally,
    category_key,
    manager_key,
    month_buckets,
    month_key,
)
from desk.models import AuditEntry, NoticeComment
from desk.phrases import LOW_RATINGS, ReviewText, complaint_phrases, phrase_matches
from gate.models import GateEvent, Improvement, WithdrawalNotice
from gate.policy import EventKind, GatePolicy, average_of
from gate.selectors import product_average_series, withdrawal_notice_list
from gate.services import gate_policy_from_settings
from products.models import STARS, Category, Product
from reviews.models import Review, ReviewReport, ReviewStatus

LIVE_STATES = [WithdrawalNotice.State.OPEN, WithdrawalNotice.State.WITHDRAWN]
# The chart shows this many days before the flag, and never more than MAX_CHART_DAYS.
CHART_DAYS_BEFORE_FLAG = 90
MAX_CHART_DAYS = 400
# Praise of similar products that sharpens the complaint phrases of a product with few
# good reviews of its own (see desk.phrases).
REFERENCE_REVIEWS = 400


def desk_policy() -> GatePolicy:
    return gate_policy_from_settings()


def desk_today(policy: GatePolicy, now: datetime | None = None) -> date:
    return policy.day_of(now or timezone.now())


# --- Scope -------------------------------------------------------------------------------


def desk_products(*, user: Any) -> QuerySet[Product]:
    """The products the user may act on from the desk."""
    if not user.is_authenticated:
        return Product.objects.none()
    if user.has_perm(MANAGE_ALL_PRODUCTS):
        return Product.objects.all()
    if user.has_perm(MANAGE_OWN_PRODUCTS):
        return Product.objects.filter(managers=user)
    return Product.objects.none()


def desk_product_get(*, user: Any, sku: str) -> Product:
    """A product the user may act on (raises Product.DoesNotExist otherwise)."""
    return desk_products(user=user).select_related("category").get(sku=sku)


def desk_product_summaries(*, user: Any) -> QuerySet[Product]:
    """The user's products, withdrawn then flagged first, each with its low-rated reviews
    of the current version still waiting for a reply."""
    unanswered = Q(
        reviews__status=ReviewStatus.PUBLISHED,
        reviews__rating__in=list(LOW_RATINGS),
        reviews__revision=F("revision"),
        reviews__brand_reply__isnull=True,
    )
    urgency = Case(
        When(gate_state="withdrawn", then=Value(0)), When(gate_state="flagged", then=Value(1)), default=Value(2)
    )
    return (
        desk_products(user=user)
        .select_related("category")
        .annotate(unanswered_low=Count("reviews", filter=unanswered), urgency=urgency)
        .order_by("urgency", "name", "pk")
    )


def withdrawal_notice_for_product(*, product: Product) -> WithdrawalNotice | None:
    """The product's live notice, else its latest one."""
    return (
        WithdrawalNotice.objects.filter(product=product)
        .order_by(Case(When(state__in=LIVE_STATES, then=Value(0)), default=Value(1)), "-opened_on", "-id")
        .first()
    )


def desk_categories(*, user: Any) -> QuerySet[Category]:
    return Category.objects.filter(products__in=desk_products(user=user)).distinct().order_by("name")


def desk_managers(*, user: Any) -> QuerySet[User]:
    """People who manage at least one product in the user's scope (the manager filter)."""
    return (
        User.objects.filter(managed_products__in=desk_products(user=user))
        .distinct()
        .order_by("display_name", "username")
    )


# --- Notices -----------------------------------------------------------------------------


def desk_notice_list(
    *,
    user: Any,
    states: Sequence[str] | None = None,
    category_id: int | None = None,
    manager_id: int | None = None,
) -> QuerySet[WithdrawalNotice]:
    """Notices of the user's products, soonest deadline first (live ones by default),
    with everything a list row shows loaded in the same few queries."""
    notices = withdrawal_notice_list(user=user, states=list(states or LIVE_STATES))
    if category_id is not None:
        notices = notices.filter(product__category_id=category_id)
    if manager_id is not None:
        notices = notices.filter(product__managers__id=manager_id)
    return (
        notices.select_related("product__category", "flag_event", "assigned_to", "acknowledged_by")
        .prefetch_related(Prefetch("product__managers", queryset=User.objects.order_by("display_name", "username")))
        .annotate(comment_count=Count("comments", distinct=True))
        .order_by("deadline", "id")
    )


def desk_notice_get(*, user: Any, pk: int) -> WithdrawalNotice:
    """A notice of a product the user may act on (raises WithdrawalNotice.DoesNotExist)."""
    return (
        withdrawal_notice_list(user=user)
        .select_related("product__category", "flag_event", "assigned_to", "acknowledged_by", "resolved_by")
        .get(pk=pk)
    )


def product_current_figures(
    *, product_ids: Iterable[int], today: date, policy: GatePolicy
) -> dict[int, tuple[int, int]]:
    """(count, sum) the gate would count for each product at the end of ``today``: its
    published reviews of the current revision in the window. One grouped query."""
    ids = list(product_ids)
    if not ids:
        return {}
    counted = Review.objects.filter(
        status=ReviewStatus.PUBLISHED,
        product_id__in=ids,
        revision=F("product__revision"),
        published_at__lt=policy.start_of_day(today + timedelta(days=1)),
    )
    window_start = policy.window_start(today)
    if window_start is not None:
        counted = counted.filter(published_at__gte=policy.start_of_day(window_start))
    rows = counted.order_by().values("product_id").annotate(n=Count("id"), total=Sum("rating"))
    return {row["product_id"]: (row["n"], row["total"]) for row in rows}


@dataclass(frozen=True)
class GateFigures:
    count: int
    total: int
    threshold: Decimal
    min_reviews: int

    @property
    def average(self) -> Decimal | None:
        return average_of(count=self.count, total=self.total)

    @property
    def status(self) -> str:
        """below / above the threshold, or too_few reviews for the gate to judge."""
        if self.count < self.min_reviews:
            return "too_few"
        return "below" if Decimal(self.total) < self.threshold * self.count else "above"


@dataclass(frozen=True)
class NoticeRow:
    notice: WithdrawalNotice
    figures: GateFigures
    days_left: int | None  # before the withdrawal date (open notices); negative: overdue
    trend: Decimal | None  # average now minus the average that flagged it

    @property
    def product(self) -> Product:
        return self.notice.product


def _threshold(policy: GatePolicy) -> Decimal:
    return Decimal(policy.threshold.numerator) / Decimal(policy.threshold.denominator)


def notice_figures(*, product: Product, count: int, total: int, policy: GatePolicy) -> GateFigures:
    return GateFigures(count=count, total=total, threshold=_threshold(policy), min_reviews=policy.min_reviews)


def notice_rows(*, notices: Sequence[WithdrawalNotice], today: date, policy: GatePolicy) -> list[NoticeRow]:
    """The list's rows: each notice with the gate's figures now and its trend."""
    figures = product_current_figures(product_ids={n.product_id for n in notices}, today=today, policy=policy)
    rows = []
    for notice in notices:
        count, total = figures.get(notice.product_id, (0, 0))
        gate = notice_figures(product=notice.product, count=count, total=total, policy=policy)
        flagged_at = notice.flag_event.average
        trend = None
        if gate.average is not None and flagged_at is not None:
            # To the hundredth shown: a change of 0.0002 is no trend.
            trend = (gate.average - Decimal(flagged_at)).quantize(Decimal("0.01"))
        days_left = (notice.deadline - today).days if notice.state == WithdrawalNotice.State.OPEN else None
        rows.append(NoticeRow(notice=notice, figures=gate, days_left=days_left, trend=trend))
    return rows


def notice_analysed_revision(notice: WithdrawalNotice) -> int:
    """The revision the notice is about: the one that was flagged (an improvement that
    resolved it started the next one)."""
    if notice.resolved_by_id is not None and notice.resolved_by is not None:
        return notice.resolved_by.revision - 1
    return notice.product.revision


def notice_comments(*, notice: WithdrawalNotice) -> QuerySet[NoticeComment]:
    return NoticeComment.objects.filter(notice=notice).order_by("created_at", "id")


def product_audit(*, product: Product, limit: int = 20) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(product=product).order_by("-at", "-id")[:limit])


def product_gate_events(*, product: Product) -> QuerySet[GateEvent]:
    return GateEvent.objects.filter(product=product).select_related("improvement").order_by("-day", "-id")


# --- The chart ---------------------------------------------------------------------------


def notice_chart_range(*, notice: WithdrawalNotice, today: date) -> tuple[date, date]:
    first = notice.opened_on - timedelta(days=CHART_DAYS_BEFORE_FLAG)
    first = max(first, today - timedelta(days=MAX_CHART_DAYS - 1))
    return min(first, today), today


def product_chart_days(*, product: Product, first: date, last: date, policy: GatePolicy) -> list[ChartDay]:
    """Each day of ``first .. last``: the gate's windowed count and sum (gate.selectors'
    product_average_series, the engine's own counting) and the reviews published that day."""
    series = product_average_series(product=product, first=first, last=last, policy=policy)
    published = Review.objects.filter(
        product=product,
        status=ReviewStatus.PUBLISHED,
        published_at__gte=policy.start_of_day(first),
        published_at__lt=policy.start_of_day(last + timedelta(days=1)),
    ).values_list("published_at", flat=True)
    volume = Counter(policy.day_of(moment) for moment in published if moment is not None)
    return [ChartDay(point.day, point.count, point.total, volume.get(point.day, 0)) for point in series]


def product_chart_events(*, product: Product, first: date, last: date) -> list[GateEvent]:
    return list(GateEvent.objects.filter(product=product, day__gte=first, day__lte=last).order_by("day", "id"))


# --- Reviews and what they say -----------------------------------------------------------


def review_histogram(*, product: Product, revision: int) -> dict[int, int]:
    """Published reviews of one revision, by star (one query)."""
    counts = dict(
        Review.objects.filter(product=product, revision=revision, status=ReviewStatus.PUBLISHED)
        .order_by()
        .values_list("rating")
        .annotate(n=Count("id"))
        .values_list("rating", "n")
    )
    return {star: counts.get(star, 0) for star in STARS}


def _text(title: str, body: str) -> str:
    return f"{title}.\n{body}" if title else body


def review_texts(*, product: Product, revision: int) -> list[ReviewText]:
    rows = Review.objects.filter(product=product, revision=revision, status=ReviewStatus.PUBLISHED).values_list(
        "pk", "rating", "language", "title", "body"
    )
    return [ReviewText(pk, rating, language, _text(title, body)) for pk, rating, language, title, body in rows]


def reference_texts(*, product: Product, limit: int = REFERENCE_REVIEWS) -> list[ReviewText]:
    """Recent 4-5 star reviews of other products of the same category (of any product
    when it has none)."""
    others = Review.objects.filter(status=ReviewStatus.PUBLISHED, rating__gte=4).exclude(product=product)
    if product.category_id is not None:
        others = others.filter(product__category_id=product.category_id)
    rows = others.order_by("-published_at", "-id").values_list("pk", "rating", "language", "title", "body")[:limit]
    return [ReviewText(pk, rating, language, _text(title, body)) for pk, rating, language, title, body in rows]


def product_complaint_phrases(*, product: Product, revision: int) -> list[Any]:
    """The complaint phrases of a revision's published reviews (desk.phrases)."""
    return complaint_phrases(
        review_texts(product=product, revision=revision), reference=reference_texts(product=product)
    )


REVIEW_ORDER = ("rating", "-published_at", "-id")


def desk_review_list(
    *,
    product: Product,
    revision: int | None = None,
    stars: Sequence[int] | None = None,
    phrase: str = "",
) -> list[Review]:
    """Published reviews of the product, lowest rating first (then newest), with their
    brand reply; narrowed to a revision, star ratings, and reviews containing a phrase."""
    reviews = Review.objects.filter(product=product, status=ReviewStatus.PUBLISHED).select_related(
        "brand_reply", "brand_reply__author"
    )
    if revision is not None:
        reviews = reviews.filter(revision=revision)
    if stars:
        reviews = reviews.filter(rating__in=list(stars))
    ordered = list(reviews.order_by(*REVIEW_ORDER))
    if phrase:
        ordered = [review for review in ordered if phrase_matches(_text(review.title, review.body), phrase)]
    return ordered


def desk_review_get(*, user: Any, pk: int) -> Review:
    """A published review of a product the user may act on (raises Review.DoesNotExist)."""
    return (
        Review.objects.filter(product__in=desk_products(user=user), status=ReviewStatus.PUBLISHED)
        .select_related("product", "brand_reply")
        .get(pk=pk)
    )


# --- Closing the loop --------------------------------------------------------------------


@dataclass(frozen=True)
class LoopRow:
    """How often an addressed phrase is said in the low-rated reviews, before and after."""

    phrase: str
    before: int
    before_total: int
    after: int
    after_total: int

    @staticmethod
    def _share(count: int, total: int) -> Decimal | None:
        return None if not total else (Decimal(100 * count) / total).quantize(Decimal("0.1"))

    @property
    def before_share(self) -> Decimal | None:
        return self._share(self.before, self.before_total)

    @property
    def after_share(self) -> Decimal | None:
        return self._share(self.after, self.after_total)

    @property
    def verdict(self) -> str:
        """fixed: no longer said; better / same / worse; too_early: no low-rated review yet."""
        after, before = self.after_share, self.before_share
        if after is None:
            return "too_early"
        if before is None:
            return "same"
        if self.after == 0 and self.before > 0:
            return "fixed"
        if after < before:
            return "better"
        return "worse" if after > before else "same"


@dataclass(frozen=True)
class LoopSummary:
    improvement: Improvement
    rows: list[LoopRow]
    before_reviews: int
    before_average: Decimal | None
    after_reviews: int
    after_average: Decimal | None


def _low_texts(product_id: int, revision: int) -> list[str]:
    rows = Review.objects.filter(
        product_id=product_id, revision=revision, status=ReviewStatus.PUBLISHED, rating__in=list(LOW_RATINGS)
    ).values_list("title", "body")
    return [_text(title, body) for title, body in rows]


def closing_the_loop(*, improvement: Improvement) -> LoopSummary:
    """For each phrase the improvement says it addresses: its frequency in the low-rated
    reviews of the new revision against the revision it replaced."""
    before_texts = _low_texts(improvement.product_id, improvement.revision - 1)
    after_texts = _low_texts(improvement.product_id, improvement.revision)
    rows = [
        LoopRow(
            phrase=phrase,
            before=sum(phrase_matches(text, phrase) for text in before_texts),
            before_total=len(before_texts),
            after=sum(phrase_matches(text, phrase) for text in after_texts),
            after_total=len(after_texts),
        )
        for phrase in improvement.addressed_phrases
    ]
    figures = dict(
        (revision, (n, total))
        for revision, n, total in Review.objects.filter(
            product_id=improvement.product_id,
            status=ReviewStatus.PUBLISHED,
            revision__in=[improvement.revision - 1, improvement.revision],
        )
        .order_by()
        .values_list("revision")
        .annotate(n=Count("id"), total=Sum("rating"))
        .values_list("revision", "n", "total")
    )
    before = figures.get(improvement.revision - 1, (0, 0))
    after = figures.get(improvement.revision, (0, 0))
    return LoopSummary(
        improvement=improvement,
        rows=rows,
        before_reviews=before[0],
        before_average=average_of(count=before[0], total=before[1] or 0),
        after_reviews=after[0],
        after_average=average_of(count=after[0], total=after[1] or 0),
    )


# --- Moderation --------------------------------------------------------------------------


def moderation_pending(*, user: Any) -> QuerySet[Review]:
    """Reviews waiting for a first decision, oldest first. Reviews of products the
    moderator manages are left to another moderator."""
    return (
        Review.objects.filter(status=ReviewStatus.PENDING)
        .exclude(product__managers=user)
        .select_related("product")
        .order_by("created_at", "id")
    )


def moderation_reported(*, user: Any) -> QuerySet[Review]:
    """Published reviews with open reports, the longest-waiting report first, with those
    reports loaded."""
    open_reports = Q(reports__handled_at__isnull=True)
    return (
        Review.objects.filter(status=ReviewStatus.PUBLISHED)
        .exclude(product__managers=user)
        .annotate(first_report=Min("reports__created_at", filter=open_reports))
        .filter(first_report__isnull=False)
        .select_related("product")
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=ReviewReport.objects.filter(handled_at__isnull=True).order_by("created_at", "id"),
                to_attr="open_reports",
            )
        )
        .order_by("first_report", "id")
    )


def moderation_left_to_others(*, user: Any) -> int:
    """Waiting reviews the user may not judge (they manage the product)."""
    waiting = Q(status=ReviewStatus.PENDING) | Q(
        status=ReviewStatus.PUBLISHED, reports__handled_at__isnull=True, reports__isnull=False
    )
    return Review.objects.filter(waiting, product__managers=user).distinct().count()


# --- KPIs --------------------------------------------------------------------------------


KPI_GROUPS = ("category", "manager", "month")


@dataclass(frozen=True)
class KpiFacts:
    reviews: list[ReviewTally]  # per product, and per month when grouped by month
    replies: list[ReplyFigures]  # per group of ``group``, and the total's
    events: list[EventFact]
    categories: dict[int, tuple[int, str] | None]  # product id -> (category id, name)
    managers: dict[int, list[tuple[int, str]]]  # product id -> [(user id, name)]


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


def kpi_facts(*, user: Any, first: date, last: date, group: str = "category", policy: GatePolicy) -> KpiFacts:
    """What desk.kpis needs for the user's products in ``first .. last``, rows grouped
    by ``group`` (one of KPI_GROUPS), in five queries (six by manager) whose rows grow
    with the products and months, not with the reviews:

    1. the published reviews summed per product (and per month, in the policy's time
       zone, when grouped by month);
    2. the replied reviews of each group and of all counted, and the middle one or two
       of their reply delays, ranked by the database (by manager, the total in a query
       of its own: a review counts once in it, but in each of its managers' groups);
    3. the gate events of the period, and the withdrawals before it (a reinstatement in
       the period measures from them); 4-5. the products' categories and managers.
    """
    if group not in KPI_GROUPS:
        raise ValueError(f"group must be one of {KPI_GROUPS}, got {group!r}")
    scope = desk_products(user=user)
    published = Review.objects.filter(
        status=ReviewStatus.PUBLISHED,
        published_at__gte=policy.start_of_day(first),
        published_at__lt=policy.start_of_day(last + timedelta(days=1)),
    ).order_by()
    if not (user.is_authenticated and user.has_perm(MANAGE_ALL_PRODUCTS)):
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
    reviews = [
        ReviewTally(product_id, buckets[index][0], n, rating_sum, high, verified)
        for product_id, index, n, rating_sum, high, verified in sums
    ]
    replied = dated.filter(brand_reply__isnull=False).annotate(
        delay=Elapsed(F("brand_reply__created_at"), F("published_at"))
    )
    if group == "category":
        replies = _reply_figures(replied, partition=F("product__category_id"), key_of=category_key, total=True)
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
    categories, managers = kpi_product_groups(scope)
    return KpiFacts(reviews=reviews, replies=replies, events=events, categories=categories, managers=managers)


def kpi_product_groups(
    scope: QuerySet[Product],
) -> tuple[dict[int, tuple[int, str] | None], dict[int, list[tuple[int, str]]]]:
    """Each product's category (id, name; ``None`` without one) and managers (id, name)."""
    categories: dict[int, tuple[int, str] | None] = {}
    for pk, category_id, name in scope.order_by().values_list("pk", "category_id", "category__name"):
        categories[pk] = (category_id, name) if category_id is not None else None
    managers: dict[int, list[tuple[int, str]]] = {}
    through = Product.managers.through.objects.filter(product__in=scope).values_list(
        "product_id", "user_id", "user__display_name", "user__username"
    )
    for product_id, user_id, display_name, username in through.order_by("product_id", "user_id"):
        managers.setdefault(product_id, []).append((user_id, display_name or username))
    return categories, managers


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
