"""Alerts of a newly opened case and the daily digest of the cases still open, to care
staff and the product's managers: emails to their accounts through the outbox, all the
rows of one alert or digest run in one insert (notifications.outbox.outbox_insert, as
gate.notify does: a few queries whatever the number of recipients), rendered at delivery
in each recipient's language. (See docs/care.md.)

Who: every active member of customer care with an address (the ``care.handle_case``
permission, through the customer_care group or given directly; a superuser is not care
staff for being a superuser) and the product's listed managers (Product.managers). Quality
directors are not alerted: the gate's mail is theirs, a case is care's and the product's.
What: the product, the stars, the review's title, the first-contact target and the desk
link; never the customer's address or name (the case page shows what staff may see).
Once: the outbox's dedupe keys, per case and user for the alert, per local day (TIME_ZONE)
and user for the digest, so a repeated call, task or restart writes nothing more.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet

from accounts.models import User
from accounts.roles import HANDLE_CARE_CASES
from care.models import Case, CaseState
from notifications.models import OutboxMessage
from notifications.outbox import email_message_build, outbox_insert
from products.models import Product
from products.translated import in_languages

__all__ = [
    "CASE_PAGE",
    "DIGEST_MAX_CASES",
    "QUEUE_PAGE",
    "care_digest_send",
    "care_staff",
    "case_opened_alert",
    "case_page_url",
]

# The desk's pages of a case and of the queue. Paths, not reverse("desk:care_case"): care
# sits below the desk and does not depend on its URL names (a test holds the two equal).
CASE_PAGE = "/desk/care/{case_id}/"
QUEUE_PAGE = "/desk/care/"
# A digest lists this many cases at most (the most urgent); the rest are counted and the
# queue's link given: an email is not the queue.
DIGEST_MAX_CASES = 50

# The outbox's kinds, which also name the templates (emails/<kind>_subject.txt, _body.txt).
OPENED_KIND = "care_case_opened"
DIGEST_KIND = "care_digest"


def case_page_url(case_id: int) -> str:
    return f"{settings.SITE_URL}{CASE_PAGE.format(case_id=case_id)}"


def care_staff() -> QuerySet[User]:
    """Active care staff with an email address: holding care.handle_case through a group
    (customer_care) or directly."""
    app_label, codename = HANDLE_CARE_CASES.split(".")
    via_group = Q(groups__permissions__codename=codename) & Q(groups__permissions__content_type__app_label=app_label)
    via_user = Q(user_permissions__codename=codename) & Q(user_permissions__content_type__app_label=app_label)
    return _reachable(User.objects.filter(via_group | via_user)).distinct()


def _reachable(users: QuerySet[User]) -> QuerySet[User]:
    return users.filter(is_active=True).exclude(email="")


def _email(user: User, *, kind: str, key: str, context: dict[str, Any], now: datetime) -> OutboxMessage:
    """An email to ``user``'s account, its templates named by ``kind``; ``key`` its dedupe key."""
    return email_message_build(recipient=user, kind=kind, template=kind, dedupe_key=key, context=context, due=now)


def _local_day(now: datetime) -> date:
    return now.astimezone(ZoneInfo(settings.TIME_ZONE)).date()


