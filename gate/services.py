"""The quality gate in production: the spec's engine driven day by day over the database.

``gate/policy.py`` decides; this module feeds it what is stored and writes down what it
decided. It drives the same two step functions as ``gate_backtest`` (``apply_improvement``
then ``evaluate_day``, for each day in order), which is why the two give the same events.
See docs/gate-production.md for the reasoning behind each choice below.

Locking: every writer of gate history (a day's evaluation, an improvement, an import)
works inside one transaction that first locks the ``GateClock`` row (``SELECT ... FOR
UPDATE`` on PostgreSQL; on SQLite every transaction takes the single write lock at BEGIN,
``transaction_mode=IMMEDIATE``). So they run one at a time, and each sees what the
previous one committed.

Crash safety: a day is one transaction that also advances ``GateClock.last_evaluated_day``.
Killed half-way, the day rolls back and the next run starts with it again; repeated, a
run finds the day already evaluated and skips it. The database refuses a second
evaluation event for a product and day, the last line of defence.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import Count, Min, OuterRef, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.errors import Conflict, NotAllowed, ValidationFailed
from gate.models import GateClock, GateEvent, Improvement, WithdrawalNotice
from gate.notify import NotifyAudience, gate_event_notify
from gate.policy import (
    DayStats,
    EventKind,
    GatePolicy,
    GateState,
    PolicyError,
    ProductGateState,
    apply_improvement,
    evaluate_day,
)
from gate.policy import GateEvent as DecidedEvent
from products.access import user_can_manage_product
from products.models import Product
from products.services import product_current_figures_reset
from reviews.models import BODY_MAX_LENGTH, TITLE_MAX_LENGTH, Review, ReviewSource, ReviewStatus
from reviews.ratings import product_ratings_recompute

__all__ = [
    "REVIEW_IMPORT_COLUMNS",
    "DaySummary",
    "EvaluationSummary",
    "ImportRefused",
    "ImprovementImport",
    "ReviewImport",
    "ReviewImportSummary",
    "gate_evaluate_day",
    "gate_evaluate_through",
    "gate_next_day",
    "gate_policy_from_settings",
    "improvement_import",
    "improvement_log",
    "product_gate_state_set",
    "review_history_import",
    "review_import_from_row",
]

# Candidate products are read and evaluated this many at a time: it bounds memory and
# keeps every `IN (...)` list far below SQLite's limit on query parameters.
CHUNK_SIZE = 2000
# Imported reviews are inserted this many per INSERT.
IMPORT_BATCH_SIZE = 5000
IMPORTED_AUTHOR_NAME = "Anonymous"
DESCRIPTION_MAX_LENGTH = 5000
PUBLIC_NOTE_MAX_LENGTH = 1000
ADDRESSED_PHRASES_MAX = 20
ADDRESSED_PHRASE_MAX_LENGTH = 200

_T = TypeVar("_T")


# --- Policy and days ----------------------------------------------------------------------


def gate_policy_from_settings() -> GatePolicy:
    """The policy in force: GATE_* settings (each overridable by environment) and TIME_ZONE."""
    try:
        return GatePolicy.build(
            threshold=str(settings.GATE_THRESHOLD),
            grace_days=settings.GATE_GRACE_DAYS,
            min_reviews=settings.GATE_MIN_REVIEWS,
            window_days=settings.GATE_WINDOW_DAYS,
            timezone=settings.TIME_ZONE,
        )
    except PolicyError as exc:
        raise ImproperlyConfigured(f"The quality gate's settings are invalid: {exc}") from exc


def _start(policy: GatePolicy, day: date) -> datetime:
    """Midnight starting ``day`` in the policy time zone: days are cut at these instants,
    so a day's reviews are those with ``start(d) <= published_at < start(d + 1)``."""
    return policy.start_of_day(day)


def _chunks(items: Sequence[_T], size: int = CHUNK_SIZE) -> Iterator[Sequence[_T]]:
    for offset in range(0, len(items), size):
        yield items[offset : offset + size]


def _state_of(gate_state: str, flagged_on: date | None) -> ProductGateState:
    # A withdrawn product keeps its flagged_on as history; the policy's state has none.
    return ProductGateState(GateState(gate_state), flagged_on if gate_state == GateState.FLAGGED else None)


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


# --- The clock ----------------------------------------------------------------------------


def _clock_locked(*, ensure: bool = True) -> GateClock:
    """The GateClock row, locked until the end of the caller's transaction.

    Created on first use (a flushed test database has none); get_or_create copes with two
    first users at once by catching the unique violation and reading the winner's row.
    ``ensure=False`` skips that read when the caller made sure of the row already.
    """
    if ensure:
        GateClock.objects.get_or_create(pk=1)
    return GateClock.objects.select_for_update().get(pk=1)


