"""Replaying the event log gives each product's stored gate state, and every figure shown
(product page, its JSON-LD, the API) equals a recount over the counted reviews.

On the demo data (`seed_demo`, the gate evaluated through yesterday) and on a 150-day
history evaluated by the engine under three policies. The reference figures are recounted
here from the reviews with Fractions, not read from the product's stored counters.
"""

from __future__ import annotations

import io
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings

from core.gate_figures import average_shown
from gate.log_replay import INITIAL, LoggedEvent, ReplayedState, ReplayError, gate_state_replay
from gate.models import GateEvent
from gate.policy import EventKind, GatePolicy, GateState
from gate.policy import GateEvent as DecidedEvent
from products.models import Product
from reviews.models import Review

# --- Helpers ---------------------------------------------------------------------------------


def stored_log() -> list[LoggedEvent]:
    """The log as stored, in the order gate_events exports it."""
    return [
        LoggedEvent(
            DecidedEvent(row.day, row.product.sku, EventKind(row.kind), row.average, row.count),
            GatePolicy.build(**row.policy),
        )
        for row in GateEvent.objects.select_related("product").order_by("day", "product__sku", "id")
    ]


def stored_states() -> dict[str, ReplayedState]:
    return {
        product.sku: ReplayedState(
            GateState(product.gate_state),
            flagged_on=product.flagged_on,
            withdrawal_deadline=product.withdrawal_deadline,
            withdrawn_on=product.withdrawn_on,
            on_sale=product.on_sale,
            revision=product.revision,
        )
        for product in Product.objects.all()
    }


def assert_replay_equals_stored() -> Counter[str]:
    replayed = gate_state_replay(stored_log())
    stored = stored_states()
    assert set(replayed) <= set(stored)
    for sku, state in stored.items():
        assert replayed.get(sku, INITIAL) == state, sku
    return Counter(state.gate_state.value for state in stored.values())


