"""``manage.py seed_demo [--scale 1.0] [--no-gate] [--force]``: believable demo data, idempotent.

About 60 own-brand products in six categories and about 5,000 reviews over the last 18
months, in English and French (about 70/30), with votes, reports, brand replies, a
moderation queue, one account per role, and a few poor products that put the quality gate
to work: two flagged with their withdrawal date still to come (one flagged three days
ago, so its notice email goes out on the first `make run`), two withdrawn (one of them six
days ago), one withdrawn last year and reinstated five weeks ago after a logged
improvement, and one that was flagged and recovered.

Orders and review invitations (devtools.demo.orders): about 2,400 demo orders over the last
four months, their invitations and reminders, customers at example.com (some unsubscribed,
some orders refunded or cancelled, a response rate around 27 %). Every verified review
is verified by the rule of docs/invitations.md: written through an invitation link of its
customer's order, or by an account whose address has an earlier delivered, unrefunded order
of the product; older reviews stay unverified. A few orders (`DEMO-SOON-1` to `-4`, English
and French) are delivered REVIEW_INVITE_DAYS ago less one to three minutes when first
seeded: the invitation sweep of `make run` emails them within minutes, and the command says
when.

Anchoring (why a second run creates nothing twice, on the same day or any later day):
every date is planned as "N days before the anchor" (the orders due soon excepted: they
are found again by order id), and the anchor is the day of the
first seeding. On an empty database it is today. When the demo is already there, the
command finds its anchor from the data itself: the scenario reviews are placed without
regard to the calendar, so the stored day of review ``demo-STL-2041-0001`` minus its
planned distance is the first seeding's day, and the plan for that anchor is the plan
that was written. Every row has a natural key (category slug, product SKU, username,
review ``external_id`` ``demo-<sku>-<n>``, order id ``DEMO-<n>``, customer address), and
only missing rows are written; votes, reports, status history and brand replies are written
only with their review, order lines and invitations only with their order. The
random choices come from ``random.Random`` seeded with a constant (per product), so the
plan is the same on every run. Keep the same ``--scale`` between runs: a different scale
plans different reviews.

The gate's part goes through its services: the demo improvement is imported as history
(with its past ``logged_at``) before the engine evaluates its day, then every day not yet
evaluated through yesterday is evaluated. On a later day, a run only catches the gate up.
The stories assume the default policy (GATE_THRESHOLD 3.0, GATE_GRACE_DAYS 30,
GATE_MIN_REVIEWS 25, GATE_WINDOW_DAYS 365); another policy still gets the same reviews.

The demo accounts have known passwords, so the command refuses to run unless DEBUG is on
or ``--force`` is given (as ``make run`` does: its demo is served with DEBUG off).
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import CommandParser
from django.utils import timezone

from core.commands import OperatorCommand, bad_input
from core.errors import DomainError
from devtools.demo.care import CASE_DAYS, demo_care_summary
from devtools.demo.plan import DemoPlan
from devtools.demo.rows import DEMO_ACCOUNTS
from devtools.demo.scenarios import SCENARIOS
from devtools.demo.seed import SeedResult, demo_seed
from devtools.demo.seed_orders import demo_invitation_figures
from devtools.demo.topics import LOGISTICS_PASSWORD, LOGISTICS_TEAM, LOGISTICS_USERNAME
from gate.models import GateEvent
from products.models import Product

_ROLE_LABELS = {
    "shopper": "shopper",
    "moderator": "moderator",
    "product_manager": "product manager",
    "quality_director": "quality director",
    "customer_care": "customer care",
    "company_reader": "company reader",
    "admin": "admin (superuser)",
}

# The singular of the seed's counts ("1 team", not "1 teams"); a name not listed stays as it is.
_SINGULAR = {
    "accounts": "account",
    "brand replies": "brand reply",
    "care cases": "care case",
    "care messages": "care message",
    "categories": "category",
    "customers": "customer",
    "customers (orders)": "customer (orders)",
    "order lines": "order line",
    "orders": "order",
    "orders due soon": "order due soon",
    "product managers": "product manager",
    "products": "product",
    "reports": "report",
    "review status changes": "review status change",
    "reviews": "review",
    "reviews proven by the new orders": "review proven by the new orders",
    "teams": "team",
    "votes": "vote",
}


def created_count(count: int, name: str) -> str:
    """``3 teams``, ``1 team``: a count of the seed's rows, worded for its number."""
    return f"{count:,} {_SINGULAR.get(name, name) if count == 1 else name}"


def _scale(value: str) -> float:
    try:
        scale = float(value)
    except ValueError:
        raise bad_input(f"--scale must be a number such as 0.2 or 1, got {value!r}") from None
    if not 0.01 <= scale <= 10:
        raise bad_input(f"--scale must be between 0.01 and 10, got {value}")
    return scale


