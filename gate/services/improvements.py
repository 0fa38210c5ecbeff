"""Improvements: a manager logs one in the app, or history is imported from a file.

Logging one applies it at once (a new revision, its event, the product back on sale);
an imported one waits for the day engine to evaluate its day, as the spec orders it.
Under GATE_IMPROVEMENT_APPROVAL = "director" a product manager's improvement first waits
for a quality director (gate.services.approvals), whose approval starts it here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import user_is_quality_director
from core.batching import chunked
from core.errors import Conflict, NotAllowed, ValidationFailed
from core.local_formats import number_text
from gate.configured import ImprovementApproval, gate_policy_from_settings, improvement_approval_from_settings
from gate.improvement_rows import DESCRIPTION_MAX_LENGTH, IMPROVEMENT_ID_MAX_LENGTH, description_problem
from gate.models import GateClock, Improvement
from gate.policy import GatePolicy
from gate.services.clock import gate_clock_locked
from gate.services.engine import gate_evaluate_through
from gate.services.revisions import improvement_apply, pending_improvements_apply
from products.access import user_can_manage_product
from products.models import Product
from reviews.history_import import ImportRefused, reviews_revision_advance
from reviews.ratings import product_ratings_recompute

__all__ = [
    "DESCRIPTION_MAX_LENGTH",
    "ImprovementDescriptionValidator",
    "ImprovementImport",
    "ImprovementImportSummary",
    "ImprovementText",
    "improvement_description_problem",
    "improvement_history_import",
    "improvement_import",
    "improvement_log",
    "improvement_log_allowed",
    "improvement_needs_approval",
    "improvement_start",
    "improvement_text_clean",
]

# Lengths of the stored fields, and limits of the addressed phrases (a JSON list). The
# description's is gate.improvement_rows' (the import's row definition checks it too).
PUBLIC_NOTE_MAX_LENGTH = Improvement._meta.get_field("public_note").max_length or 0
ADDRESSED_PHRASES_MAX = 20
ADDRESSED_PHRASE_MAX_LENGTH = 200


# --- The description's limits: one check for the desk, the API and the import ------------


def improvement_description_problem(description: str) -> str | None:
    """:func:`gate.improvement_rows.description_problem` in the user's language."""
    return description_problem(description, translate=_)


class ImprovementDescriptionValidator(MaxLengthValidator):
    """The desk form's and the API's check of a description: the service's own check and
    message. A ``MaxLengthValidator``, so the API schema states the limit (maxLength)."""

    def __init__(self) -> None:
        super().__init__(DESCRIPTION_MAX_LENGTH)

    def __call__(self, value: str) -> None:
        problem = improvement_description_problem(value)
        if problem is not None:
            raise ValidationError(problem, code="max_length")


# --- Logged in the app --------------------------------------------------------------------


@dataclass(frozen=True)
class ImprovementText:
    """What a person writes about an improvement, checked (:func:`improvement_text_clean`)."""

    description: str
    public_note: str = ""
    addressed_phrases: list[str] = field(default_factory=list)


def improvement_text_clean(*, description: str, public_note: str, addressed_phrases: Iterable[str]) -> ImprovementText:
    """The fields of an improvement (logged, or sent for approval) stripped and checked;
    ValidationFailed names each field in error."""
    errors: dict[str, str] = {}
    description = (description or "").strip()
    public_note = (public_note or "").strip()
    phrases = [str(phrase).strip() for phrase in addressed_phrases if str(phrase).strip()]
    if not description:
        errors["description"] = _("Say what was changed.")
    elif (problem := improvement_description_problem(description)) is not None:
        errors["description"] = problem
    if len(public_note) > PUBLIC_NOTE_MAX_LENGTH:
        errors["public_note"] = _("At most %(max)s characters.") % {"max": number_text(PUBLIC_NOTE_MAX_LENGTH)}
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
    return ImprovementText(description, public_note, list(dict.fromkeys(phrases)))


