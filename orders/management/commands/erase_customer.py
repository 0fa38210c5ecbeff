"""``manage.py erase_customer EMAIL``: erase a customer on request (orders.services.customer_erase).

``EMAIL`` may be ``-``: the address is then read from standard input (its first line), so
it stays out of the shell's history and the process list.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import CommandParser

from core.commands import OperatorCommand, bad_input
from orders.services import customer_erase


class Command(OperatorCommand):
    # Tests hand their own standard input (as Django's createsuperuser takes one).
    stealth_options = ("stdin",)
    help = (
        "Erase the customer with this email address (case-insensitive): their address and name are "
        "removed for good, they are never invited again, and their orders stay, without them, for the "
        "figures. Prints “erased”, or “no customer with this address” (also when they were erased "
        "before); both exit 0, so a repeated request is not an error. The address is never printed. "
        "An empty address exits 2. Give “-” to read the address from standard input instead "
        "(it then stays out of the shell history and the process list)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "email", metavar="EMAIL", help="the customer's email address, as they gave it, or - to read it from stdin"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        email = str(options["email"]).strip()
        if email == "-":
            stdin = options.get("stdin") or sys.stdin
            email = str(stdin.readline()).strip()
        if not email:
            raise bad_input("give the customer's email address")
        erased = customer_erase(email=email)
        self.stdout.write("erased" if erased else "no customer with this address")
