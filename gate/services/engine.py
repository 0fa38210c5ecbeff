"""The day engine: the spec's ``evaluate_day`` driven day by day over the database.

``gate/policy.py`` decides; this module feeds it what is stored and writes down what it
decided. It drives the same two step functions as ``gate_backtest`` (``apply_improvement``
then ``evaluate_day``, for each day in order), which is why the two give the same events.
See docs/gate-production.md for the reasoning behind each choice below.

Crash safety: a day is one transaction that also advances ``GateClock.last_evaluated_day``
(under the clock lock, see gate/services/clock.py). Killed half-way, the day rolls back and
the next run starts with it again; repeated, a run finds the day already evaluated and
skips it. The database refuses a second evaluation event for a product and day, the last
line of defence.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, OuterRef, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.batching import chunked
from core.errors import Conflict, ValidationFailed
from gate.configured import gate_policy_from_settings
from gate.models import GateClock, Improvement
from gate.notify import NotifyAudience
from gate.policy import DayStats, GatePolicy, GateState, evaluate_day
from gate.services.clock import clock_next_day, gate_clock_locked
from gate.services.revisions import pending_improvements_apply
from gate.services.transitions import gate_event_record, product_gate_state_set, product_policy_state
from products.models import Product
from reviews.models import Review

__all__ = [
    "DayMemory",
    "DaySummary",
    "EvaluationSummary",
    "day_evaluate",
    "gate_evaluate_day",
    "gate_evaluate_through",
]


# --- Summaries ----------------------------------------------------------------------------


@dataclass
class DaySummary:
    day: date
    products_evaluated: int = 0
    # True when every product with counted reviews was evaluated (first day, new policy).
    full: bool = False
    events: Counter[str] = field(default_factory=Counter)


@dataclass
class EvaluationSummary:
    first_day: date | None = None
    last_day: date | None = None
    days: int = 0
    products_evaluated: int = 0
    events: Counter[str] = field(default_factory=Counter)

    def add(self, day: DaySummary) -> None:
        if self.first_day is None:
            self.first_day = day.day
        self.last_day = day.day
        self.days += 1
        self.products_evaluated += day.products_evaluated
        self.events.update(day.events)

    def as_dict(self) -> dict[str, Any]:
        return {
            "first_day": self.first_day.isoformat() if self.first_day else None,
            "last_day": self.last_day.isoformat() if self.last_day else None,
            "days": self.days,
            "products_evaluated": self.products_evaluated,
            "events": dict(sorted(self.events.items())),
        }


def _day_over_check(day: date, *, policy: GatePolicy, now: datetime) -> None:
    today = policy.day_of(now)
    if day >= today:
        raise ValidationFailed(
            _("Only days that are over can be evaluated: %(day)s is not over yet (today is %(today)s in %(tz)s).")
            % {"day": day.isoformat(), "today": today.isoformat(), "tz": policy.timezone},
            code="day_not_over",
        )


# --- Evaluating days ----------------------------------------------------------------------


def _counted() -> QuerySet[Review]:
    """The reviews the gate counts: published and not an employee's (docs/gate.md)."""
    return Review.objects.counted().order_by()


def _reviewed_on(policy: GatePolicy, day: date) -> QuerySet[Review]:
    """Counted reviews whose day is ``day`` (indexed: status, published_at)."""
    return _counted().filter(
        published_at__gte=policy.start_of_day(day), published_at__lt=policy.start_of_day(day + timedelta(days=1))
    )


_DayTotals = dict[tuple[int, int], tuple[int, int]]


def _day_totals(policy: GatePolicy, day: date | None) -> _DayTotals:
    """(count, sum) of the counted reviews of ``day``, per (product, revision)."""
    if day is None:
        return {}
    rows = (
        _reviewed_on(policy, day)
        .values("product_id", "revision")
        .annotate(n=Count("id"), total=Sum("rating"))
        .values_list("product_id", "revision", "n", "total")
    )
    return {(pk, revision): (n, total) for pk, revision, n, total in rows}