def improvement_log_allowed(*, product: Product, by: User | AnonymousUser) -> User:
    """``by``, if they may log an improvement of ``product`` (its managers, the quality
    directors); NotAllowed otherwise."""
    if not isinstance(by, User) or not user_can_manage_product(by, product):
        raise NotAllowed(_("Only the product's managers and quality directors can log an improvement."))
    return by


def improvement_needs_approval(user: User | AnonymousUser) -> bool:
    """Whether an improvement ``user`` logs waits for a quality director's approval: under
    GATE_IMPROVEMENT_APPROVAL = "director", unless they are a quality director themself."""
    if improvement_approval_from_settings() is ImprovementApproval.NONE:
        return False
    return not user_is_quality_director(user)


def improvement_log(
    *,
    product: Product,
    by: User | AnonymousUser,
    description: str,
    public_note: str = "",
    addressed_phrases: Iterable[str] = (),
    now: datetime | None = None,
) -> Improvement:
    """A product's manager (or a quality director) logs an improvement: a new revision now.

    1. refuse anyone who may not manage the product (NotAllowed), and bad fields; under
       GATE_IMPROVEMENT_APPROVAL = "director", refuse a product manager too (NotAllowed,
       code ``approval_required``): theirs goes through
       ``gate.services.approvals.improvement_submit``, which sends it for approval;
    2. and 3.: :func:`improvement_start` at ``now``.
    """
    now = now or timezone.now()
    user = improvement_log_allowed(product=product, by=by)
    if improvement_needs_approval(user):
        raise NotAllowed(
            _("Improvements of this shop wait for a quality director's approval: send it for approval."),
            code="approval_required",
        )
    text = improvement_text_clean(description=description, public_note=public_note, addressed_phrases=addressed_phrases)
    return improvement_start(product=product, logged_by=user, text=text, now=now)


def improvement_start(
    *,
    product: Product,
    logged_by: User | None,
    text: ImprovementText,
    now: datetime,
    in_same_transaction: Callable[[Improvement], None] | None = None,
) -> Improvement:
    """Start the product's next revision at ``now`` (an improvement logged, or approved).

    2. evaluate every day not yet evaluated through yesterday (the catch-up);
    3. under the gate lock: refuse if today was already evaluated (history is never
       rewritten), apply any imported improvement of the product still pending, then start
       the new revision at ``now`` and write its ``improved`` / ``reinstated`` event dated
       today, which puts a withdrawn product back on sale at once and resolves its notice;
       ``in_same_transaction(improvement)`` runs last, in the same transaction (an approval
       records itself there). Today's evaluation then runs on the new revision.
    """
    policy = gate_policy_from_settings()
    today = policy.day_of(now)
    gate_evaluate_through(through=today - timedelta(days=1), now=now, policy=policy)
    with transaction.atomic():
        clock = gate_clock_locked()
        if clock.last_evaluated_day is not None and clock.last_evaluated_day >= today:
            raise Conflict(
                _("Day %(day)s has already been evaluated: an improvement cannot be logged on it.")
                % {"day": today.isoformat()},
                code="day_evaluated",
            )
        pending_improvements_apply(policy=policy, now=now, product_id=product.pk)
        current = Product.objects.select_for_update().get(pk=product.pk)
        if current.revision_started_at is not None and now < current.revision_started_at:
            raise Conflict(
                _("This product's current revision started at %(start)s, after the moment given.")
                % {"start": current.revision_started_at.isoformat()},
                code="revision_out_of_order",
            )
        improvement = Improvement.objects.create(
            product=current,
            logged_by=logged_by,
            logged_at=now,
            day=today,
            revision=current.revision + 1,
            description=text.description,
            public_note=text.public_note,
            addressed_phrases=text.addressed_phrases,
            source=Improvement.Source.APP,
        )
        improvement_apply(improvement=improvement, policy=policy, now=now)
        if in_same_transaction is not None:
            in_same_transaction(improvement)
    product.refresh_from_db()
    return improvement


# --- Imported from history ----------------------------------------------------------------