def _first_day(policy: GatePolicy) -> date | None:
    """A new database starts with the earliest published review or improvement day."""
    first_review = Review.objects.filter(status=ReviewStatus.PUBLISHED).aggregate(m=Min("published_at"))["m"]
    first_improvement = Improvement.objects.aggregate(m=Min("logged_at"))["m"]
    days = [policy.day_of(moment) for moment in (first_review, first_improvement) if moment is not None]
    return min(days, default=None)


def _next_day(clock: GateClock, policy: GatePolicy) -> date | None:
    if clock.last_evaluated_day is not None:
        return clock.last_evaluated_day + timedelta(days=1)
    return _first_day(policy)


def gate_next_day(*, policy: GatePolicy | None = None) -> date | None:
    """The next day the engine will evaluate (``None``: nothing stored to evaluate yet)."""
    policy = policy or gate_policy_from_settings()
    clock = GateClock.objects.filter(pk=1).first()
    if clock is None:
        return _first_day(policy)
    return _next_day(clock, policy)


def _check_day_over(day: date, *, policy: GatePolicy, now: datetime) -> None:
    today = policy.day_of(now)
    if day >= today:
        raise ValidationFailed(
            _(
                "Only days that are over can be evaluated: %(day)s is not over yet "
                "(today is %(today)s in %(tz)s)."
            )
            % {"day": day.isoformat(), "today": today.isoformat(), "tz": policy.timezone},
            code="day_not_over",
        )


# --- The one writer of a product's gate state --------------------------------------------

# The moves of the spec's two tables; a move between equal states is no move.
_LEGAL_MOVES = frozenset(
    {
        (GateState.ACTIVE, GateState.FLAGGED),
        (GateState.FLAGGED, GateState.ACTIVE),
        (GateState.FLAGGED, GateState.WITHDRAWN),
        (GateState.WITHDRAWN, GateState.ACTIVE),
    }
)


def product_gate_state_set(
    *,
    product_id: int,
    expected: ProductGateState,
    new: ProductGateState,
    day: date,
    policy: GatePolicy,
    revision: int | None = None,
    revision_started_at: datetime | None = None,
) -> bool:
    """Move a product from ``expected`` to ``new`` (and, for an improvement, to ``revision``).

    The only code that writes Product.gate_state, flagged_on, withdrawal_deadline,
    withdrawn_on, on_sale, revision and revision_started_at. It is a compare-and-swap:
    the UPDATE matches only a row still in ``expected`` (and at ``revision - 1``), and a
    row count other than one means someone else moved the product first: Conflict, and
    the caller's transaction rolls back. Illegal moves are refused; no change is a no-op.
    Returns whether a row was written.

    * flagged: ``flagged_on = day``, the withdrawal date from the policy;
    * withdrawn: ``withdrawn_on = day`` and off sale at once (flagged_on and the
      withdrawal date stay as the record of the episode);
    * active (recovered, improved, reinstated): flags cleared and back on sale.
    """
    moved = new != expected
    if not moved and revision is None:
        return False
    if moved and (expected.state, new.state) not in _LEGAL_MOVES:
        raise Conflict(
            _("A product cannot go from %(old)s to %(new)s.") % {"old": expected.state.value, "new": new.state.value},
            code="illegal_gate_move",
        )
    if revision is not None and new.state is not GateState.ACTIVE:
        raise Conflict(_("An improvement always leaves the product active."), code="illegal_gate_move")
    changes: dict[str, Any] = {"gate_state": new.state.value, "updated_at": timezone.now()}
    if new.state is GateState.ACTIVE:
        changes.update(flagged_on=None, withdrawal_deadline=None, withdrawn_on=None, on_sale=True)
    elif new.state is GateState.FLAGGED:
        assert new.flagged_on is not None  # ProductGateState guarantees it
        changes.update(
            flagged_on=new.flagged_on,
            withdrawal_deadline=policy.withdrawal_date(new.flagged_on),
            withdrawn_on=None,
            on_sale=True,
        )
    else:
        changes.update(withdrawn_on=day, on_sale=False)
    if revision is not None:
        changes.update(revision=revision, revision_started_at=revision_started_at)
    match = Product.objects.filter(pk=product_id, gate_state=expected.state.value)
    if expected.state is GateState.FLAGGED:
        match = match.filter(flagged_on=expected.flagged_on)
    if revision is not None:
        match = match.filter(revision=revision - 1)
    if match.update(**changes) != 1:
        raise Conflict(
            _("The gate state of product %(id)s changed while it was being updated; nothing was written.")
            % {"id": product_id},
            code="gate_state_changed",
        )
    return True


# --- Events and notices -------------------------------------------------------------------


