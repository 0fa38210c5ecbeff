"""The demo's people: the customers who write and vote, guests' names, and who wrote what."""

from __future__ import annotations

import random
from collections import defaultdict

from devtools.demo import texts
from devtools.demo.rows import SEED, Customer, PlannedReview


def demo_customers() -> list[Customer]:
    """Sixty shopper accounts, three in ten French-speaking; always the same ones."""
    rng = random.Random(f"{SEED}:customers")
    people = []
    for number in range(60):
        language = "fr" if number % 10 in (1, 4, 7) else "en"
        first = rng.choice(texts.FIRST_NAMES[language])
        initial = rng.choice(texts.LAST_INITIALS)
        ascii_first = first.lower().translate(str.maketrans("éèëêàâîïôöûüç", "eeeeaaiioouuc"))
        people.append(
            Customer(
                username=f"{ascii_first}.{initial.lower()}{number + 11}",
                first_name=first,
                last_name=f"{initial}.",
                display_name=f"{first} {initial}.",
                language=language,
            )
        )
    return people


def guest_name(rng: random.Random, language: str) -> str:
    """The name an invited guest signs with: a first name, mostly with an initial."""
    first = rng.choice(texts.FIRST_NAMES[language])
    return first if rng.random() < 0.2 else f"{first} {rng.choice(texts.LAST_INITIALS)}."


class Authors:
    """Hands out authors: an account at most once per product revision, else a guest."""

    def __init__(self, customers: list[Customer]) -> None:
        self.by_language: dict[str, list[Customer]] = defaultdict(list)
        for customer in customers:
            self.by_language[customer.language].append(customer)
        self.used: set[tuple[str, int, str]] = set()

    def reserve(self, review: PlannedReview, username: str) -> None:
        self.used.add((review.sku, review.revision, username))

    def assign(self, rng: random.Random, review: PlannedReview, *, account_share: float = 0.3) -> None:
        if rng.random() < account_share:
            free = [
                c
                for c in self.by_language[review.language]
                if (review.sku, review.revision, c.username) not in self.used
            ]
            if free:
                customer = rng.choice(free)
                self.reserve(review, customer.username)
                review.author, review.author_name = customer.username, customer.display_name
                review.source, review.bought = "site", rng.random() < 0.55
                return
        review.author, review.author_name = None, guest_name(rng, review.language)
        # Most guests write through an invitation; the order planner decides (and proves it).
        review.source, review.bought = "site", rng.random() < 0.95