@dataclass(frozen=True)
class ImprovementImport:
    """One improvement of history to import (``line``: where it came from, for errors;
    ``improvement_id``: the importer's own id, which makes a re-import add nothing)."""

    sku: str
    logged_at: datetime
    description: str = ""
    line: int | None = None
    improvement_id: str | None = None


@dataclass
class ImprovementImportSummary:
    created: list[Improvement] = field(default_factory=list)
    # Rows identical to an improvement already stored, or to an earlier row of the same
    # import: not logged again.
    identical: list[ImprovementImport] = field(default_factory=list)


@dataclass(frozen=True)
class _Known:
    """An improvement already stored (``line`` None) or met earlier in the same import."""

    sku: str
    logged_at: datetime
    description: str
    line: int | None

    def same_content(self, item: ImprovementImport) -> bool:
        return (self.sku, self.logged_at, self.description) == (item.sku, item.logged_at, item.description.strip())


@dataclass
class _KnownImprovements:
    """What identifies an improvement: its ``improvement_id`` when it has one, else its
    product, moment and description (``by_content`` keeps the ids that content is known under)."""

    by_id: dict[str, _Known] = field(default_factory=dict)
    by_content: dict[tuple[str, datetime, str], set[str | None]] = field(default_factory=dict)

    def add(self, known: _Known, improvement_id: str | None) -> None:
        if improvement_id is not None:
            self.by_id[improvement_id] = known
        self.by_content.setdefault((known.sku, known.logged_at, known.description), set()).add(improvement_id)

    def identical(self, item: ImprovementImport) -> bool:
        """Whether ``item`` is an improvement already known; refuses an ``improvement_id``
        known with another product, moment or description."""
        ids = self.by_content.get((item.sku, item.logged_at, item.description.strip()))
        if item.improvement_id is None:
            return ids is not None
        known = self.by_id.get(item.improvement_id)
        if known is None:
            # The same content known without an id (logged in the app, or imported from a
            # file without the column) is the same improvement: the id adds nothing to it.
            return ids is not None and None in ids
        if known.same_content(item):
            return True
        where = _("on line %(line)d") % {"line": known.line} if known.line is not None else _("already imported")
        raise ImportRefused(
            _(
                "improvement_id %(id)s names another improvement (%(sku)s at %(at)s, %(where)s): "
                "one id, one product, logged_at and description"
            )
            % {"id": item.improvement_id, "sku": known.sku, "at": known.logged_at.isoformat(), "where": where},
            line=item.line,
            code="improvement_id_reused",
        )


def _known_improvements(items: Sequence[ImprovementImport]) -> _KnownImprovements:
    """The stored improvements an import's items could repeat: those with one of their ids,
    and every improvement of their products (a product has few)."""
    known = _KnownImprovements()
    columns = ("external_id", "product__sku", "logged_at", "description")
    ids = sorted({item.improvement_id for item in items if item.improvement_id is not None})
    skus = sorted({item.sku for item in items})
    for id_chunk in chunked(ids):
        for external_id, sku, logged_at, description in Improvement.objects.filter(
            external_id__in=id_chunk
        ).values_list(*columns):
            known.add(_Known(sku, logged_at, description, None), external_id)
    for sku_chunk in chunked(skus):
        for external_id, sku, logged_at, description in Improvement.objects.filter(
            product__sku__in=sku_chunk
        ).values_list(*columns):
            known.add(_Known(sku, logged_at, description, None), external_id)
    return known


def _new_improvements(items: Sequence[ImprovementImport], summary: ImprovementImportSummary) -> list[ImprovementImport]:
    """The items not yet imported, in their order; the others go to ``summary.identical``.

    A row repeated in the same file (same improvement_id, or without one the same product,
    moment and description) is skipped as identical rather than refused: a file is often
    the concatenation of overlapping exports, and saying an improvement twice does not make
    it two (two revisions starting at the same moment, the first of which holds nothing).
    """
    known = _known_improvements(items)
    new: list[ImprovementImport] = []
    for item in items:
        if known.identical(item):
            summary.identical.append(item)
            continue
        known.add(_Known(item.sku, item.logged_at, item.description.strip(), item.line), item.improvement_id)
        new.append(item)
    return new