class Command(OperatorCommand):
    help = (
        "Loads believable demo data (about 60 products, 5,000 reviews in English and French, one account "
        "per role, poor products that put the quality gate to work, orders and review invitations, and a "
        "few orders invited minutes after seeding), then evaluates the gate through yesterday. Idempotent: "
        "a second run, today or later, creates nothing twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            default="1",
            help="multiplies the reviews of ordinary products (default 1: about 5,000 reviews); "
            "the poor products keep theirs, so the gate's stories hold",
        )
        parser.add_argument(
            "--no-gate", action="store_true", help="write the data only: no improvement, no gate evaluation"
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="run even with DEBUG off (the demo accounts have known passwords: never on a live site)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        scale = _scale(str(options["scale"]))
        if not settings.DEBUG and not options["force"]:
            raise bad_input(
                "seed_demo creates accounts with known passwords, so it runs only with DEBUG=1 "
                "or with --force (as `make run` does)."
            )
        verbosity = int(options["verbosity"])
        started = time.monotonic()
        try:
            result = demo_seed(
                scale=scale,
                gate=not options["no_gate"],
                log=(lambda message: self.stdout.write(message)) if verbosity >= 1 else None,
            )
        except (DomainError, ImproperlyConfigured) as error:
            raise bad_input(str(error)) from None
        if verbosity >= 1:
            self._report(result, seconds=time.monotonic() - started)

    def _report(self, result: SeedResult, *, seconds: float) -> None:
        write = self.stdout.write
        if result.created_anything:
            made = ", ".join(created_count(n, name) for name, n in result.created.items() if n)
            write(self.style.SUCCESS(f"Demo data written (anchor day {result.anchor}): {made or 'no new rows'}."))
        else:
            write(f"Demo data already complete (first seeded on {result.anchor}): nothing created.")
        if result.improvements_logged:
            write(f"Logged {result.improvements_logged} demo improvement(s) as history.")
        if result.evaluation is not None:
            evaluation = result.evaluation
            if evaluation.days:
                kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(evaluation.events.items())) or "no events"
                write(
                    f"Quality gate evaluated {evaluation.days} day(s), {evaluation.first_day} to "
                    f"{evaluation.last_day}: {kinds}."
                )
            else:
                write("Quality gate already evaluated through yesterday.")
        for warning in result.warnings:
            write(self.style.WARNING(warning))
        if result.drifts:
            write(self.style.WARNING(f"Corrected {len(result.drifts)} rating figure(s) that had drifted."))
        self._report_gate(result.plan)
        self._report_invitations(result)
        self._report_care()
        self._report_accounts()
        write(f"Done in {seconds:.1f} s.")

    def _report_gate(self, plan: DemoPlan) -> None:
        write = self.stdout.write
        products = Product.objects.filter(sku__in=list(SCENARIOS)).order_by("gate_state", "sku")
        write("")
        write("The quality gate in the demo:")
        for product in products:
            if product.gate_state == "flagged":
                state = f"flagged on {product.flagged_on}, withdrawal on {product.withdrawal_deadline}"
            elif product.gate_state == "withdrawn":
                state = f"withdrawn on {product.withdrawn_on} (off sale)"
            else:
                kinds = list(
                    GateEvent.objects.filter(product=product).order_by("day", "id").values_list("kind", flat=True)
                )
                state = "active" + (f" ({' then '.join(kinds)})" if kinds else "")
            write(f"  {product.sku:<9} {product.name[:44]:<44} {state}")

    def _report_invitations(self, result: SeedResult) -> None:
        write = self.stdout.write
        figures = demo_invitation_figures()
        write("")
        write(
            f"Review invitations in the demo: {figures.orders:,} orders, {figures.invitations:,} invitations and "
            f"{figures.reminders:,} reminders sent, {figures.reviewed:,} of {figures.invited_lines:,} products asked "
            f"about reviewed (response rate {figures.response_rate:.0%})."
        )
        waiting = [order for order in result.due_soon if not order.invited]
        if not waiting:
            write("  The demo's orders due soon were all invited; post an order to /api/v1/orders/ to see another.")
            return
        sweep = settings.REVIEW_INVITE_SWEEP_SECONDS
        write(
            f"  Falling due while `make run` runs ({settings.REVIEW_INVITE_DAYS} days after delivery); the sweep "
            f"(every {sweep} s) sends each, and the Celery worker prints its email in this console:"
        )
        for order in waiting:
            products = f"{order.products} product{'s' if order.products > 1 else ''}"
            due = timezone.localtime(order.due_at).strftime("%Y-%m-%d %H:%M:%S")
            write(f"  {order.order_id:<12} {order.language}  {products:<10} due at {due}")

    def _report_care(self) -> None:
        summary = demo_care_summary(now=timezone.now())
        states, care, nps = summary.states, summary.care, summary.nps
        in_time = f"{care.in_time_share} %" if care.in_time_share is not None else "no case due yet"
        score = f"{nps.score:+} over {nps.answers:,} answers" if nps.score is not None else "no answers yet"
        self.stdout.write("")
        self.stdout.write(
            f"Customer care in the demo: {states.get('open', 0)} cases open, {states.get('contacted', 0)} "
            f"contacted, {states.get('closed', 0)} closed; first contact within "
            f"{settings.CARE_FIRST_CONTACT_HOURS} h: {in_time} (last {CASE_DAYS} days); NPS {score} "
            f"(last 12 months). Log in as `care` to see the queue."
        )

    def _report_accounts(self) -> None:
        write = self.stdout.write
        write("")
        write("Demo accounts (log in at /accounts/login/; admin site at /admin/):")
        write(f"  {'role':<18} {'username':<10} password")
        for account in DEMO_ACCOUNTS:
            write(f"  {_ROLE_LABELS[account.role]:<18} {account.username:<10} {account.password}")
        # A company reader in the logistics team (devtools.demo.topics): its digests' reader.
        label = f"reader ({LOGISTICS_TEAM.lower()})"
        write(f"  {label:<18} {LOGISTICS_USERNAME:<10} {LOGISTICS_PASSWORD}")
