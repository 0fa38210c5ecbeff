"""A customer's traces in customer care when their orders lose them (orders.events.
orders_anonymising's handler, subscribed in CareConfig.ready()).

orders unlinks orders from their customer when it erases the customer (the admin action,
``erase_customer``) and when the orders pass ORDER_RETENTION_DAYS; before the unlink, in
the same transaction, it publishes ``orders_anonymising``, and this handler finds what care
holds of theirs through the one link there is: a guest review's order line, whose order
still names the customer. Afterwards nothing leads from a case to the customer, so
anything left here would stay for good.

For each case of such a review:

* the customer's answers lose their text, and care's messages (which may quote them) are
  replaced by a fixed sentence (a care message may not be empty: a database check); rows,
  directions, dates and the effort answer stay, so the figures do not move;
* a case still open or contacted closes as "not reachable" (by nobody, at the erasure):
  nobody can write to the customer any more;
* the delivery errors of the customer's care and thanks emails are emptied (a mail server
  may quote the address in a way the worker's masking does not recognise), as orders does
  for their invitation emails.

A review written by an account is the account's (care writes to the account's address:
care.customers.review_contact), so its case is left as it is: erasing the shop's customer
record does not erase an account, and accounts have no erasure of their own yet.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy

from care.emails import care_message_dedupe_key
from care.models import Case, CaseMessage, CaseOutcome, CaseState, MessageDirection
from care.thanks import thanks_dedupe_key
from notifications.models import DeliveryAttempt, OutboxMessage
from orders.events import OrdersAnonymising
from reviews.models import Review

__all__ = ["ERASED_MESSAGE_BODY", "orders_anonymising_handle"]

# Stored in place of care's messages (in the site's language: a message body is stored once).
ERASED_MESSAGE_BODY = gettext_lazy("This message was removed when the customer's data was erased.")


def _guest_reviews(order_ids: Iterable[int]) -> list[int]:
    """The reviews written as guests through these orders' lines."""
    return list(
        Review.objects.filter(order_line__order_id__in=list(order_ids), author__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _delivery_errors_clear(dedupe_keys: list[str]) -> None:
    OutboxMessage.objects.filter(dedupe_key__in=dedupe_keys).update(last_error="")
    DeliveryAttempt.objects.filter(message__dedupe_key__in=dedupe_keys).update(error="")


def orders_anonymising_handle(fact: OrdersAnonymising) -> None:
    """In orders' transaction, while the orders still name their customer."""
    review_ids = _guest_reviews(fact.order_ids)
    if not review_ids:
        return
    # Locked in one order: a care member writing or closing meanwhile waits, then finds the
    # case closed (care.services locks the case's row too).
    case_ids = list(
        Case.objects.select_for_update().filter(review_id__in=review_ids).order_by("pk").values_list("pk", flat=True)
    )
    messages = CaseMessage.objects.filter(case_id__in=case_ids)
    messages.filter(direction=MessageDirection.FROM_CUSTOMER).update(body="")
    with translation.override(settings.LANGUAGE_CODE):
        replacement = str(ERASED_MESSAGE_BODY)
    to_customer = messages.filter(direction=MessageDirection.TO_CUSTOMER)
    # An empty closing note stays empty (it quoted nothing).
    to_customer.exclude(body="").update(body=replacement)
    Case.objects.filter(pk__in=case_ids).exclude(state=CaseState.CLOSED).update(
        state=CaseState.CLOSED, outcome=CaseOutcome.NOT_REACHABLE, closed_at=fact.at, closed_by=None
    )
    keys = [care_message_dedupe_key(pk) for pk in to_customer.order_by("pk").values_list("pk", flat=True)]
    keys += [thanks_dedupe_key(pk) for pk in review_ids]
    _delivery_errors_clear(keys)