def improvement_import(
    *,
    items: Sequence[ImprovementImport],
    by: User | None = None,
    now: datetime | None = None,
    policy: GatePolicy | None = None,
) -> list[Improvement]:
    """:func:`improvement_history_import`, for callers that want only the improvements created."""
    return improvement_history_import(items=items, by=by, now=now, policy=policy).created


def improvement_history_import(
    *,
    items: Sequence[ImprovementImport],
    by: User | None = None,
    now: datetime | None = None,
    policy: GatePolicy | None = None,
) -> ImprovementImportSummary:
    """Log improvements of history, to be applied when the engine evaluates their days.

    1. Items identical to an improvement already stored (or to an earlier item) are skipped
       and reported, before any other check: importing a file again, even after its days
       were evaluated, adds nothing and refuses nothing. An ``improvement_id`` already
       known with another product, moment or description is refused.
    2. The others are refused, all or nothing, when one is for a day already evaluated
       (history is never rewritten), at a moment in the future, for an unknown product,
       before the product's latest improvement (revisions follow each other in time), or
       with a description over the desk's limit (never cut).
    3. Each becomes the product's next revision, and the reviews already stored that were
       written at or after its ``logged_at`` move to that revision (they are about the
       improved product), with the products' figures recomputed. The improved / reinstated
       event is written when the engine evaluates the improvement's day, as the spec orders.
    """
    now = now or timezone.now()
    policy = policy or gate_policy_from_settings()
    summary = ImprovementImportSummary()
    with transaction.atomic():
        clock = gate_clock_locked()
        ordered = sorted(_new_improvements(items, summary), key=lambda item: item.logged_at)
        products, latest = _products_and_latest_revisions({item.sku for item in ordered})
        for item in ordered:
            _improvement_import_check(item, products=products, latest=latest, clock=clock, policy=policy, now=now)
            product_id = products[item.sku]
            revision = latest[product_id][0] + 1
            latest[product_id] = (revision, item.logged_at)
            summary.created.append(
                Improvement(
                    product_id=product_id,
                    logged_by=by,
                    logged_at=item.logged_at,
                    day=policy.day_of(item.logged_at),
                    revision=revision,
                    description=item.description.strip(),
                    source=Improvement.Source.IMPORT,
                    external_id=item.improvement_id,
                )
            )
        # One by one (a few rows): each needs its id, and its reviews moved in time order.
        for improvement in summary.created:
            improvement.save(force_insert=True)
            reviews_revision_advance(
                product_id=improvement.product_id, revision=improvement.revision, since=improvement.logged_at
            )
        touched = sorted({improvement.product_id for improvement in summary.created})
        for touched_chunk in chunked(touched):
            product_ratings_recompute(product_ids=list(touched_chunk))
    return summary


def _products_and_latest_revisions(
    skus: set[str],
) -> tuple[dict[str, int], dict[int, tuple[int, datetime | None]]]:
    """The products by SKU, and each one's latest revision and the moment it started."""
    products: dict[str, int] = {}
    for sku_chunk in chunked(sorted(skus)):
        products.update(Product.objects.filter(sku__in=sku_chunk).values_list("sku", "pk"))
    latest: dict[int, tuple[int, datetime | None]] = {}
    for chunk in chunked(sorted(products.values())):
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
    return products, latest


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
    problem = improvement_description_problem(item.description.strip())
    if problem is not None:
        raise ImportRefused(_("description: %(problem)s") % {"problem": problem}, line=item.line, code="description")
    if item.improvement_id is not None and len(item.improvement_id) > IMPROVEMENT_ID_MAX_LENGTH:
        raise ImportRefused(
            _("improvement_id is longer than %(max)d characters") % {"max": IMPROVEMENT_ID_MAX_LENGTH},
            line=item.line,
            code="improvement_id",
        )
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
