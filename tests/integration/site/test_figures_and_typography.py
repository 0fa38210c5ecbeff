"""The product page's figures never contradict the gate, and read as each language writes
them ("99 %" with a narrow no-break space in French), while machine-readable values (the
meter, the JSON-LD) keep the machine format."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gate.models import GateEvent
from gate.policy import EventKind, GateState
from products.models import Product
from tests.integration.site.factories import product_create, reviews_bulk_create

pytestmark = pytest.mark.django_db

NNBSP = "\u202f"



def _found(pattern: str, text: str, flags: int = 0) -> re.Match[str]:
    """The pattern's first match in the page (the test fails here if there is none)."""
    match = re.search(pattern, text, flags)
    assert match is not None, f"{pattern!r} is not on the page"
    return match

def _page(client: Client, product: Product, language: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("product_detail", kwargs={"sku": product.sku}))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    return html


@pytest.fixture
def just_below(settings) -> Product:  # type: ignore[no-untyped-def]
    """100 reviews averaging 2.99 (99 threes and a two): one decimal would read 3.0."""
    settings.GATE_THRESHOLD = "3.0"
    product = product_create(name="Lunch box", sku="LUNCH-1")
    reviews_bulk_create(product=product, ratings=[3] * 99 + [2])
    return product


@pytest.mark.parametrize(("language", "average", "percent"), [("en", "2.99", "99%"), ("fr", "2,99", f"99{NNBSP}%")])
def test_an_average_just_below_the_threshold_never_reads_as_the_threshold(
    client: Client, just_below: Product, language: str, average: str, percent: str
) -> None:
    html = _page(client, just_below, language)
    assert f'<span class="average-number">{average}</span>' in html
    assert '<span class="average-number">3' not in html
    assert f"({percent})" in html  # the histogram's 3-star bar
    assert re.search(rf'class="stars stars-large" role="img" aria-label="[^"]*\b{average} [^"]*"', html)
    # The meter is read by the browser, not by people: machine format in every language.
    assert '<meter min="0" max="100" value="99"' in html
    data = json.loads(_found(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["aggregateRating"]["ratingValue"] == 2.99


def test_the_catalogue_card_follows_the_rule(client: Client, just_below: Product) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    html = client.get(reverse("product_list")).content.decode()
    assert '<span class="average">2,99</span>' in html


@pytest.fixture
def withdrawn_at_the_edge(settings) -> Product:  # type: ignore[no-untyped-def]
    """Withdrawn with a counted average of 2.9999 (stored with 4 decimals)."""
    settings.GATE_THRESHOLD = "3.0"
    product = product_create(name="Camping stove", sku="STOVE-1")
    reviews_bulk_create(product=product, ratings=[3] * 30 + [2])
    today = timezone.localdate()
    flagged_on = today - timedelta(days=settings.GATE_GRACE_DAYS)
    Product.objects.filter(pk=product.pk).update(
        gate_state=GateState.WITHDRAWN,
        flagged_on=flagged_on,
        withdrawal_deadline=today,
        withdrawn_on=today,
        on_sale=False,
    )
    policy = {
        "threshold": "3.0",
        "grace_days": settings.GATE_GRACE_DAYS,
        "min_reviews": 25,
        "window_days": 365,
        "timezone": settings.TIME_ZONE,
    }
    for kind, day in ((EventKind.FLAGGED, flagged_on), (EventKind.WITHDRAWN, today)):
        GateEvent.objects.create(
            product=product, day=day, kind=kind, average=Decimal("2.9999"), count=31, policy=policy
        )
    product.refresh_from_db()
    return product


@pytest.mark.parametrize(("language", "threshold", "average"), [("en", "3.0", "2.99"), ("fr", "3,0", "2,99")])
def test_the_withdrawal_notice_shows_the_counted_average_on_its_side(
    client: Client, withdrawn_at_the_edge: Product, language: str, threshold: str, average: str
) -> None:
    html = _page(client, withdrawn_at_the_edge, language)
    notice = _found(r'<section class="notice notice-withdrawn".*?</section>', html, re.S).group(0)
    assert threshold in notice
    counted = _found(r'<p class="gate-counted-average">(.*?)</p>', notice, re.S).group(1)
    assert average in counted and "365" in counted and "31" in counted and "25" in counted
    assert "3.0" not in counted and "3,0" not in counted


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_signup_language_choice_names_each_language_in_itself(client: Client, language: str) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get(reverse("signup")).content.decode()
    assert re.search(r'<option value="fr" lang="fr"[^>]*>Français</option>', html)
    assert re.search(r'<option value="en" lang="en"[^>]*>English</option>', html)


def test_the_review_language_filter_says_what_each_choice_shows(client: Client, just_below: Product) -> None:
    html = _page(client, just_below, "en")
    select = _found(r'<select name="language"[^>]*>.*?</select>', html, re.S).group(0)
    options = re.findall(r"<option [^>]*>([^<]*)</option>", select)
    assert options == ["All languages", "Only English", "Only French"]
    assert re.search(r'<option value="" selected>All languages</option>', select)


@pytest.mark.parametrize(("language", "count"), [("en", "1,200"), ("fr", f"1{NNBSP}200")])
def test_counts_for_people_are_grouped_by_thousands(client: Client, language: str, count: str) -> None:
    product = product_create(name="Water bottle", sku="BOTTLE-1")
    reviews_bulk_create(product=product, ratings=[4] * 1200)
    html = _page(client, product, language)
    assert re.search(rf'<p class="based-on">{count}\b', html)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    card = client.get(reverse("product_list")).content.decode()
    assert re.search(rf'<span class="count">{count}\b', card)
    newest = product.reviews.order_by("-pk").first()
    assert newest is not None
    assert f'id="review-{newest.pk}"' in html  # ids never grouped