def _other_candidates(*, day: date, policy: GatePolicy, full: bool, now: datetime) -> set[int]:
    """The products that can change on ``day`` besides those with reviews arriving in or
    leaving the window (see gate/policy.py), in one UNION query:

    * an improvement that day;
    * flagged and at (or past) the withdrawal date;
    * the product row changed that day, or later but before this evaluation (``now``, at
      most to the end of the next day): a review removed, rejected, edited, or imported
      into a day already evaluated changes the figures of the days still to evaluate
      ("only the days evaluated after that"), and a touched product is re-evaluated on
      the day or two whose windows hold its stamp;
    * on a first day or under a new policy, every product with counted reviews or flagged.

    More candidates than needed is harmless: evaluate_day gives no event for a product whose
    figures did not change since its last evaluation.
    """
    next_day = day + timedelta(days=1)
    # A change made after the day but before its evaluation (the 00:10 run), or stamped on
    # the product a moment after midnight by a transaction that began before it, counts on
    # the day too. At most to the end of the next day: a catch-up of many days must not
    # re-evaluate, every day, each product changed since the first of them.
    changed_until = min(
        max(policy.local(now), policy.start_of_day(next_day)), policy.start_of_day(next_day + timedelta(days=1))
    )
    # Flagged on or before this day: the withdrawal date (the policy's one rule) is reached.
    deadline_reached = day - (policy.withdrawal_date(day) - day)
    flagged = Product.objects.filter(gate_state=GateState.FLAGGED).order_by()
    parts: list[QuerySet[Any]] = [
        Improvement.objects.filter(day=day).order_by().values_list("product_id"),
        flagged.filter(flagged_on__lte=deadline_reached).values_list("pk"),
        Product.objects.filter(updated_at__gte=policy.start_of_day(day), updated_at__lt=changed_until)
        .order_by()
        .values_list("pk"),
    ]
    if full:
        counted = _counted().filter(published_at__lt=policy.start_of_day(next_day))
        window_start = policy.window_start(day)
        if window_start is not None:
            counted = counted.filter(published_at__gte=policy.start_of_day(window_start))
        parts.append(counted.values_list("product_id"))
        parts.append(flagged.values_list("pk"))
    return {pk for (pk,) in parts[0].union(*parts[1:])}


def _figures(*, product_ids: Sequence[int], day: date, policy: GatePolicy) -> dict[int, tuple[int, int]]:
    """(count, sum) of each product's counted reviews on ``day``, in one query: counted
    (published, not an employee's), of the product's current revision, and of a day in the window.

    Correlated per product, so every database walks the index (product, revision, status,
    published_at) for each product, whatever its statistics say (a table just filled by an
    import has none, and a planner that believes it empty scans it once per product).
    """
    counted = Review.objects.counted().filter(
        product=OuterRef("pk"),
        revision=OuterRef("revision"),
        published_at__lt=policy.start_of_day(day + timedelta(days=1)),
    )
    window_start = policy.window_start(day)
    if window_start is not None:
        counted = counted.filter(published_at__gte=policy.start_of_day(window_start))
    per_product = counted.order_by().values("product")
    rows = (
        Product.objects.filter(pk__in=product_ids)
        .order_by()
        .annotate(
            n=Subquery(per_product.annotate(n=Count("*")).values("n")),
            total=Subquery(per_product.annotate(total=Sum("rating")).values("total")),
        )
        .values_list("pk", "n", "total")
    )
    return {pk: (n or 0, total or 0) for pk, n, total in rows}


@dataclass
class DayMemory:
    """A run's memory of each product's counted figures, so that consecutive days add the
    day's arrivals and subtract its departures instead of counting the whole window again.

    An entry holds the figures at the end of the last evaluated day together with the
    product's ``revision`` and ``updated_at`` when they were read. It stays right while the
    product is not a candidate (no review arrived or left: its figures did not move); a
    candidate's entry is moved on by the day's arrivals and departures. Anything else that
    changes the figures also changes the product row (a review published, removed or
    edited: products.services stamps ``updated_at``; an improvement: ``revision``), and a
    stamp that differs sends the product back to a full count. Gate writes drop the entry.
    """

    entries: dict[int, tuple[int, datetime, int, int]] = field(default_factory=dict)

    def forget(self, product_id: int) -> None:
        self.entries.pop(product_id, None)


