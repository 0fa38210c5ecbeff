"""Everything that writes a case: opening it on an unhappy review, taking and assigning it,
writing to the customer, their answer, closing it and their effort answer.

Each service checks who acts and validates first (a clear message), then writes in one
transaction with the case's row locked; the rules are care.policy's, the database's
constraints the backstop. Emails are outbox rows written in the same transaction.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import user_handles_care_cases
from care.alerts import case_opened_alert
from care.customers import case_reachable
from care.emails import care_message_email_enqueue
from care.models import (
    EFFORT_MAX,
    EFFORT_MIN,
    MESSAGE_MAX_LENGTH,
    Case,
    CaseMessage,
    CaseOutcome,
    CaseState,
    MessageDirection,
    MessageKind,
)
from care.policy import CloseRefusal, case_reason, close_refusal, first_contact_due
from care.thanks import review_thanks_owed
from core.errors import Conflict, NotAllowed, ValidationFailed
from core.text_safety import validate_written_text
from reviews.events import ReviewChange, ReviewChanged
from reviews.models import Review


# --- Opening: reviews.events.review_changed's handler (subscribed in CareConfig.ready()) ---
def review_changed_handle(fact: ReviewChanged) -> None:
    """In the transaction of the review's change: a published review is thanked (once) and,
    if unhappy, opens its one case; an edit opens one if none exists and updates the rating
    an existing case shows as "now". Unpublishing leaves the case as it is."""
    if fact.change == ReviewChange.UNPUBLISHED:
        return
    review = Review.objects.select_related("author", "order_line__order__customer").get(pk=fact.review_id)
    if fact.change == ReviewChange.PUBLISHED:
        review_thanks_owed(review, now=fact.at)
    case = Case.objects.select_for_update().filter(review_id=review.pk).first()
    if case is not None:
        if case.rating_now != review.rating:
            case.rating_now = review.rating
            case.rating_changed_at = fact.at
            case.save(update_fields=["rating_now", "rating_changed_at"])
        return
    case = case_open_if_owed(review, now=fact.at)
    if case is not None:
        case_opened_alert(case, now=fact.at)


def case_open_if_owed(review: Review, *, now: datetime) -> Case | None:
    """The review's case, if care.policy.case_reason says it calls for one and none exists."""
    reason = case_reason(
        rating=review.rating, recommend=review.recommend, employee=review.employee, source=review.source
    )
    if reason is None:
        return None
    try:
        with transaction.atomic():
            return Case.objects.create(
                review=review,
                product_id=review.product_id,
                reason=reason.value,
                opened_at=now,
                due_at=first_contact_due(now, hours=settings.CARE_FIRST_CONTACT_HOURS),
                rating_at_open=review.rating,
                recommend_at_open=review.recommend,
                rating_now=review.rating,
            )
    except IntegrityError:  # opened meanwhile by a concurrent change: one case per review
        return None


# --- Care staff's moves ----------------------------------------------------------------
def _care_staff_check(user: User | None) -> None:
    if user is None or not user_handles_care_cases(user):
        raise NotAllowed(_("Only customer care staff can work on care cases."))


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("review").get(pk=case.pk)


def _open_check(case: Case) -> None:
    if case.state == CaseState.CLOSED:
        raise Conflict(_("This case is closed."), code="case_closed")


@transaction.atomic
def case_take(*, case: Case, by: User) -> Case:
    return case_assign(case=case, by=by, assignee=by)


@transaction.atomic
def case_assign(*, case: Case, by: User, assignee: User | None) -> Case:
    """Give the case to ``assignee`` (a care staff member, active), or to nobody (None)."""
    _care_staff_check(by)
    locked = _locked(case)
    _open_check(locked)
    if assignee is not None and (not assignee.is_active or not user_handles_care_cases(assignee)):
        raise ValidationFailed(
            _("A case can only be given to an active member of customer care."),
            fields={"assignee": _("Choose a member of customer care.")},
        )
    locked.assignee = assignee
    locked.save(update_fields=["assignee"])
    return locked


def _message_body_checked(body: str, *, required: bool) -> str:
    body = body.strip() if isinstance(body, str) else ""
    if required and not body:
        raise ValidationFailed(_("Write the message first."), fields={"body": _("Required.")})
    if len(body) > MESSAGE_MAX_LENGTH:
        raise ValidationFailed(
            _("The message is too long."),
            fields={"body": _("At most %(max)d characters.") % {"max": MESSAGE_MAX_LENGTH}},
        )
    try:
        validate_written_text(body)
    except ValidationError as exc:
        raise ValidationFailed(exc.messages[0], fields={"body": exc.messages[0]}) from exc
    return body


