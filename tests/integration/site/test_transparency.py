from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gate.policy import EventKind
from gate.public import one_year_before, product_gate_figures
from reviews.models import ReasonCode, ReviewStatus
from tests.integration.site.factories import (
    gate_event_create,
    product_create,
    product_improve,
    product_withdraw,
    review_create,
)

pytestmark = pytest.mark.django_db


def _figure(html: str, name: str) -> str:
    return html.split(f'data-figure="{name}">')[1].split("<")[0]


def test_page_states_the_policy_in_force_from_settings(client: Client, settings: Any) -> None:
    settings.GATE_THRESHOLD = "3.5"
    settings.GATE_MIN_REVIEWS = 40
    settings.GATE_GRACE_DAYS = 21
    settings.GATE_WINDOW_DAYS = 180
    html = client.get(reverse("about_reviews")).content.decode()
    assert "lower than 3.5 out of 5, from at least 40 reviews" in html
    assert "Only the reviews of the last 180 days of the current version count." in html
    assert "if it stays below every day for 21 days, it is withdrawn from sale" in html
    settings.GATE_WINDOW_DAYS = 0
    assert "Every review of the current version counts." in client.get(reverse("about_reviews")).content.decode()


def test_page_explains_collection_verification_publication_moderation_and_average(client: Client) -> None:
    html = client.get(reverse("about_reviews")).content.decode()
    for anchor in ("collection", "verified", "all-published", "moderation", "average", "quality-gate"):
        assert f'id="{anchor}"' in html
    for code in ("spam", "offensive", "personal_data", "off_topic", "fake", "other"):
        assert f"<code>{code}</code>" in html
    assert "whatever its rating" in html


def test_live_figures_count_products_with_events_in_the_last_12_months(client: Client) -> None:
    today = timezone.localdate()
    withdrawn = product_withdraw(product_create(), on=today - timedelta(days=10))  # flagged 40 days ago
    reinstated = product_withdraw(product_create(), on=today - timedelta(days=100))
    product_improve(reinstated)
    recovered = product_create()
    gate_event_create(product=recovered, kind=EventKind.FLAGGED, day=today - timedelta(days=5))
    gate_event_create(product=recovered, kind=EventKind.RECOVERED, day=today - timedelta(days=2))
    # Twice flagged in the period: one product.
    gate_event_create(product=recovered, kind=EventKind.FLAGGED, day=today - timedelta(days=1))
    old = product_create()
    gate_event_create(product=old, kind=EventKind.FLAGGED, day=one_year_before(today))  # just outside
    html = client.get(reverse("about_reviews")).content.decode()
    assert _figure(html, "flagged") == "3"
    assert _figure(html, "withdrawn") == "2"
    assert _figure(html, "reinstated") == "1"
    assert _figure(html, "recovered") == "1"
    assert "Today, 1 product is withdrawn from sale and 0 are flagged." in html
    assert withdrawn.gate_state == "withdrawn"


def test_figures_period_handles_a_leap_day() -> None:
    figures = product_gate_figures(today=date(2028, 2, 29))
    assert figures.first_day == date(2027, 3, 1)


def test_moderation_figures_by_status_and_reason(client: Client) -> None:
    product = product_create()
    review_create(product=product)
    review_create(product=product, status=ReviewStatus.PENDING)
    review_create(product=product, status=ReviewStatus.REJECTED, status_reason=ReasonCode.SPAM)
    review_create(product=product, status=ReviewStatus.REMOVED, status_reason=ReasonCode.OFFENSIVE)
    review_create(product=product, status=ReviewStatus.REMOVED, status_reason=ReasonCode.AUTHOR_DELETED)
    review_create(product=product, created_at=timezone.now() - timedelta(days=400))  # outside
    html = client.get(reverse("about_reviews")).content.decode()
    rows = {
        label: html.split(f'<th scope="row">{label}</th><td>')[1].split("<")[0]
        for label in (
            "Received",
            "Published",
            "Waiting for a moderator",
            "Not published (rejected)",
            "Removed by moderators",
            "Deleted by their authors",
            "Spam or advertising",
            "Offensive or abusive language",
        )
    }
    assert rows == {
        "Received": "5",
        "Published": "1",
        "Waiting for a moderator": "1",
        "Not published (rejected)": "1",
        "Removed by moderators": "1",
        "Deleted by their authors": "1",
        "Spam or advertising": "1",
        "Offensive or abusive language": "1",
    }


def test_premoderation_setting_is_described(client: Client, settings: Any) -> None:
    settings.REVIEWS_PREMODERATION = True
    assert "A moderator checks every new or edited review before it is published." in (
        client.get(reverse("about_reviews")).content.decode()
    )
    settings.REVIEWS_PREMODERATION = False
    assert "Reviews are published as soon as they are sent." in client.get(reverse("about_reviews")).content.decode()
