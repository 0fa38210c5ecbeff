"""The rows the demo plan is made of, the demo's accounts, and the moments rows are dated at.

Plain dataclasses, no database: `devtools.demo.seed` turns each into a model row.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time

from gate.policy import GatePolicy

# Every random choice of the plan comes from a `random.Random` seeded from this constant
# (and a name: a product's SKU, "customers", "special", "extras"), so the plan never varies.
SEED = 7_340_211

SHOPPER, MODERATOR, MANAGER, DIRECTOR, ADMIN = "shopper", "moderator", "manager", "director", "admin"
CARE = "care"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str  # a role of accounts.roles, or "admin" for the superuser
    language: str
    first_name: str
    last_name: str
    display_name: str


# The accounts a visitor signs in with read the site in English, the language of the README
# that lists them (moderator and director were French, so signing in switched the site to
# French unasked); the profile page switches any of them to French. The customers who write
# in French chose French (devtools.demo.people).
DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(SHOPPER, "shopper-demo", "shopper", "en", "Alex", "Parker", "Alex P."),
    DemoAccount(MODERATOR, "moderator-demo", "moderator", "en", "Inès", "Moreau", "Inès M."),
    DemoAccount(MANAGER, "manager-demo", "product_manager", "en", "Julia", "Reyes", "Julia R."),
    DemoAccount(DIRECTOR, "director-demo", "quality_director", "en", "Marc", "Lefèvre", "Marc L."),
    DemoAccount(CARE, "care-demo", "customer_care", "en", "Nadia", "Haddad", "Nadia H."),
    DemoAccount("reader", "reader-demo", "company_reader", "en", "Rosa", "Keller", "Rosa K."),
    DemoAccount(ADMIN, "admin-demo", ADMIN, "en", "Sam", "Admin", "Sam (admin)"),
)
# example.com is reserved for examples (RFC 2606): no demo email can reach anyone.
EMAIL_DOMAIN = "example.com"


@dataclass(frozen=True)
class Customer:
    """A shopper account that writes and votes on reviews; it has no usable password."""

    username: str
    first_name: str
    last_name: str
    display_name: str
    language: str


@dataclass(slots=True)
class PlannedReview:
    sku: str
    created_at: datetime
    rating: int
    # "How likely are you to recommend it?" (0-10), answered on some recent reviews
    # (devtools.demo.care): written with the review, never added later.
    recommend: int | None = None
    revision: int = 0
    status: str = "published"
    status_reason: str = ""
    language: str = "en"
    author: str | None = None  # an account's username; None for an invited guest
    author_name: str = ""
    title: str = ""
    body: str = ""
    # Set by devtools.demo.orders alone, by the rule of docs/invitations.md: the review came
    # through an invitation link (`order_line`), or its account's address has a delivered,
    # unrefunded order of the product from before it.
    verified: bool = False
    source: str = "site"
    # The writer bought it from the shop: the order planner proves it with an order when the
    # shop's order feed already ran then (else the review stays unverified).
    bought: bool = False
    # (order id, SKU) of the invitation line whose link produced the review.
    order_line: tuple[str, str] | None = None
    # Text flavour: "" (ordinary), "issue" (the product's known defect), "fixed" (after the
    # fix: praise of it, or a low rating for another reason).
    phase: str = ""
    # Rating and text chosen by hand: the shaper and the composer leave them alone.
    fixed: bool = False
    external_id: str = ""
    votes: list[tuple[str, bool]] = field(default_factory=list)
    # When a moderator (or the author) moved it away from published.
    decided_at: datetime | None = None

    @property
    def helpful_yes(self) -> int:
        return sum(1 for _voter, helpful in self.votes if helpful)

    @property
    def helpful_no(self) -> int:
        return sum(1 for _voter, helpful in self.votes if not helpful)


@dataclass(frozen=True)
class PlannedReport:
    review: str  # external_id
    reporter: str
    reason: str
    comment: str
    created_at: datetime
    handled_at: datetime | None = None
    handled_by: str | None = None


@dataclass(frozen=True)
class PlannedReply:
    review: str  # external_id
    author: str
    body: str
    created_at: datetime


@dataclass(frozen=True)
class PlannedImprovement:
    sku: str
    logged_at: datetime
    logged_by: str
    description: str
    public_note: str
    addressed_phrases: tuple[str, ...]


_HOURS = tuple(range(7, 24))
_HOUR_WEIGHTS = (1, 2, 3, 3, 3, 4, 4, 3, 3, 3, 4, 5, 6, 7, 7, 5, 3)


def local_moment(day: date, policy: GatePolicy, hour: int, minute: int, second: int = 0) -> datetime:
    # Hours run from 7 to 23, so no time falls in a daylight-saving gap.
    return datetime.combine(day, time(hour, minute, second), tzinfo=policy.tzinfo)


def random_moment(rng: random.Random, day: date, policy: GatePolicy) -> datetime:
    """A time of `day` when shoppers write reviews: more in the evening than the morning."""
    hour = rng.choices(_HOURS, _HOUR_WEIGHTS)[0]
    return local_moment(day, policy, hour, rng.randrange(60), rng.randrange(60))