def _event_record(
    *,
    product_id: int,
    decided: DecidedEvent,
    policy: GatePolicy,
    now: datetime,
    improvement: Improvement | None = None,
    audience: NotifyAudience | None = None,
) -> GateEvent:
    """Append the event, follow it up on the product's notice, then hand it to notifications.

    All in the caller's transaction: the notice and the outbox rows exist exactly when the
    event does. ``audience``: the day's recipients of every event, read once.
    """
    event = GateEvent.objects.create(
        product_id=product_id,
        day=decided.day,
        kind=decided.kind.value,
        average=decided.average,
        count=decided.count,
        improvement=improvement,
        policy=policy.as_dict(),
    )
    _notice_follow(event=event, policy=policy, now=now, improvement=improvement)
    gate_event_notify(event=event, now=now, audience=audience)
    return event


def _notice_follow(*, event: GateEvent, policy: GatePolicy, now: datetime, improvement: Improvement | None) -> None:
    """One notice per flag episode: opened by flagged, closed by how the episode ends."""
    live = WithdrawalNotice.objects.filter(product_id=event.product_id)
    if event.kind == EventKind.FLAGGED:
        WithdrawalNotice.objects.create(
            product_id=event.product_id,
            flag_event=event,
            opened_on=event.day,
            deadline=policy.withdrawal_date(event.day),
            state=WithdrawalNotice.State.OPEN,
        )
    elif event.kind == EventKind.RECOVERED:
        # Closed when the day that cleared it ended (or now, if that is earlier).
        closed_at = min(now, _start(policy, event.day + timedelta(days=1)))
        live.filter(state=WithdrawalNotice.State.OPEN).update(
            state=WithdrawalNotice.State.RECOVERED, closed_at=closed_at
        )
    elif event.kind == EventKind.WITHDRAWN:
        # Still live: a withdrawn product's notice ends only with an improvement.
        live.filter(state=WithdrawalNotice.State.OPEN).update(state=WithdrawalNotice.State.WITHDRAWN)
    elif improvement is not None:
        live.filter(state__in=[WithdrawalNotice.State.OPEN, WithdrawalNotice.State.WITHDRAWN]).update(
            state=WithdrawalNotice.State.RESOLVED, resolved_by=improvement, closed_at=improvement.logged_at
        )


# --- Improvements -------------------------------------------------------------------------


def _reviews_to_revision(*, product_id: int, revision: int, since: datetime) -> int:
    """Reviews written at or after an improvement's ``logged_at`` belong to its revision.

    Only moves reviews forward (``revision < r``), so a later improvement's reviews keep
    theirs. Needed for history: imported reviews, or reviews written between an imported
    improvement's moment and the evaluation of its day.
    """
    return (
        Review.objects.filter(product_id=product_id, created_at__gte=since, revision__lt=revision)
        .order_by()
        .update(revision=revision)
    )


def _improvement_apply(*, improvement: Improvement, policy: GatePolicy, now: datetime) -> GateEvent:
    """Start the improvement's revision and write its improved / reinstated event.

    1. lock the product, apply the spec's transition (apply_improvement);
    2. write state and revision (product_gate_state_set);
    3. the new revision's reviews: none for one logged now (figures reset), or those
       already stored after ``logged_at`` for history (moved, figures recomputed);
    4. the event, the notice resolved, the notifications.
    """
    product = Product.objects.select_for_update().get(pk=improvement.product_id)
    if improvement.revision != product.revision + 1:
        raise Conflict(
            _("Improvement %(id)s starts revision %(rev)s but product %(sku)s is at revision %(current)s.")
            % {"id": improvement.pk, "rev": improvement.revision, "sku": product.sku, "current": product.revision},
            code="revision_out_of_order",
        )
    before = _state_of(product.gate_state, product.flagged_on)
    after, decided = apply_improvement(before, day=improvement.day, product_id=product.sku)
    product_gate_state_set(
        product_id=product.pk,
        expected=before,
        new=after,
        day=improvement.day,
        policy=policy,
        revision=improvement.revision,
        revision_started_at=improvement.logged_at,
    )
    moved = _reviews_to_revision(product_id=product.pk, revision=improvement.revision, since=improvement.logged_at)
    if moved or improvement.source == Improvement.Source.IMPORT:
        product_ratings_recompute(product_ids=[product.pk])
    else:
        product_current_figures_reset(product_id=product.pk)
    return _event_record(product_id=product.pk, decided=decided, policy=policy, now=now, improvement=improvement)


