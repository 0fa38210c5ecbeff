"""Reads of the customer care desk: the queue of follow-up cases and one case's page.

Who sees which case is decided here, once: care staff see every case; a product manager
the cases of the products they manage and a quality director all of them
(products.access.products_managed_by); nobody else any. The clock is passed in (``now``),
so the time left against a case's first-contact target is tested without waiting.

Nothing here reads or returns a customer's address: the page learns only whether the
customer can be reached (care.customers.case_reachable).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.contrib.auth.models import AnonymousUser, Permission
from django.db import models
from django.db.models import Q, QuerySet

from accounts.models import User
from accounts.roles import HANDLE_CARE_CASES, MANAGE_ALL_PRODUCTS, MANAGE_OWN_PRODUCTS, user_handles_care_cases
from care.customers import case_reachable, earlier_reviews
from care.models import Case, CaseMessage, CaseState
from care.policy import contacted_in_time, time_left
from products.access import products_managed_by
from reviews.models import Review


class StateFilter(StrEnum):
    ACTIVE = "active"  # open or contacted: still to be worked on (the default)
    CLOSED = "closed"
    ALL = "all"


class WhoFilter(StrEnum):
    ALL = "all"
    MINE = "mine"
    UNASSIGNED = "unassigned"


_STATES = {
    StateFilter.ACTIVE: [CaseState.OPEN, CaseState.CONTACTED],
    StateFilter.CLOSED: [CaseState.CLOSED],
    StateFilter.ALL: [CaseState.OPEN, CaseState.CONTACTED, CaseState.CLOSED],
}


def user_reads_care_cases(user: User | AnonymousUser) -> bool:
    """Care staff, product managers and quality directors (the queue and the case pages)."""
    return bool(
        user.is_authenticated
        and (user_handles_care_cases(user) or user.has_perm(MANAGE_OWN_PRODUCTS) or user.has_perm(MANAGE_ALL_PRODUCTS))
    )


def care_cases_visible(*, user: User | AnonymousUser) -> QuerySet[Case]:
    """Every case ``user`` may read: all for care staff, their products' for a manager."""
    if not user.is_authenticated:
        return Case.objects.none()
    if user_handles_care_cases(user):
        return Case.objects.all()
    return Case.objects.filter(product__in=products_managed_by(user))


def care_queue(
    *, user: User | AnonymousUser, state: StateFilter = StateFilter.ACTIVE, who: WhoFilter = WhoFilter.ALL
) -> QuerySet[Case]:
    """The cases of the queue: those still owed a first contact first, then the others
    (contacted, or closed), each oldest first: the customer waiting longest is on top."""
    cases = care_cases_visible(user=user).filter(state__in=_STATES[state])
    if who == WhoFilter.MINE:
        cases = cases.filter(assignee_id=user.pk) if user.is_authenticated else cases.none()
    elif who == WhoFilter.UNASSIGNED:
        cases = cases.filter(assignee__isnull=True)
    owed_first = models.Case(models.When(state=CaseState.OPEN, then=0), default=1, output_field=models.IntegerField())
    return (
        cases.select_related("product", "review", "assignee")
        .annotate(owed_first=owed_first)
        .order_by("owed_first", "opened_at", "id")
    )


def care_case_get(*, user: User | AnonymousUser, pk: int) -> Case:
    """A case ``user`` may read (raises Case.DoesNotExist otherwise: the page answers 404,
    so a manager learns nothing of other products' cases)."""
    return care_cases_visible(user=user).select_related("product", "review", "assignee", "closed_by").get(pk=pk)


class ClockState(StrEnum):
    WAITING = "waiting"  # not contacted yet, target still ahead
    OVERDUE = "overdue"  # not contacted yet, target passed
    IN_TIME = "in_time"  # contacted by the target
    LATE = "late"  # contacted after the target
    CLOSED_UNCONTACTED = "closed_uncontacted"  # closed (not reachable) without a message


@dataclass(frozen=True)
class CaseClock:
    """Where a case stands against its first-contact target at ``now``.

    ``delta`` is how far from the target: the time left while waiting, how late while
    overdue or contacted late, how early when contacted in time (always positive)."""

    state: ClockState
    delta: timedelta

    @property
    def needs_attention(self) -> bool:
        return self.state == ClockState.OVERDUE


def case_clock(case: Case, *, now: datetime) -> CaseClock:
    if case.first_contact_at is not None:
        in_time = contacted_in_time(first_contact_at=case.first_contact_at, due_at=case.due_at)
        return CaseClock(ClockState.IN_TIME if in_time else ClockState.LATE, abs(case.due_at - case.first_contact_at))
    if case.state == CaseState.CLOSED:
        return CaseClock(ClockState.CLOSED_UNCONTACTED, timedelta(0))
    left = time_left(case.due_at, now=now)
    if left < timedelta(0):
        return CaseClock(ClockState.OVERDUE, -left)
    return CaseClock(ClockState.WAITING, left)


@dataclass(frozen=True)
class QueueRow:
    case: Case
    clock: CaseClock


def care_queue_rows(*, cases: list[Case], now: datetime) -> list[QueueRow]:
    return [QueueRow(case=case, clock=case_clock(case, now=now)) for case in cases]


@dataclass(frozen=True)
class CaseFacts:
    """What the case page shows besides the case itself."""

    case: Case
    review: Review
    clock: CaseClock
    reachable: bool
    earlier_reviews: list[Review]
    messages: list[CaseMessage]
    rating_changed: bool


def care_case_facts(*, case: Case, now: datetime) -> CaseFacts:
    review = Review.objects.select_related("author", "order_line__order__customer", "product").get(pk=case.review_id)
    messages = list(case.messages.select_related("author", "reply").order_by("written_at", "id"))
    return CaseFacts(
        case=case,
        review=review,
        clock=case_clock(case, now=now),
        reachable=case_reachable(review),
        earlier_reviews=earlier_reviews(review),
        messages=messages,
        rating_changed=case.rating_changed_at is not None and case.rating_now != case.rating_at_open,
    )


def care_staff_members() -> QuerySet[User]:
    """Active accounts holding care's permission (through a role or given directly): whom
    a case may be given to (care.services.case_assign checks the same)."""
    app_label, codename = HANDLE_CARE_CASES.split(".")
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    return (
        User.objects.filter(is_active=True)
        .filter(Q(groups__permissions__in=permission) | Q(user_permissions__in=permission))
        .distinct()
        .order_by("display_name", "username", "pk")
    )