# --- The alert of a new case -------------------------------------------------------------
def case_opened_alert(case: Case, *, now: datetime) -> None:
    """Email care staff and the product's managers that ``case`` opened: one outbox row per
    person, in the caller's transaction (the one that opened the case)."""
    review = case.review
    product = Product.objects.only("name", "sku").get(pk=case.product_id)
    recipients = {user.pk: user for user in care_staff()}
    recipients.update({user.pk: user for user in _reachable(product.managers.all())})
    context: dict[str, Any] = {
        "case_id": case.pk,
        "product_name": in_languages(product, "name"),
        "product_sku": product.sku,
        "rating": case.rating_at_open,
        "recommend": case.recommend_at_open,
        "review_title": review.title,
        "opened_at": case.opened_at,
        "due_at": case.due_at,
        # The target promised when the case opened (the setting may have changed since).
        "first_contact_hours": int((case.due_at - case.opened_at).total_seconds() // 3600),
        "time_zone": settings.TIME_ZONE,
        "case_url": case_page_url(case.pk),
    }
    outbox_insert(
        [
            _email(
                recipients[user_id], kind=OPENED_KIND, key=f"care:opened:{case.pk}:{user_id}", context=context, now=now
            )
            for user_id in sorted(recipients)
        ]
    )


# --- The daily digest --------------------------------------------------------------------
def _urgency(case: Case) -> tuple[int, datetime, int]:
    """Open cases first, by their first-contact target (the overdue ones have the earliest);
    then the contacted ones waiting to be closed, oldest first."""
    if case.state == CaseState.OPEN:
        return (0, case.due_at, case.pk)
    return (1, case.opened_at, case.pk)


def _digest_line(case: Case, *, now: datetime) -> dict[str, Any]:
    return {
        "case_id": case.pk,
        "product_name": in_languages(case.product, "name"),
        "product_sku": case.product.sku,
        "rating": case.rating_now,
        "review_title": case.review.title,
        "state": case.state,
        "overdue": case.state == CaseState.OPEN and case.due_at < now,
        "due_at": case.due_at,
        "first_contact_at": case.first_contact_at,
        "assignee": case.assignee.public_name if case.assignee is not None else "",
        "url": case_page_url(case.pk),
    }


def _manager_products() -> dict[int, set[int]]:
    """user id -> ids of the products they manage that have a case still open."""
    open_products = Case.objects.exclude(state=CaseState.CLOSED).values("product_id")
    links = Product.managers.through.objects.filter(product_id__in=open_products).values_list("user_id", "product_id")
    managed: dict[int, set[int]] = defaultdict(set)
    for user_id, product_id in links:
        managed[user_id].add(product_id)
    return managed


def _digest_context(visible: list[dict[str, Any]], *, now: datetime) -> dict[str, Any]:
    return {
        "digest_at": now,
        "time_zone": settings.TIME_ZONE,
        "total": len(visible),
        "overdue_count": sum(1 for line in visible if line["overdue"]),
        "cases": visible[:DIGEST_MAX_CASES],
        "hidden_count": max(len(visible) - DIGEST_MAX_CASES, 0),
        "queue_url": f"{settings.SITE_URL}{QUEUE_PAGE}",
    }


def care_digest_send(*, now: datetime) -> int:
    """Write today's digest (the local day of ``now`` in TIME_ZONE) of the cases still open
        or contacted: to each member of care staff all of them, to each manager those of their
        products; nobody with none gets one. Returns the number of people owed one today
    (written now or by an earlier run: the outbox keeps one).

        1. The cases not closed, read once, most urgent first (:func:`_urgency`).
        2. The recipients: care staff, and the managers of a product with such a case.
        3. One email each, all in one insert, dedupe key ``care:digest:<day>:<user>``: a
           second run the same day (a retry, a restarted beat) writes nothing.
    """
    cases = sorted(
        Case.objects.exclude(state=CaseState.CLOSED).select_related("product", "review", "assignee"),
        key=_urgency,
    )
    if not cases:
        return 0
    lines = [(case.product_id, _digest_line(case, now=now)) for case in cases]
    staff_ids = set(care_staff().values_list("pk", flat=True))
    managed = _manager_products()
    users = _reachable(User.objects.filter(pk__in=staff_ids | set(managed))).order_by("pk")
    day = _local_day(now)
    rows: list[OutboxMessage] = []
    for user in users:
        visible = [line for product_id, line in lines if user.pk in staff_ids or product_id in managed[user.pk]]
        if visible:
            key = f"care:digest:{day.isoformat()}:{user.pk}"
            rows.append(_email(user, kind=DIGEST_KIND, key=key, context=_digest_context(visible, now=now), now=now))
    with transaction.atomic():
        outbox_insert(rows)
    return len(rows)
