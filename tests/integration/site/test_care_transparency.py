"""The transparency page's customer care figures (issue 16, item 7): per month of the last 12
(in TIME_ZONE), the share of reviews answered publicly, the share of unhappy reviewers
contacted within CARE_FIRST_CONTACT_HOURS and the median time to first contact; exact on
hand-made data with the clock passed in; a table with a caption and headers, dashes where
there is nothing to count; hidden when CARE_FIGURES_PUBLIC is off."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import PRODUCT_MANAGER
from care.models import Case
from care.public import month_start, service_figures_by_month
from care.services import case_message_send
from products.models import Product
from reviews.models import Review
from tests.care_factories import care_staff_create, review_post
from tests.factories import product_create, user_create
from tests.integration.site.factories import brand_reply_create

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 3, 20, 12, tzinfo=PARIS)


def at(month: int, day: int, hour: int, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


def unhappy(product: Product, opened: datetime, *, contacted_after: timedelta | None, staff: User) -> Case:
    case = Case.objects.get(review=review_post(product=product, rating=1, now=opened))
    if contacted_after is not None:
        case_message_send(case=case, by=staff, body="Sorry: how can we help?", now=opened + contacted_after)
    return case


def happy(product: Product, published: datetime, *, replied_by: User | None = None, **fields: Any) -> Review:
    review = review_post(product=product, rating=5, now=published, **fields)
    if replied_by is not None:
        brand_reply_create(review=review, author=replied_by)
    return review


def test_the_months_figures_are_exact() -> None:
    """February: 3 cases (2 h, 30 h, never: due) -> 1 of 3 in time, median 16 h; 5 counted
    reviews (the cases' 3 and 2 happy ones, at the month's two local edges), 1 answered.
    March: a case opened an hour before now, inside its target -> not due yet."""
    staff, manager = care_staff_create(), user_create(PRODUCT_MANAGER)
    tent = product_create(managers=[manager])
    unhappy(tent, at(2, 3, 10), contacted_after=timedelta(hours=2), staff=staff)
    unhappy(tent, at(2, 10, 10), contacted_after=timedelta(hours=30), staff=staff)
    unhappy(tent, at(2, 20, 10), contacted_after=None, staff=staff)
    happy(tent, at(2, 1, 0, 30), replied_by=manager)  # January 31st in UTC: February here
    happy(tent, at(2, 28, 23, 30))  # March 1st in UTC: February here
    happy(product_create(), at(2, 15, 10), replied_by=manager, author=user_create("moderator"))  # an employee's
    unhappy(tent, at(3, 20, 11), contacted_after=None, staff=staff)
    unhappy(tent, at(3, 20, 10, year=2025), contacted_after=timedelta(hours=1), staff=staff)  # 13 months ago

    months = service_figures_by_month(now=NOW)

    assert [month.month for month in months][:3] == [at(3, 1, 0).date(), at(2, 1, 0).date(), at(1, 1, 0).date()]
    assert (len(months), months[-1].month) == (12, at(4, 1, 0, year=2025).date())
    march, february = months[0], months[1]
    assert (february.reviews, february.answered, february.answered_share) == (5, 1, Decimal("20.0"))
    assert (february.care.cases, february.care.due, february.care.in_time) == (3, 3, 1)
    assert february.care.in_time_share == Decimal("33.3")
    assert february.care.median_first_contact_hours == Decimal("16.0")
    assert (march.reviews, march.answered_share, march.care.cases, march.care.due) == (1, Decimal("0.0"), 1, 0)
    assert (march.care.in_time_share, march.care.median_first_contact_hours) == (None, None)
    assert all(month.reviews == 0 and month.care.cases == 0 for month in months[2:])


def page(client: Client) -> str:
    response = client.get(reverse("about_reviews"))
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def table(html: str) -> str:
    found = re.search(r'<table class="figures" id="care-figures">.*?</table>', html)
    assert found, "the care figures' table is missing"
    return found.group(0)


def test_the_page_shows_last_months_figures_in_an_accessible_table(client: Client, settings: Any) -> None:
    settings.PUBLIC_FIGURES_MIN_COUNT = 1  # one case is enough here: the exact figures are the point
    staff, manager = care_staff_create(), user_create(PRODUCT_MANAGER)
    tent = product_create(managers=[manager])
    today = timezone.localdate()
    last_month = month_start(today, months_back=1)
    opened = datetime(last_month.year, last_month.month, 10, 12, tzinfo=timezone.get_default_timezone())
    unhappy(tent, opened, contacted_after=timedelta(hours=3, minutes=30), staff=staff)
    happy(tent, opened, replied_by=manager)

    figures = table(page(client))

    assert (
        '<caption id="care-figures-caption">Our service, month by month (the last 12 months, the current one so far;'
        in figures
    )
    for header in (
        "Month",
        "Reviews answered publicly by the brand",
        "Unhappy reviewers contacted within 24 hours",
        "Median time to first contact",
    ):
        assert f'<th scope="col">{header}</th>' in figures
    assert figures.count('<th scope="row">') == 12
    row = re.search(rf'<th scope="row">{last_month:%B %Y}</th>(.*?)</tr>', figures)
    assert row, figures
    assert re.findall(r"<td data-figure=\"[a-z-]+\">(.*?)</td>", row.group(1)) == [
        "50.0% (1 of 2)",
        "100.0% (1 of 1)",
        "3.5 h",
    ]
    # This month has nothing yet: three dashes, each read out as "nothing to count".
    this_month = re.search(rf'<th scope="row">{today:%B %Y}</th>(.*?)</tr>', figures)
    assert this_month and this_month.group(1).count("nothing to count") == 3


def test_a_month_with_fewer_cases_than_the_minimum_is_too_few_to_publish(client: Client, settings: Any) -> None:
    settings.PUBLIC_FIGURES_MIN_COUNT = 2
    staff = care_staff_create()
    tent = product_create()
    last_month = month_start(timezone.localdate(), months_back=1)
    opened = datetime(last_month.year, last_month.month, 10, 12, tzinfo=timezone.get_default_timezone())
    unhappy(tent, opened, contacted_after=timedelta(hours=3, minutes=12), staff=staff)
    html = page(client)
    row = re.search(rf'<th scope="row">{last_month:%B %Y}</th>(.*?)</tr>', table(html))
    assert row, html
    cells = re.findall(r"<td data-figure=\"[a-z-]+\">(.*?)</td>", row.group(1))
    assert cells[1:] == ["too few to publish", "too few to publish"]
    assert "(1 of 1)" not in html and "3.2 h" not in html
    assert "fewer than 2 cases that month" in html
    unhappy(tent, opened + timedelta(hours=1), contacted_after=timedelta(hours=5), staff=staff)
    row = re.search(rf'<th scope="row">{last_month:%B %Y}</th>(.*?)</tr>', table(page(client)))
    assert row and re.findall(r"<td data-figure=\"[a-z-]+\">(.*?)</td>", row.group(1))[1:] == [
        "100.0% (2 of 2)",
        "4.1 h",
    ]


def test_the_figures_follow_the_target_in_force(client: Client, settings: Any) -> None:
    settings.CARE_FIRST_CONTACT_HOURS = 48
    assert '<th scope="col">Unhappy reviewers contacted within 48 hours</th>' in table(page(client))


def test_the_figures_are_hidden_when_care_figures_public_is_off(client: Client, settings: Any) -> None:
    settings.CARE_FIGURES_PUBLIC = False
    html = page(client)
    assert 'id="care-figures"' not in html and "Median time to first contact" not in html
    assert 'id="care"' in html  # what happens after an unhappy review is still said
