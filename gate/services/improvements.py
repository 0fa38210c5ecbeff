"""Improvements: a manager logs one in the app, or history is imported from a file.

Logging one applies it at once (a new revision, its event, the product back on sale);
an imported one waits for the day engine to evaluate its day, as the spec orders it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.batching import chunked
from core.errors import Conflict, NotAllowed, ValidationFailed
from gate.configured import gate_policy_from_settings
from gate.models import GateClock, Improvement
from gate.policy import GatePolicy
from gate.services.clock import gate_clock_locked
from gate.services.engine import gate_evaluate_through
from gate.services.revisions import improvement_apply, pending_improvements_apply
from products.access import user_can_manage_product
from products.models import Product
from reviews.history_import import ImportRefused, reviews_revision_advance
from reviews.ratings import product_ratings_recompute

__all__ = ["ImprovementImport", "improvement_import", "improvement_log"]

# Lengths of the stored fields, and limits of the addressed phrases (a JSON list).
DESCRIPTION_MAX_LENGTH = Improvement._meta.get_field("description").max_length or 0
PUBLIC_NOTE_MAX_LENGTH = Improvement._meta.get_field("public_note").max_length or 0
ADDRESSED_PHRASES_MAX = 20
ADDRESSED_PHRASE_MAX_LENGTH = 200


# --- Logged in the app --------------------------------------------------------------------


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
    by: User | AnonymousUser,
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
    if not isinstance(by, User) or not user_can_manage_product(by, product):
        raise NotAllowed(_("Only the product's managers and quality directors can log an improvement."))
    description, public_note, phrases = _clean_improvement_text(
        description=description, public_note=public_note, addressed_phrases=addressed_phrases
    )
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
            logged_by=by,
            logged_at=now,
            day=today,
            revision=current.revision + 1,
            description=description,
            public_note=public_note,
            addressed_phrases=phrases,
            source=Improvement.Source.APP,
        )
        improvement_apply(improvement=improvement, policy=policy, now=now)
    product.refresh_from_db()
    return improvement


# --- Imported from history ----------------------------------------------------------------


@dataclass(frozen=True)
class ImprovementImport:
    """One improvement of history to import (``line``: where it came from, for errors)."""

    sku: str
    logged_at: datetime
    description: str = ""
    line: int | None = None


def improvement_import(
    *,
    items: Sequence[ImprovementImport],
    by: User | None = None,
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
        clock = gate_clock_locked()
        skus = {item.sku for item in ordered}
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
            reviews_revision_advance(
                product_id=improvement.product_id, revision=improvement.revision, since=improvement.logged_at
            )
        touched = sorted({improvement.product_id for improvement in created})
        for touched_chunk in chunked(touched):
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
