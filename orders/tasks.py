"""Thin Celery tasks of the orders app: each calls one service and is safe to repeat."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from core.db_unavailable import TASK_RETRY_ON_DATABASE_ERRORS
from orders.invitations import invitations_sweep
from orders.services import orders_anonymise_expired


@shared_task(name="orders.tasks.invitations_sweep_task", ignore_result=True, **TASK_RETRY_ON_DATABASE_ERRORS)
def invitations_sweep_task() -> int:
    """Every REVIEW_INVITE_SWEEP_SECONDS (beat): write the invitations and reminders due now.
    A repeated or concurrent run finds them written and writes nothing twice."""
    return invitations_sweep(now=timezone.now())


@shared_task(name="orders.tasks.orders_anonymise_task", ignore_result=True, **TASK_RETRY_ON_DATABASE_ERRORS)
def orders_anonymise_task() -> int:
    """Daily (beat): orders past ORDER_RETENTION_DAYS lose their customer's personal data."""
    return orders_anonymise_expired(now=timezone.now())