def _pending_improvements_apply(
    *, policy: GatePolicy, now: datetime, day: date | None = None, product_id: int | None = None
) -> list[GateEvent]:
    """Apply stored improvements that have no event yet (imported history), in logged_at order."""
    pending = Improvement.objects.filter(event__isnull=True).order_by("logged_at", "revision")
    if day is not None:
        pending = pending.filter(day=day)
    if product_id is not None:
        pending = pending.filter(product_id=product_id)
    return [_improvement_apply(improvement=item, policy=policy, now=now) for item in pending]


def _clean_improvement_text(
    *, description: str, public_note: str, addressed_phrases: Iterable[str]
) -> tuple[str, str, list[str]]:
    errors: dict[str, str] = {}
    description = (description or "").strip()
    public_note = (public_note or "").strip()
    phrases = [str(phrase).strip() for phrase in addressed_phrases if str(phrase).strip()]
    if not description:
        errors["description"] = _("Say what was changed.")
    elif len(description) > DESCRIPTION_MAX_LENGTH:
        errors["description"] = _("At most %(max)d characters.") % {"max": DESCRIPTION_MAX_LENGTH}
    if len(public_note) > PUBLIC_NOTE_MAX_LENGTH:
        errors["public_note"] = _("At most %(max)d characters.") % {"max": PUBLIC_NOTE_MAX_LENGTH}
    if len(phrases) > ADDRESSED_PHRASES_MAX:
        errors["addressed_phrases"] = _("Choose at most %(max)d phrases.") % {"max": ADDRESSED_PHRASES_MAX}
    elif any(len(phrase) > ADDRESSED_PHRASE_MAX_LENGTH for phrase in phrases):
        errors["addressed_phrases"] = _("Each phrase can be at most %(max)d characters long.") % {
            "max": ADDRESSED_PHRASE_MAX_LENGTH
        }
    if errors:
        raise ValidationFailed(
            _("The improvement could not be logged: please correct the fields shown."), fields=errors
        )
    return description, public_note, list(dict.fromkeys(phrases))


def improvement_log(
    *,
    product: Product,
    by: Any,
    description: str,
    public_note: str = "",
    addressed_phrases: Iterable[str] = (),
    now: datetime | None = None,
) -> Improvement:
    """A product's manager (or a quality director) logs an improvement: a new revision now.

    1. refuse anyone who may not manage the product (NotAllowed), and bad fields;
    2. evaluate every day not yet evaluated through yesterday (the catch-up);
    3. under the gate lock: apply any imported improvement of the product still pending,
       then start the new revision at ``now`` and write its ``improved`` / ``reinstated``
       event dated today, which puts a withdrawn product back on sale at once and resolves
       its notice. Today's evaluation then runs on the new revision.
    """
    now = now or timezone.now()
    if by is None or not user_can_manage_product(by, product):
        raise NotAllowed(_("Only the product's managers and quality directors can log an improvement."))
    description, public_note, phrases = _clean_improvement_text(
        description=description, public_note=public_note, addressed_phrases=addressed_phrases
    )
    policy = gate_policy_from_settings()
    today = policy.day_of(now)
    gate_evaluate_through(through=today - timedelta(days=1), now=now, policy=policy)
    with transaction.atomic():
        clock = _clock_locked()
        if clock.last_evaluated_day is not None and clock.last_evaluated_day >= today:
            raise Conflict(
                _("Day %(day)s has already been evaluated: an improvement cannot be logged on it.")
                % {"day": today.isoformat()},
                code="day_evaluated",
            )
        _pending_improvements_apply(policy=policy, now=now, product_id=product.pk)
        current = Product.objects.select_for_update().get(pk=product.pk)
        if current.revision_started_at is not None and now < current.revision_started_at:
            raise Conflict(
                _("This product's current revision started at %(start)s, after the moment given.")
                % {"start": current.revision_started_at.isoformat()},
                code="revision_out_of_order",
            )
        improvement = Improvement.objects.create(
            product=current,
            logged_by=by,
            logged_at=now,
            day=today,
            revision=current.revision + 1,
            description=description,
            public_note=public_note,
            addressed_phrases=phrases,
            source=Improvement.Source.APP,
        )
        _improvement_apply(improvement=improvement, policy=policy, now=now)
    product.refresh_from_db()
    return improvement


@dataclass(frozen=True)
class ImprovementImport:
    """One improvement of history to import (``line``: where it came from, for errors)."""

    sku: str
    logged_at: datetime
    description: str = ""
    line: int | None = None


