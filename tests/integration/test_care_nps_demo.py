"""The desk's NPS on the demo data equals a recomputation from the raw reviews.

The demo is seeded small and without the gate (the NPS does not depend on it). If the demo
holds no recommend answer, a handful is written onto its reviews here, so the comparison
always has answers to count. The reference is plain Python over the counted reviews'
values, written apart from care.figures and care.selectors: the day of publication in the
site's zone, promoters and detractors counted by hand, the score rounded with Fraction.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.roles import QUALITY_DIRECTOR
from core.period_query import MAX_PERIOD_DAYS
from devtools.demo.seed import demo_seed
from products.models import Product
from reviews.models import Review
from tests.factories import user_create

pytestmark = pytest.mark.django_db
SMALL = 0.2


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def reference_score(answers: list[int]) -> str:
    """NPS in points, one decimal, half to even: by Fraction and round(), not Decimal."""
    promoters = sum(1 for answer in answers if answer in (9, 10))
    detractors = sum(1 for answer in answers if answer in range(7))
    tenths = round(Fraction(1000 * (promoters - detractors), len(answers)))
    return str(Decimal(tenths).scaleb(-1))


def answers_ensure() -> None:
    """Recommend answers on a handful of counted reviews, unless the demo wrote some."""
    counted = Review.objects.counted()
    if counted.filter(recommend__isnull=False).exists():
        return
    recent = list(counted.order_by("-published_at", "pk").values_list("pk", flat=True)[:60])
    for index, pk in enumerate(recent):
        Review.objects.filter(pk=pk).update(recommend=(index * 7) % 11)


def test_the_desk_nps_per_product_and_in_total_equals_a_recomputation_on_the_demo(client: Client) -> None:
    demo_seed(scale=SMALL, gate=False)
    answers_ensure()
    zone = ZoneInfo(settings.TIME_ZONE)
    last = timezone.now().astimezone(zone).date()
    first = last - timedelta(days=MAX_PERIOD_DAYS - 1)

    by_product: dict[int, list[int]] = defaultdict(list)
    for product_id, published_at, answer in Review.objects.counted().values_list(
        "product_id", "published_at", "recommend"
    ):
        if answer is not None and published_at is not None and first <= published_at.astimezone(zone).date() <= last:
            by_product[product_id].append(answer)
    assert sum(map(len, by_product.values())) >= 20, "too few answers to compare"
    names = {pk: f"{name} ({sku})" for pk, name, sku in Product.objects.values_list("pk", "name", "sku")}
    expected = {names[pk]: (reference_score(answers), str(len(answers))) for pk, answers in by_product.items()}
    everything = [answer for answers in by_product.values() for answer in answers]
    expected["All products"] = (reference_score(everything), str(len(everything)))

    client.force_login(user_create(QUALITY_DIRECTOR, language="en"))
    query = {"group": "product", "period": "custom", "start": first.isoformat(), "end": last.isoformat()}
    response = client.get(reverse("desk:kpis_csv"), query)
    assert response.status_code == 200
    header, *rows = csv.reader(io.StringIO(response.content.decode()))
    group, nps, count = header.index("group"), header.index("nps"), header.index("nps_answers")
    shown = {row[group]: (row[nps], row[count]) for row in rows if row[count] != "0"}
    assert shown == expected