def day_evaluate(
    *, clock: GateClock, day: date, policy: GatePolicy, now: datetime, memory: DayMemory | None = None
) -> DaySummary:
    """One day, inside the caller's transaction that holds the clock lock.

    1. improvements of the day not yet applied (imported), in logged_at order;
    2. the candidates: products with reviews arriving in or leaving the window that day
       (two grouped queries, which also give the day's change of figures), and
       ``_other_candidates``;
    3. a chunk at a time: their state, their figures (from the run's memory moved by the
       day's change, or counted in full), then ``evaluate_day`` for each, in SKU order;
    4. each event: state (compare-and-swap), event row, notice, notifications;
    5. the clock advances to ``day`` under this policy.
    """
    memory = memory if memory is not None else DayMemory()
    if connection.vendor == "postgresql":
        # The day's queries are index look-ups whose estimated cost can still cross
        # jit_above_cost; compiling them costs more than running them (about 15 ms each).
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
    policy_record = policy.as_dict()
    summary = DaySummary(day=day, full=clock.policy != policy_record)
    audience = NotifyAudience()  # quality directors and endpoints: read once, if an event notifies
    for event in pending_improvements_apply(policy=policy, now=now, day=day):
        summary.events[event.kind] += 1
        memory.forget(event.product_id)
    arrivals = _day_totals(policy, day)
    departures = _day_totals(policy, day - timedelta(days=policy.window_days) if policy.window_days else None)
    candidates = {pk for pk, _revision in arrivals} | {pk for pk, _revision in departures}
    candidates |= _other_candidates(day=day, policy=policy, full=summary.full, now=now)
    for chunk in chunked(sorted(candidates)):
        products = list(
            Product.objects.filter(pk__in=chunk).values_list(
                "pk", "sku", "gate_state", "flagged_on", "revision", "updated_at"
            )
        )
        figures: dict[int, tuple[int, int]] = {}
        recount: list[int] = []
        for pk, _sku, gate_state, _flagged_on, revision, updated_at in products:
            known = memory.entries.get(pk)
            if gate_state == GateState.WITHDRAWN:
                memory.forget(pk)  # never evaluated: only an improvement ends a withdrawal
            elif known is not None and known[:2] == (revision, updated_at):
                arrived = arrivals.get((pk, revision), (0, 0))
                left = departures.get((pk, revision), (0, 0))
                figures[pk] = (known[2] + arrived[0] - left[0], known[3] + arrived[1] - left[1])
            else:
                recount.append(pk)
        if recount:
            figures.update(_figures(product_ids=recount, day=day, policy=policy))
        for pk, sku, gate_state, flagged_on, revision, updated_at in sorted(products, key=lambda row: row[1]):
            if pk not in figures:
                continue
            count, total = figures[pk]
            memory.entries[pk] = (revision, updated_at, count, total)
            before = product_policy_state(gate_state, flagged_on)
            after, decided = evaluate_day(before, DayStats(count, total), day=day, product_id=sku, policy=policy)
            summary.products_evaluated += 1
            if decided is None:
                continue
            product_gate_state_set(product_id=pk, expected=before, new=after, day=day, policy=policy)
            memory.forget(pk)
            gate_event_record(product_id=pk, decided=decided, policy=policy, now=now, audience=audience)
            summary.events[decided.kind.value] += 1
    clock.last_evaluated_day = day
    clock.policy = policy_record
    clock.save(update_fields=["last_evaluated_day", "policy", "updated_at"])
    return summary


def gate_evaluate_day(*, day: date, now: datetime | None = None, policy: GatePolicy | None = None) -> DaySummary | None:
    """Evaluate ``day`` if it is the next day to evaluate, in one transaction.

    Returns ``None`` when there is nothing to do: the day was already evaluated (a repeated
    or concurrent run got there first) or comes before the first day with data. Raises
    Conflict if an earlier day is still unevaluated (days go in order), ValidationFailed if
    the day is not over in the policy time zone.
    """
    now = now or timezone.now()
    policy = policy or gate_policy_from_settings()
    _day_over_check(day, policy=policy, now=now)
    with transaction.atomic():
        clock = gate_clock_locked()
        next_day = clock_next_day(clock, policy)
        if next_day is None or day < next_day:
            return None
        if day > next_day:
            raise Conflict(
                _("Days are evaluated in order: %(next)s must be evaluated before %(day)s.")
                % {"next": next_day.isoformat(), "day": day.isoformat()},
                code="day_out_of_order",
            )
        return day_evaluate(clock=clock, day=day, policy=policy, now=now)


def gate_evaluate_through(
    *,
    through: date,
    now: datetime | None = None,
    policy: GatePolicy | None = None,
    progress: Callable[[DaySummary], None] | None = None,
) -> EvaluationSummary:
    """Evaluate, in order, every day not yet evaluated up to ``through`` (inclusive).

    Each day is its own transaction taken under the clock lock, which re-reads the last
    evaluated day: a concurrent run waits, then continues after it or stops. Safe to repeat
    (nothing left: nothing done) and to kill (the day in flight rolls back). On a new
    database the first day is the earliest published review or improvement day.
    ``through`` must be a day that is over in the policy time zone.
    """
    now = now or timezone.now()
    policy = policy or gate_policy_from_settings()
    _day_over_check(through, policy=policy, now=now)
    summary = EvaluationSummary()
    memory = DayMemory()
    GateClock.objects.get_or_create(pk=1)
    while True:
        with transaction.atomic():
            clock = gate_clock_locked(ensure=False)
            day = clock_next_day(clock, policy)
            if day is None or day > through:
                break
            if clock.last_evaluated_day is not None and summary.last_day != clock.last_evaluated_day:
                # Another run evaluated days in between: what this run remembers is older.
                memory = DayMemory()
            result = day_evaluate(clock=clock, day=day, policy=policy, now=now, memory=memory)
        summary.add(result)
        if progress is not None:
            progress(result)
    return summary