class ImportRefused(ValidationFailed):
    """An imported row cannot be taken; ``line`` says which (``None``: the whole import)."""

    def __init__(self, message: str, *, line: int | None = None, code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.line = line


def improvement_import(
    *,
    items: Sequence[ImprovementImport],
    by: Any = None,
    now: datetime | None = None,
    policy: GatePolicy | None = None,
) -> list[Improvement]:
    """Log improvements of history, to be applied when the engine evaluates their days.

    Refused, all or nothing, when one is for a day already evaluated (history is never
    rewritten), at a moment in the future, for an unknown product, or before the product's
    latest improvement (revisions follow each other in time). Otherwise each becomes the
    product's next revision, and the reviews already stored that were written at or after
    its ``logged_at`` move to that revision (they are about the improved product), with the
    products' figures recomputed. The improved / reinstated event is written when the
    engine evaluates the improvement's day, as the spec orders it.
    """
    now = now or timezone.now()
    policy = policy or gate_policy_from_settings()
    ordered = sorted(items, key=lambda item: item.logged_at)
    with transaction.atomic():
        clock = _clock_locked()
        skus = {item.sku for item in ordered}
        products: dict[str, int] = {}
        for sku_chunk in _chunks(sorted(skus)):
            products.update(Product.objects.filter(sku__in=sku_chunk).values_list("sku", "pk"))
        latest: dict[int, tuple[int, datetime | None]] = {}
        for chunk in _chunks(sorted(products.values())):
            for pk, revision, started in Product.objects.filter(pk__in=chunk).values_list(
                "pk", "revision", "revision_started_at"
            ):
                latest[pk] = (revision, started)
            # Pending (imported, not yet applied) improvements count: the next one follows them.
            for pk, revision, logged_at in (
                Improvement.objects.filter(product_id__in=chunk)
                .order_by("product_id", "revision")
                .values_list("product_id", "revision", "logged_at")
            ):
                latest[pk] = (revision, logged_at)
        created: list[Improvement] = []
        for item in ordered:
            _improvement_import_check(item, products=products, latest=latest, clock=clock, policy=policy, now=now)
            product_id = products[item.sku]
            revision = latest[product_id][0] + 1
            latest[product_id] = (revision, item.logged_at)
            created.append(
                Improvement(
                    product_id=product_id,
                    logged_by=by,
                    logged_at=item.logged_at,
                    day=policy.day_of(item.logged_at),
                    revision=revision,
                    description=item.description.strip()[:DESCRIPTION_MAX_LENGTH],
                    source=Improvement.Source.IMPORT,
                )
            )
        # One by one (a few rows): each needs its id, and its reviews moved in time order.
        for improvement in created:
            improvement.save(force_insert=True)
            _reviews_to_revision(
                product_id=improvement.product_id, revision=improvement.revision, since=improvement.logged_at
            )
        touched = sorted({improvement.product_id for improvement in created})
        for touched_chunk in _chunks(touched):
            product_ratings_recompute(product_ids=list(touched_chunk))
    return created


def _improvement_import_check(
    item: ImprovementImport,
    *,
    products: dict[str, int],
    latest: dict[int, tuple[int, datetime | None]],
    clock: GateClock,
    policy: GatePolicy,
    now: datetime,
) -> None:
    day = policy.day_of(item.logged_at)
    if item.sku not in products:
        raise ImportRefused(_("unknown product %(sku)s") % {"sku": item.sku}, line=item.line, code="unknown_product")
    if item.logged_at > now:
        raise ImportRefused(
            _("logged_at %(at)s is in the future") % {"at": item.logged_at.isoformat()},
            line=item.line,
            code="future",
        )
    if clock.last_evaluated_day is not None and day <= clock.last_evaluated_day:
        raise ImportRefused(
            _(
                "logged_at %(at)s falls on %(day)s, on or before the last evaluated day %(last)s: "
                "history already evaluated is never rewritten"
            )
            % {"at": item.logged_at.isoformat(), "day": day.isoformat(), "last": clock.last_evaluated_day.isoformat()},
            line=item.line,
            code="day_evaluated",
        )
    previous = latest[products[item.sku]][1]
    if previous is not None and item.logged_at < previous:
        raise ImportRefused(
            _("logged_at %(at)s is before the latest improvement of %(sku)s (%(previous)s)")
            % {"at": item.logged_at.isoformat(), "sku": item.sku, "previous": previous.isoformat()},
            line=item.line,
            code="revision_out_of_order",
        )


# --- Evaluating days ----------------------------------------------------------------------


def _published() -> QuerySet[Review]:
    return Review.objects.filter(status=ReviewStatus.PUBLISHED).order_by()


def _reviewed_on(policy: GatePolicy, day: date) -> QuerySet[Review]:
    """Published reviews whose day is ``day`` (indexed: status, published_at)."""
    return _published().filter(
        published_at__gte=_start(policy, day), published_at__lt=_start(policy, day + timedelta(days=1))
    )


_DayTotals = dict[tuple[int, int], tuple[int, int]]


def _day_totals(policy: GatePolicy, day: date | None) -> _DayTotals:
    """(count, sum) of the published reviews of ``day``, per (product, revision)."""
    if day is None:
        return {}
    rows = (
        _reviewed_on(policy, day)
        .values("product_id", "revision")
        .annotate(n=Count("id"), total=Sum("rating"))
        .values_list("product_id", "revision", "n", "total")
    )
    return {(pk, revision): (n, total) for pk, revision, n, total in rows}


def _other_candidates(*, day: date, policy: GatePolicy, full: bool) -> set[int]:
    """The products that can change on ``day`` besides those with reviews arriving in or
    leaving the window (see gate/policy.py), in one UNION query:

    * an improvement that day;
    * flagged and at (or past) the withdrawal date;
    * the product row changed that day: a review removed, rejected, edited, or imported
      into a day already evaluated changes the figures of the days still to evaluate
      ("only the days evaluated after that"), and a touched product is re-evaluated once;
    * on a first day or under a new policy, every product with counted reviews or flagged.

    More candidates than needed is harmless: evaluate_day gives no event for a product whose
    figures did not change since its last evaluation.
    """
    next_day = day + timedelta(days=1)
    deadline_reached = day - timedelta(days=max(policy.grace_days, 1))
    flagged = Product.objects.filter(gate_state=GateState.FLAGGED).order_by()
    parts: list[QuerySet[Any]] = [
        Improvement.objects.filter(day=day).order_by().values_list("product_id"),
        flagged.filter(flagged_on__lte=deadline_reached).values_list("pk"),
        Product.objects.filter(updated_at__gte=_start(policy, day), updated_at__lt=_start(policy, next_day))
        .order_by()
        .values_list("pk"),
    ]
    if full:
        counted = _published().filter(published_at__lt=_start(policy, next_day))
        window_start = policy.window_start(day)
        if window_start is not None:
            counted = counted.filter(published_at__gte=_start(policy, window_start))
        parts.append(counted.values_list("product_id"))
        parts.append(flagged.values_list("pk"))
    return {pk for (pk,) in parts[0].union(*parts[1:])}


def _figures(*, product_ids: Sequence[int], day: date, policy: GatePolicy) -> dict[int, tuple[int, int]]:
    """(count, sum) of each product's counted reviews on ``day``, in one query: published,
    of the product's current revision, and of a day in the window.

    Correlated per product, so every database walks the index (product, revision, status,
    published_at) for each product, whatever its statistics say (a table just filled by an
    import has none, and a planner that believes it empty scans it once per product).
    """
    counted = Review.objects.filter(
        product=OuterRef("pk"),
        revision=OuterRef("revision"),
        status=ReviewStatus.PUBLISHED,
        published_at__lt=_start(policy, day + timedelta(days=1)),
    )
    window_start = policy.window_start(day)
    if window_start is not None:
        counted = counted.filter(published_at__gte=_start(policy, window_start))
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
class _Memory:
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


def _day_evaluate(
    *, clock: GateClock, day: date, policy: GatePolicy, now: datetime, memory: _Memory | None = None
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
    memory = memory if memory is not None else _Memory()
    if connection.vendor == "postgresql":
        # The day's queries are index look-ups whose estimated cost can still cross
        # jit_above_cost; compiling them costs more than running them (about 15 ms each).
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
    policy_record = policy.as_dict()
    summary = DaySummary(day=day, full=clock.policy != policy_record)
    audience = NotifyAudience()  # quality directors and endpoints: read once, if an event notifies
    for event in _pending_improvements_apply(policy=policy, now=now, day=day):
        summary.events[event.kind] += 1
        memory.forget(event.product_id)
    arrivals = _day_totals(policy, day)
    departures = _day_totals(policy, day - timedelta(days=policy.window_days) if policy.window_days else None)
    candidates = {pk for pk, _revision in arrivals} | {pk for pk, _revision in departures}
    candidates |= _other_candidates(day=day, policy=policy, full=summary.full)
    for chunk in _chunks(sorted(candidates)):
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
            before = _state_of(gate_state, flagged_on)
            after, decided = evaluate_day(before, DayStats(count, total), day=day, product_id=sku, policy=policy)
            summary.products_evaluated += 1
            if decided is None:
                continue
            product_gate_state_set(product_id=pk, expected=before, new=after, day=day, policy=policy)
            memory.forget(pk)
            _event_record(product_id=pk, decided=decided, policy=policy, now=now, audience=audience)
            summary.events[decided.kind.value] += 1
    clock.last_evaluated_day = day
    clock.policy = policy_record
    clock.save(update_fields=["last_evaluated_day", "policy", "updated_at"])
    return summary


def gate_evaluate_day(
    *, day: date, now: datetime | None = None, policy: GatePolicy | None = None
) -> DaySummary | None:
    """Evaluate ``day`` if it is the next day to evaluate, in one transaction.

    Returns ``None`` when there is nothing to do: the day was already evaluated (a repeated
    or concurrent run got there first) or comes before the first day with data. Raises
    Conflict if an earlier day is still unevaluated (days go in order), ValidationFailed if
    the day is not over in the policy time zone.
    """
    now = now or timezone.now()
    policy = policy or gate_policy_from_settings()
    _check_day_over(day, policy=policy, now=now)
    with transaction.atomic():
        clock = _clock_locked()
        next_day = _next_day(clock, policy)
        if next_day is None or day < next_day:
            return None
        if day > next_day:
            raise Conflict(
                _("Days are evaluated in order: %(next)s must be evaluated before %(day)s.")
                % {"next": next_day.isoformat(), "day": day.isoformat()},
                code="day_out_of_order",
            )
        return _day_evaluate(clock=clock, day=day, policy=policy, now=now)


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
    _check_day_over(through, policy=policy, now=now)
    summary = EvaluationSummary()
    memory = _Memory()
    GateClock.objects.get_or_create(pk=1)
    while True:
        with transaction.atomic():
            clock = _clock_locked(ensure=False)
            day = _next_day(clock, policy)
            if day is None or day > through:
                break
            if clock.last_evaluated_day is not None and summary.last_day != clock.last_evaluated_day:
                # Another run evaluated days in between: what this run remembers is older.
                memory = _Memory()
            result = _day_evaluate(clock=clock, day=day, policy=policy, now=now, memory=memory)
        summary.add(result)
        if progress is not None:
            progress(result)
    return summary


# --- Importing reviews of history --------------------------------------------------------


@dataclass(frozen=True)
class ReviewImport:
    """One review of history, checked (see :func:`review_import_from_row`)."""

    line: int
    sku: str
    rating: int
    created_at: datetime
    review_id: str | None = None
    title: str = ""
    text: str = ""
    author: str = ""
    language: str = ""


REVIEW_IMPORT_COLUMNS = ("review_id", "title", "text", "author", "language")
SKU_MAX_LENGTH = 64  # Product.sku


def review_import_from_row(
    *, line: int, sku: str, rating: int, created_at: datetime, extra: dict[str, str], now: datetime
) -> ReviewImport:
    """Check the optional columns of a parsed review row; ValueError names the problem."""
    review_id = (extra.get("review_id") or "").strip() or None
    title = (extra.get("title") or "").strip()
    text = (extra.get("text") or "").strip()
    author = (extra.get("author") or "").strip()
    language = (extra.get("language") or "").strip().lower()
    if created_at > now:
        raise ValueError(f"created_at {created_at.isoformat()} is in the future")
    if len(sku) > SKU_MAX_LENGTH:
        raise ValueError(f"product_id is longer than {SKU_MAX_LENGTH} characters")
    if review_id is not None and len(review_id) > 100:
        raise ValueError("review_id is longer than 100 characters")
    if len(title) > TITLE_MAX_LENGTH:
        raise ValueError(f"title is longer than {TITLE_MAX_LENGTH} characters")
    if len(text) > BODY_MAX_LENGTH:
        raise ValueError(f"text is longer than {BODY_MAX_LENGTH} characters")
    if len(author) > 60:
        raise ValueError("author is longer than 60 characters")
    codes = [code for code, _name in settings.LANGUAGES]
    if language and language not in codes:
        raise ValueError(f"language must be one of {', '.join(codes)}, got {language!r}")
    return ReviewImport(line, sku, rating, created_at, review_id, title, text, author, language)


@dataclass
class ReviewImportSummary:
    rows: int = 0
    created: int = 0
    already_imported: int = 0
    products_created: int = 0
    # Reviews dated on or before the last evaluated day: they count from the next
    # evaluation on, but the days they fall on are not evaluated again.
    on_evaluated_days: int = 0
    last_evaluated_day: date | None = None


def review_history_import(
    *,
    skus: Iterable[str],
    rows: Iterable[ReviewImport],
    create_products: bool,
    now: datetime | None = None,
    policy: GatePolicy | None = None,
    progress: Callable[[ReviewImportSummary], None] | None = None,
    batch_size: int = IMPORT_BATCH_SIZE,
) -> ReviewImportSummary:
    """Store reviews of history as published, all or nothing, under the gate lock.

    ``skus`` are every product the rows name (the caller's first pass collected them);
    ``rows`` are streamed and inserted ``batch_size`` at a time in one transaction.

    1. products: unknown SKUs are created (``create_products``) or refuse the import;
    2. each review: published at its ``created_at``, never a verified purchase, of the
       revision in force at ``created_at`` (the latest improvement logged at or before it);
       with a ``review_id`` one already stored is skipped, so a re-import adds nothing twice;
    3. the figures of the products concerned are recomputed.
    """
    now = now or timezone.now()
    policy = policy or gate_policy_from_settings()
    summary = ReviewImportSummary()
    default_language = settings.LANGUAGE_CODE.split("-")[0]
    with transaction.atomic():
        clock = _clock_locked()
        summary.last_evaluated_day = clock.last_evaluated_day
        products = _import_products(sorted(set(skus)), create_products=create_products, summary=summary)
        revisions = _revision_starts(sorted(products.values()))
        batch: list[ReviewImport] = []

        def flush() -> None:
            _import_batch(batch, products=products, revisions=revisions, summary=summary, language=default_language)
            batch.clear()
            if progress is not None:
                progress(summary)

        for row in rows:
            summary.rows += 1
            if clock.last_evaluated_day is not None and policy.day_of(row.created_at) <= clock.last_evaluated_day:
                summary.on_evaluated_days += 1
            batch.append(row)
            if len(batch) >= batch_size:
                flush()
        if batch:
            flush()
        _statistics_refresh()
        for chunk in _chunks(sorted(products.values())):
            product_ratings_recompute(product_ids=list(chunk))
    return summary


def _statistics_refresh() -> None:
    """PostgreSQL: refresh the planner's statistics of the tables an import just filled.

    Autovacuum would, a minute after the commit; until then a planner that last saw the
    table empty walks a whole index for each day's query (a gate_evaluate started right
    after an import spent 30 ms a day on it). ANALYZE inside the transaction counts its
    own uncommitted rows.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (Review, Product):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _import_products(skus: list[str], *, create_products: bool, summary: ReviewImportSummary) -> dict[str, int]:
    products: dict[str, int] = {}
    for chunk in _chunks(skus):
        products.update(Product.objects.filter(sku__in=chunk).values_list("sku", "pk"))
    missing = [sku for sku in skus if sku not in products]
    if missing and not create_products:
        raise ImportRefused(
            _("unknown product %(sku)s (and %(more)d more): use --create-products to create them")
            % {"sku": missing[0], "more": len(missing) - 1},
            code="unknown_product",
        )
    for chunk in _chunks(missing):
        Product.objects.bulk_create(Product(sku=sku, name=sku, slug=slugify(sku) or "product") for sku in chunk)
        products.update(Product.objects.filter(sku__in=chunk).values_list("sku", "pk"))
    summary.products_created = len(missing)
    return products


def _revision_starts(product_ids: list[int]) -> dict[int, tuple[list[datetime], list[int]]]:
    """Per product, its improvements' moments and revisions in time order (few rows)."""
    starts: dict[int, tuple[list[datetime], list[int]]] = {}
    for chunk in _chunks(product_ids):
        for product_id, logged_at, revision in (
            Improvement.objects.filter(product_id__in=chunk)
            .order_by("product_id", "revision")
            .values_list("product_id", "logged_at", "revision")
        ):
            moments, revisions = starts.setdefault(product_id, ([], []))
            moments.append(logged_at)
            revisions.append(revision)
    return starts


def _revision_at(starts: tuple[list[datetime], list[int]] | None, moment: datetime) -> int:
    # The spec: a review belongs to the revision current when it was written, i.e. the
    # latest improvement with logged_at <= created_at (revision 0 before any).
    if starts is None:
        return 0
    moments, revisions = starts
    position = bisect.bisect_right(moments, moment)
    return revisions[position - 1] if position else 0


def _import_batch(
    batch: list[ReviewImport],
    *,
    products: dict[str, int],
    revisions: dict[int, tuple[list[datetime], list[int]]],
    summary: ReviewImportSummary,
    language: str,
) -> None:
    ids = [row.review_id for row in batch if row.review_id is not None]
    # Already stored (an earlier import, or an earlier batch of this file): skipped.
    known = set(Review.objects.filter(external_id__in=ids).values_list("external_id", flat=True)) if ids else set()
    reviews: list[Review] = []
    for row in batch:
        if row.review_id is not None:
            if row.review_id in known:
                summary.already_imported += 1
                continue
            known.add(row.review_id)
        product_id = products[row.sku]
        reviews.append(
            Review(
                product_id=product_id,
                author=None,
                author_name=row.author or IMPORTED_AUTHOR_NAME,
                rating=row.rating,
                title=row.title,
                body=row.text,
                language=row.language or language,
                revision=_revision_at(revisions.get(product_id), row.created_at),
                status=ReviewStatus.PUBLISHED,
                verified_purchase=False,
                source=ReviewSource.IMPORT,
                external_id=row.review_id,
                created_at=row.created_at,
                published_at=row.created_at,
            )
        )
    Review.objects.bulk_create(reviews, batch_size=len(reviews) or 1)
    summary.created += len(reviews)
