"""``manage.py anonymise_orders``: cut the customer from orders older than ORDER_RETENTION_DAYS."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from core.commands import OperatorCommand
from orders.services import orders_anonymise_expired


class Command(OperatorCommand):
    help = (
        "Anonymise orders purchased more than ORDER_RETENTION_DAYS ago (default 730): they lose "
        "their customer, and a customer left without any order is erased. Safe to repeat (the daily "
        "task runs the same service). Prints how many orders were anonymised."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = orders_anonymise_expired()
        self.stdout.write(
            f"anonymised {count:,} order{'s' if count != 1 else ''} purchased more than "
            f"{settings.ORDER_RETENTION_DAYS:,} days ago"
        )
