"""Reads behind the desk's notices: the list with the gate's figures now, one notice's
comments, audit and events, and the days and events its rating chart draws."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, F, Prefetch, QuerySet, Sum

from accounts.models import User
from desk.charts import ChartDay
from desk.models import AuditEntry, NoticeComment
from gate.models import LIVE_NOTICE_STATES, GateEvent, WithdrawalNotice
from gate.policy import GatePolicy, average_of
from gate.selectors import product_average_series, withdrawal_notice_list
from products.models import Product
from reviews.models import Review

# The chart shows this many days before the flag, and never more than MAX_CHART_DAYS.
CHART_DAYS_BEFORE_FLAG = 90
MAX_CHART_DAYS = 400
# A product's audit trail on its notice page: the latest entries.
AUDIT_ENTRIES_SHOWN = 20


def desk_notice_list(
    *,
    user: User | AnonymousUser,
    states: Sequence[str] | None = None,
    category_id: int | None = None,
    manager_id: int | None = None,
) -> QuerySet[WithdrawalNotice]:
    """Notices of the user's products, soonest deadline first (live ones by default),
    with everything a list row shows loaded in the same few queries."""
    notices = withdrawal_notice_list(user=user, states=list(states or LIVE_NOTICE_STATES))
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


def desk_notice_get(*, user: User | AnonymousUser, pk: int) -> WithdrawalNotice:
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
    counted reviews of the current revision in the window. One grouped query."""
    ids = list(product_ids)
    if not ids:
        return {}
    counted = Review.objects.counted().filter(
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
class NoticeFigures:
    """A product's counted reviews now, judged by the policy's own rule (GatePolicy.is_below)."""

    count: int
    total: int
    policy: GatePolicy

    @property
    def average(self) -> Decimal | None:
        return average_of(count=self.count, total=self.total)

    @property
    def exact_average(self) -> Fraction | None:
        """The exact fraction, for the display rule beside the threshold (core.gate_figures)."""
        return Fraction(self.total, self.count) if self.count else None

    @property
    def min_reviews(self) -> int:
        return self.policy.min_reviews

    @property
    def status(self) -> str:
        """below / above the threshold, or too_few reviews for the gate to judge."""
        if self.count < self.policy.min_reviews:
            return "too_few"
        return "below" if self.policy.is_below(self.count, self.total) else "above"


@dataclass(frozen=True)
class NoticeRow:
    notice: WithdrawalNotice
    figures: NoticeFigures
    days_left: int | None  # before the withdrawal date (open notices); negative: overdue
    trend: Decimal | None  # average now minus the average that flagged it

    @property
    def product(self) -> Product:
        return self.notice.product


def notice_figures(*, count: int, total: int, policy: GatePolicy) -> NoticeFigures:
    return NoticeFigures(count=count, total=total, policy=policy)


def notice_rows(*, notices: Sequence[WithdrawalNotice], today: date, policy: GatePolicy) -> list[NoticeRow]:
    """The list's rows: each notice with the gate's figures now and its trend."""
    figures = product_current_figures(product_ids={n.product_id for n in notices}, today=today, policy=policy)
    rows = []
    for notice in notices:
        count, total = figures.get(notice.product_id, (0, 0))
        gate = notice_figures(count=count, total=total, policy=policy)
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


def product_audit(*, product: Product, limit: int = AUDIT_ENTRIES_SHOWN) -> list[AuditEntry]:
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
    published = (
        Review.objects.counted()
        .filter(
            product=product,
            published_at__gte=policy.start_of_day(first),
            published_at__lt=policy.start_of_day(last + timedelta(days=1)),
        )
        .values_list("published_at", flat=True)
    )
    volume = Counter(policy.day_of(moment) for moment in published if moment is not None)
    return [ChartDay(point.day, point.count, point.total, volume.get(point.day, 0)) for point in series]


def product_chart_events(*, product: Product, first: date, last: date) -> list[GateEvent]:
    return list(GateEvent.objects.filter(product=product, day__gte=first, day__lte=last).order_by("day", "id"))