@transaction.atomic
def case_message_send(*, case: Case, by: User, body: str, now: datetime | None = None) -> CaseMessage:
    """Care writes to the customer: the message is stored and emailed (care.emails) with its
    single-use reply link. The first one is the case's first contact; a case nobody had is
    now the writer's."""
    now = now or timezone.now()
    _care_staff_check(by)
    body = _message_body_checked(body, required=True)
    locked = _locked(case)
    _open_check(locked)
    if not case_reachable(locked.review):
        raise Conflict(
            _("This customer cannot be reached by email: close the case as not reachable."), code="not_reachable"
        )
    message = CaseMessage.objects.create(
        case=locked, direction=MessageDirection.TO_CUSTOMER, author=by, body=body, written_at=now
    )
    fields = []
    if locked.first_contact_at is None:
        locked.first_contact_at, locked.state = now, CaseState.CONTACTED
        fields += ["first_contact_at", "state"]
    if locked.assignee_id is None:
        locked.assignee = by
        fields.append("assignee")
    if fields:
        locked.save(update_fields=fields)
    care_message_email_enqueue(message, now=now)
    return message


_CLOSE_MESSAGES = {
    CloseRefusal.ALREADY_CLOSED: _("This case is closed already."),
    CloseRefusal.UNKNOWN_OUTCOME: _("Choose the outcome from the list."),
    CloseRefusal.NOT_CONTACTED: _(
        "Write to the customer before closing with this outcome (or close it as not reachable)."
    ),
}


@transaction.atomic
def case_close(*, case: Case, by: User, outcome: str, note: str = "", now: datetime | None = None) -> Case:
    """Close with an outcome. A customer care wrote to gets a closing email whose reply page
    asks how easy it was to get the problem solved (1-7); ``note`` is its optional text."""
    now = now or timezone.now()
    _care_staff_check(by)
    note = _message_body_checked(note, required=False)
    locked = _locked(case)
    refusal = close_refusal(state=locked.state, outcome=outcome, contacted=locked.first_contact_at is not None)
    if refusal is not None:
        if refusal is CloseRefusal.UNKNOWN_OUTCOME:
            raise ValidationFailed(_CLOSE_MESSAGES[refusal], fields={"outcome": _CLOSE_MESSAGES[refusal]})
        raise Conflict(_CLOSE_MESSAGES[refusal], code=f"case_{refusal.value}")
    locked.state, locked.outcome, locked.closed_at, locked.closed_by = CaseState.CLOSED, outcome, now, by
    locked.save(update_fields=["state", "outcome", "closed_at", "closed_by"])
    if locked.first_contact_at is not None and outcome != CaseOutcome.NOT_REACHABLE and case_reachable(locked.review):
        closing = CaseMessage.objects.create(
            case=locked,
            direction=MessageDirection.TO_CUSTOMER,
            kind=MessageKind.CLOSING,
            author=by,
            body=note,
            written_at=now,
        )
        care_message_email_enqueue(closing, now=now)
    return locked


# --- The customer's answers (the reply page, care.views) --------------------------------
@transaction.atomic
def case_customer_answer(
    *, message: CaseMessage, body: str, effort: int | None = None, now: datetime | None = None
) -> CaseMessage:
    """The customer's answer to ``message`` through its link (already checked by the page:
    care.replies). To a message: a text. To the closing message: the effort answer (1-7),
    the text optional. Once per message (the database's backstop: reply_to is unique)."""
    now = now or timezone.now()
    locked = _locked(message.case)
    closing = message.kind == MessageKind.CLOSING
    body = _message_body_checked(body, required=not closing)
    if closing and (isinstance(effort, bool) or not isinstance(effort, int) or not EFFORT_MIN <= effort <= EFFORT_MAX):
        text = _("Choose a number from %(min)d (very difficult) to %(max)d (very easy).") % {
            "min": EFFORT_MIN,
            "max": EFFORT_MAX,
        }
        raise ValidationFailed(text, fields={"effort": text})
    if (not closing and locked.state == CaseState.CLOSED) or not case_reachable(locked.review):
        # Closed, or the customer was erased (their orders unlinked) or their account closed.
        raise Conflict(_("This case is closed."), code="case_closed")
    try:
        with transaction.atomic():
            answer = CaseMessage.objects.create(
                case=locked, direction=MessageDirection.FROM_CUSTOMER, body=body, written_at=now, reply_to=message
            )
    except IntegrityError as exc:
        raise Conflict(_("This message has been answered already."), code="already_answered") from exc
    if closing:
        locked.effort_score, locked.effort_answered_at = effort, now
        locked.save(update_fields=["effort_score", "effort_answered_at"])
    return answer
