"""What a reply link opens, and the customer's answer through it.

The link is the credential (care.links checks its signature and age); here, what a genuine
link may still do: answer its message once (USED after), and only while the case is open,
except the closing message's link, which works once after the close (the effort question).
The pages (care.views) show a refusal with the status of REPLY_PROBLEM_STATUS: 403 for a
link that is not one of ours, 410 for one that was ours and is gone for good.
"""

from __future__ import annotations

from datetime import datetime

from care import services
from care.customers import review_contact
from care.links import ReplyProblem, ReplyRefused, reply_token_message_id
from care.models import CaseMessage, CaseState, MessageDirection, MessageKind
from core.errors import Conflict

REPLY_PROBLEM_STATUS: dict[ReplyProblem, int] = {
    ReplyProblem.INVALID: 403,
    ReplyProblem.EXPIRED: 410,
    ReplyProblem.USED: 410,
    ReplyProblem.CLOSED: 410,
}

# The services' refusals that mean the link is spent (a second tab, a close meanwhile).
_CONFLICT_PROBLEMS = {"already_answered": ReplyProblem.USED, "case_closed": ReplyProblem.CLOSED}


def reply_problem(*, kind: str, answered: bool, case_state: str) -> ReplyProblem | None:
    """Why a genuine, unexpired link to one of care's messages may not be used now, or None."""
    if answered:
        return ReplyProblem.USED
    if kind != MessageKind.CLOSING and case_state == CaseState.CLOSED:
        return ReplyProblem.CLOSED
    return None


def customer_language(message: CaseMessage) -> str:
    """The language care writes to this customer in (their account's or their order's)."""
    review = message.case.review
    contact = review_contact(review)
    return contact.language if contact is not None else review.language


def _message(message_id: int) -> CaseMessage | None:
    return (
        CaseMessage.objects.select_related(
            "case__review__product", "case__review__author", "case__review__order_line__order__customer"
        )
        .filter(pk=message_id)
        .first()
    )


def reply_message_open(token: str) -> CaseMessage:
    """The message a reply link may answer now; ReplyRefused otherwise (with the customer's
    language when the link was genuine)."""
    try:
        message_id = reply_token_message_id(token)
    except ReplyRefused as refused:
        gone = _message(refused.message_id) if refused.message_id is not None else None
        if gone is not None:
            refused.language = customer_language(gone)
        raise
    message = _message(message_id)
    if message is None:  # signed by us, so it existed: deleted since with its review
        raise ReplyRefused(ReplyProblem.CLOSED, message_id=message_id)
    if message.direction != MessageDirection.TO_CUSTOMER:
        raise ReplyRefused(ReplyProblem.INVALID)
    answered = CaseMessage.objects.filter(reply_to=message).exists()
    problem = reply_problem(kind=message.kind, answered=answered, case_state=message.case.state)
    if problem is None and review_contact(message.case.review) is None:
        # The customer was erased (or their account closed) since: even a closing link takes
        # no more words from someone the case no longer names.
        problem = ReplyProblem.CLOSED
    if problem is not None:
        raise ReplyRefused(problem, message_id=message_id, language=customer_language(message))
    return message


def reply_answer(*, message: CaseMessage, body: str, effort: int | None, now: datetime | None = None) -> CaseMessage:
    """The customer's answer, through care.services (which validates: ValidationFailed);
    a link spent meanwhile is a ReplyRefused like any other."""
    try:
        return services.case_customer_answer(message=message, body=body, effort=effort, now=now)
    except Conflict as exc:
        problem = _CONFLICT_PROBLEMS.get(exc.code)
        if problem is None:
            raise
        raise ReplyRefused(problem, message_id=message.pk, language=customer_language(message)) from exc
