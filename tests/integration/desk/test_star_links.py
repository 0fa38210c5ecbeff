"""Each bar of a notice's histogram ("5 stars", "4 stars"...) opens the product's reviews of
exactly that rating (before: 4 and 5 both opened "4-5 stars", 1 and 2 "1-2 stars")."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from reviews.models import Review
from tests.integration.desk.factories import Story

pytestmark = pytest.mark.django_db


def _histogram_links(page: str) -> dict[int, str]:
    section = page.split('class="desk-histogram"', 1)[1].split("</ul>", 1)[0]
    links = re.findall(r'<a href="([^"]+)">\s*<span class="histogram-label">(\d) stars?</span>', section)
    return {int(stars): html.unescape(href) for href, stars in links}


def test_every_star_bar_of_a_notice_opens_its_own_rating(client: Client, story: Story, manager: User) -> None:
    client.force_login(manager)
    page = client.get(reverse("desk:notice", kwargs={"pk": story.notice.pk})).content.decode()
    links = _histogram_links(page)
    assert sorted(links) == [1, 2, 3, 4, 5]
    for stars, href in links.items():
        response = client.get(href)
        assert response.status_code == 200
        shown = {int(r) for r in re.findall(r'class="review desk-review desk-review-(\d)"', response.content.decode())}
        expected = set(
            Review.objects.filter(product=story.product, rating=stars, status="published").values_list(
                "rating", flat=True
            )
        )
        assert shown == expected, (stars, href)
        assert f'<option value="{stars}" selected>' in response.content.decode()
    assert {4, 5} <= set(links)  # the story has both: 3 fives and 2 fours
    assert len(set(links.values())) == 5  # five different filters, not three groups


def test_the_grouped_filters_still_work(client: Client, story: Story, manager: User) -> None:
    client.force_login(manager)
    url = reverse("desk:product_reviews", kwargs={"sku": story.product.sku})
    page = client.get(url, {"stars": "high"}).content.decode()
    assert set(re.findall(r'class="review desk-review desk-review-(\d)"', page)) == {"4", "5"}
