"""``manage.py erase_customer EMAIL``: erase a customer on request (orders.services.customer_erase)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from core.commands import OperatorCommand, bad_input
from orders.services import customer_erase


class Command(OperatorCommand):
    help = (
        "Erase the customer with this email address (case-insensitive): their address and name are "
        "removed for good, they are never invited again, and their orders stay, without them, for the "
        "figures. Prints “erased”, or “no customer with this address” (also when they were erased "
        "before); both exit 0, so a repeated request is not an error. The address is never printed. "
        "An empty address exits 2."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", metavar="EMAIL", help="the customer's email address, as they gave it")

    def handle(self, *args: Any, **options: Any) -> None:
        email = str(options["email"]).strip()
        if not email:
            raise bad_input("give the customer's email address")
        erased = customer_erase(email=email)
        self.stdout.write("erased" if erased else "no customer with this address")