@dataclass(frozen=True)
class Recount:
    count: int
    average: Decimal | None  # 4 decimals, half-even from the exact fraction

    @classmethod
    def of(cls, ratings: list[int]) -> Recount:
        if not ratings:
            return cls(0, None)
        exact = Fraction(sum(ratings), len(ratings))
        # Decimal division at high precision, then rounded once: another road than average_of.
        average = (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(
            Decimal("0.0001"), rounding=ROUND_HALF_EVEN
        )
        return cls(len(ratings), average, exact)

    exact: Fraction | None = None

    def one_decimal(self) -> str:
        """As pages show it: one decimal, or two where one would cross the gate's threshold
        (core.gate_figures, tested on its own in tests/unit/test_gate_figures.py)."""
        assert self.exact is not None
        return str(average_shown(self.exact, threshold=Fraction(str(settings.GATE_THRESHOLD))))


def recount(product: Product) -> tuple[Recount, Recount, dict[int, int]]:
    """Current revision and all time, over counted reviews (published, not employee)."""
    counted = Review.objects.counted().filter(product=product)
    current = list(counted.filter(revision=product.revision).values_list("rating", flat=True))
    every = list(counted.values_list("rating", flat=True))
    return Recount.of(current), Recount.of(every), Counter(current)


PAGE_AVERAGE = re.compile(r'<span class="average-number">([^<]*)</span>')
PAGE_COUNT = re.compile(r'<p class="based-on">(\d+) reviews?')
PAGE_ALL_TIME = re.compile(r'<span class="average">([^<]*)</span>\s*<span class="count">(\d+) reviews?</span>')
PAGE_STARS = re.compile(
    r'<span class="histogram-label">(\d) stars?</span>.*?<span class="histogram-count">(\d+) review'
)
JSON_LD = re.compile(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', re.S)


def product_structured_data(html: str) -> dict[str, Any]:
    for block in JSON_LD.findall(html):
        data = json.loads(block)
        if data.get("@type") == "Product":
            return data  # type: ignore[no-any-return]
    raise AssertionError("no schema.org Product on the page")


def assert_three_surfaces_equal_the_recount(client: Client, product: Product) -> None:
    current, all_time, stars = recount(product)
    page = client.get(f"/products/{product.sku}/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200, product.sku
    html = page.content.decode()

    # The page: the current average (one decimal), its count, the stars, the all-time figures.
    if current.count:
        assert PAGE_AVERAGE.findall(html) == [current.one_decimal()], product.sku
        assert PAGE_COUNT.findall(html) == [str(current.count)], product.sku
        shown_stars = {int(s): int(n) for s, n in re.findall(PAGE_STARS, html.replace("\n", " "))}
        assert shown_stars == {s: stars.get(s, 0) for s in range(1, 6)}, product.sku
    else:
        assert not PAGE_AVERAGE.findall(html), product.sku
    if all_time.count:
        assert PAGE_ALL_TIME.findall(html) == [(all_time.one_decimal(), str(all_time.count))], product.sku

    # Its JSON-LD: aggregateRating only with reviews, the 4-decimal average and the count.
    data = product_structured_data(html)
    if current.count:
        assert data["aggregateRating"]["reviewCount"] == current.count, product.sku
        assert Decimal(str(data["aggregateRating"]["ratingValue"])) == current.average, product.sku
    else:
        assert "aggregateRating" not in data, product.sku

    # The API: both figures with their histograms, and the gate state the replay checks.
    answer = client.get(f"/api/v1/products/{product.sku}/")
    assert answer.status_code == 200, product.sku
    rating = answer.json()["rating"]
    every_stars = Counter(Review.objects.counted().filter(product=product).values_list("rating", flat=True))
    for shown, expected, histogram in (
        (rating["current"], current, stars),
        (rating["all_time"], all_time, every_stars),
    ):
        assert shown["count"] == expected.count, product.sku
        assert (None if shown["average"] is None else Decimal(str(shown["average"]))) == expected.average, product.sku
        assert shown["histogram"] == {str(s): histogram.get(s, 0) for s in range(1, 6)}, product.sku
    assert answer.json()["gate"]["state"] == product.gate_state, product.sku


# --- The pure fold ------------------------------------------------------------------------------


def test_an_impossible_sequence_is_refused_not_folded() -> None:
    policy = GatePolicy.build(grace_days=30)

    recovered = DecidedEvent(date(2026, 3, 1), "B1", EventKind.RECOVERED, Decimal("3.1"), 30)
    with pytest.raises(ReplayError, match="recovered cannot follow active"):
        gate_state_replay([LoggedEvent(recovered, policy)])
    flagged = DecidedEvent(date(2026, 3, 1), "B1", EventKind.FLAGGED, Decimal("2.9"), 30)
    early = DecidedEvent(date(2026, 3, 30), "B1", EventKind.WITHDRAWN, Decimal("2.9"), 30)
    with pytest.raises(ReplayError, match="before its deadline 2026-03-31"):
        gate_state_replay([LoggedEvent(flagged, policy), LoggedEvent(early, policy)])


# --- The demo data --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_data(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """seed_demo once for the module (10 to 30 s: hence `slow`), rolled back at its end."""
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, transaction.atomic():
        call_command("seed_demo", force=True, stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.mark.slow
@pytest.mark.django_db
def test_replaying_the_demo_log_gives_every_products_stored_state(demo_data: None) -> None:
    assert GateEvent.objects.exists()
    states = assert_replay_equals_stored()
    print(f"demo: {GateEvent.objects.count()} events replayed into {sum(states.values())} products: {dict(states)}")
    # The demo's stories: flagged, withdrawn and reinstated products are all there.
    assert states["flagged"] >= 2 and states["withdrawn"] >= 2, states
    assert GateEvent.objects.filter(kind="reinstated").exists()


@pytest.mark.slow
@pytest.mark.django_db
def test_every_demo_products_page_json_ld_and_api_equal_a_recount(demo_data: None) -> None:
    client = Client()
    products = list(Product.objects.order_by("sku"))
    assert len(products) >= 50
    for product in products:
        assert_three_surfaces_equal_the_recount(client, product)
    print(f"demo: {len(products)} products x 3 surfaces equal the recount")
    # The recount is not trivially equal: employee and unpublished reviews exist and are left out.
    assert Review.objects.exclude(pk__in=Review.objects.counted()).exists()
