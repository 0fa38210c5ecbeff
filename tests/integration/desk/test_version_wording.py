"""No internal revision number on screen (issue 18, item 8): a product with an original version
and an improved one reads "Original version" and "Version of <its start day>" on the desk,
and no desk or shopper page says "version 0" or "version 1" (desk.versions)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.formats import date_format

from accounts.models import User
from gate.models import Improvement
from reviews.models import ReviewStatus
from tests.integration.desk.factories import Story, add_review

pytestmark = pytest.mark.django_db

NUMBERED_VERSION = re.compile(r"\b(version|revision|révision)[ \u00a0]*(n°[ \u00a0]*)?\d", re.IGNORECASE)


def _visible_text(html: str) -> str:
    """The page's words as read on screen: without tags, attributes' values and scripts."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def _improve(client: Client, story: Story) -> Improvement:
    response = client.post(
        reverse("desk:notice_improvement", kwargs={"pk": story.notice.pk}),
        {"description": "New zip supplier; seams taped.", "public_note": "A stronger zip."},
    )
    assert response.status_code == 302
    return Improvement.objects.get(product=story.product)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_no_page_shows_a_version_number(
    client: Client, story: Story, manager: User, shopper: User, language: str
) -> None:
    client.force_login(manager)
    improvement = _improve(client, story)
    product = story.product
    product.refresh_from_db()
    assert product.revision == 1
    add_review(product, rating=4, days_ago=0, revision=1, author=shopper, title="New zip holds")
    sku = product.sku
    desk_pages = [
        reverse("desk:notice", kwargs={"pk": story.notice.pk}),
        reverse("desk:notices") + "?state=all",
        reverse("desk:products"),
        reverse("desk:product_reviews", kwargs={"sku": sku}),
        reverse("desk:product_reviews", kwargs={"sku": sku}) + "?revision=0",
        reverse("desk:product_reviews", kwargs={"sku": sku}) + "?revision=1",
    ]
    site_pages = [reverse("product_detail", kwargs={"sku": sku}), reverse("product_list"), reverse("review_mine")]
    headers: dict[str, Any] = {"HTTP_ACCEPT_LANGUAGE": language}
    for url in desk_pages:
        response = client.get(url, **headers)
        assert response.status_code == 200, url
        text = _visible_text(response.content.decode())
        assert not NUMBERED_VERSION.search(text), (url, NUMBERED_VERSION.search(text))
    client.force_login(shopper)
    for url in site_pages:
        response = client.get(url, **headers)
        assert response.status_code == 200, url
        assert not NUMBERED_VERSION.search(_visible_text(response.content.decode())), url

    if language == "en":
        client.force_login(manager)
        page = client.get(reverse("desk:product_reviews", kwargs={"sku": sku}) + "?revision=0").content.decode()
        started = date_format(improvement.day, "DATE_FORMAT")
        assert f">Version of {started} (current)</option>" in page
        assert '<option value="0" selected>Original version</option>' in page
        assert "badge-previous" not in page or "Original version</span>" in page


def test_an_older_review_on_the_desk_is_badged_by_its_version_not_its_number(
    client: Client, story: Story, manager: User
) -> None:
    client.force_login(manager)
    _improve(client, story)
    add_review(story.product, rating=5, days_ago=0, revision=1, status=ReviewStatus.PUBLISHED)
    page = client.get(
        reverse("desk:product_reviews", kwargs={"sku": story.product.sku}) + "?revision=0"
    ).content.decode()
    assert '<span class="badge badge-previous">Original version</span>' in page
