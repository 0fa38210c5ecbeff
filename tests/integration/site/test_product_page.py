from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from products.models import Product
from reviews.models import ReviewStatus
from tests.integration.site.factories import (
    brand_reply_create,
    product_create,
    product_improve,
    product_withdraw,
    review_create,
    reviews_bulk_create,
    user_create,
)

pytestmark = pytest.mark.django_db


def _page(client: Client, product: Product, **params: Any) -> str:
    response = client.get(reverse("product_detail", kwargs={"sku": product.sku}), params)
    assert response.status_code == 200
    return response.content.decode()


def _review_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<article class="review" id="review-(\d+)"', html)]


def _json_ld(html: str) -> dict[str, Any]:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD block"
    return json.loads(match.group(1))


@pytest.fixture
def product() -> Product:
    return product_create(sku="TENT-2", name="Alpine tent", brand="Quechua", description="Two-person tent.")


def test_unknown_sku_is_404(client: Client) -> None:
    assert client.get(reverse("product_detail", kwargs={"sku": "NOPE"})).status_code == 404


def test_summary_shows_average_count_and_histogram_of_the_current_revision(client: Client, product: Product) -> None:
    reviews_bulk_create(product=product, ratings=[5, 5, 4, 2, 1, 5])
    html = _page(client, product)
    assert '<span class="average-number">3.7</span>' in html
    assert "6 reviews" in html
    # 5 stars first; each bar links to the list filtered by that star.
    bars = re.findall(r'<a class="histogram-bar" href="\?stars=(\d)#reviews"', html)
    assert bars == ["5", "4", "3", "2", "1"]
    assert "3 reviews (50%)" in html and "0 reviews (0%)" in html and "1 review (17%)" in html


def test_histogram_link_filters_the_list_by_stars(client: Client, product: Product) -> None:
    reviews = reviews_bulk_create(product=product, ratings=[5, 1, 5, 3])
    html = _page(client, product, stars="5")
    assert sorted(_review_ids(html)) == sorted([reviews[0].pk, reviews[2].pk])
    assert re.search(r'href="\?stars=5#reviews" aria-current="true"', html)
    assert "2 reviews match these filters" in html


def test_reviews_sort_by_recent_helpful_highest_and_lowest(client: Client, product: Product) -> None:
    now = timezone.now()
    old_top = review_create(product=product, rating=5, created_at=now - timedelta(days=3), helpful_yes=9)
    mid = review_create(product=product, rating=3, created_at=now - timedelta(days=2), helpful_yes=2)
    new_low = review_create(product=product, rating=1, created_at=now - timedelta(days=1), helpful_yes=5)
    assert _review_ids(_page(client, product)) == [new_low.pk, mid.pk, old_top.pk]
    assert _review_ids(_page(client, product, sort="helpful")) == [old_top.pk, new_low.pk, mid.pk]
    assert _review_ids(_page(client, product, sort="highest")) == [old_top.pk, mid.pk, new_low.pk]
    assert _review_ids(_page(client, product, sort="lowest")) == [new_low.pk, mid.pk, old_top.pk]


def test_filter_verified_purchases_and_language(client: Client, product: Product) -> None:
    verified_fr = review_create(product=product, verified_purchase=True, language="fr", title="Très bien")
    plain_en = review_create(product=product)
    assert _review_ids(_page(client, product, verified="on")) == [verified_fr.pk]
    assert _review_ids(_page(client, product, language="fr")) == [verified_fr.pk]
    assert _review_ids(_page(client, product, language="en")) == [plain_en.pk]
    html = _page(client, product)
    assert 'href="/about/reviews/#verified">Verified purchase</a>' in html
    assert f'<h3 class="review-title" id="review-{verified_fr.pk}-title" lang="fr">Très bien</h3>' in html


def test_only_published_reviews_are_listed(client: Client, product: Product) -> None:
    published = review_create(product=product)
    review_create(product=product, status=ReviewStatus.PENDING, title="Pending one")
    review_create(product=product, status=ReviewStatus.REJECTED, title="Rejected one")
    html = _page(client, product)
    assert _review_ids(html) == [published.pk]
    assert "Pending one" not in html and "Rejected one" not in html


def test_reviews_are_paginated_keeping_sort_and_filters(client: Client, product: Product) -> None:
    reviews_bulk_create(product=product, ratings=[4] * 25)
    html = _page(client, product, sort="lowest", stars="4")
    assert len(_review_ids(html)) == 10
    assert 'href="?sort=lowest&amp;stars=4&amp;page=2#reviews"' in html
    assert len(_review_ids(_page(client, product, sort="lowest", stars="4", page="3"))) == 5


def test_review_shows_stars_title_text_name_date_and_helpful_counts(client: Client, product: Product) -> None:
    moment = datetime(2026, 3, 14, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
    review = review_create(
        product=product,
        rating=4,
        author_name="Camille",
        title="Solid",
        body="Line one\nLine two of a proper review.",
        created_at=moment,
        helpful_yes=7,
        helpful_no=2,
    )
    html = _page(client, product)
    item = html.split(f'id="review-{review.pk}"')[1].split("</article>")[0]
    assert 'aria-label="Rated 4 out of 5"' in item
    assert "By Camille on March 14, 2026" in item
    assert "<p>Line one<br>Line two of a proper review.</p>" in item
    assert '<span class="vote-count" data-count="yes">7</span>' in item
    assert '<span class="vote-count" data-count="no">2</span>' in item
    assert f'href="/reviews/{review.pk}/report/?next=' in item


def test_brand_reply_is_shown_under_the_review(client: Client, product: Product) -> None:
    review = review_create(product=product)
    brand_reply_create(review=review, author=user_create(), body="We have replaced the poles since.")
    html = _page(client, product)
    assert "Reply from Quechua" in html
    assert "We have replaced the poles since." in html


def test_withdrawn_product_says_since_when_and_why(client: Client, product: Product) -> None:
    product_withdraw(product, on=date(2026, 2, 3))
    html = _page(client, product)
    assert "Withdrawn from sale" in html
    assert "has not been sold since Feb. 3, 2026" in html
    assert "customers rated it below 3.0 out of 5 on average" in html
    assert 'href="/about/reviews/#quality-gate"' in html


def test_improved_product_shows_since_when_and_the_public_note(client: Client, product: Product) -> None:
    old = reviews_bulk_create(product=product, ratings=[1, 2, 1])
    product_withdraw(product, on=date(2026, 1, 10))
    product_improve(
        product,
        at=datetime(2026, 2, 20, 9, 30, tzinfo=ZoneInfo("Europe/Paris")),
        public_note="New waterproof seams <b>tested</b> in rain.",
    )
    new = review_create(product=product, rating=5, title="Dry now")
    html = _page(client, product)
    assert "Improved version since Feb. 20, 2026" in html
    assert "back on sale" in html
    assert "New waterproof seams &lt;b&gt;tested&lt;/b&gt; in rain." in html
    # The summary counts the new revision only; all-time figures stand beside it.
    assert '<span class="average-number">5.0</span>' in html
    assert "1 review of the current version" in html
    assert "4 reviews" in html.split('class="summary-all-time"')[1]
    # Old reviews stay, marked; the new one is not.
    for review in old:
        item = html.split(f'id="review-{review.pk}"')[1].split("</article>")[0]
        assert "About a previous version" in item
    assert "About a previous version" not in html.split(f'id="review-{new.pk}"')[1].split("</article>")[0]
    # Histogram links filter on the current version, so bar and list agree.
    assert 'href="?stars=5&amp;version=current#reviews"' in html
    assert _review_ids(_page(client, product, stars="5", version="current")) == [new.pk]


def test_json_ld_has_product_aggregate_rating_of_current_revision_and_recent_reviews(
    client: Client, product: Product
) -> None:
    reviews_bulk_create(product=product, ratings=[1, 1, 1])
    product_improve(product)
    reviews = reviews_bulk_create(product=product, ratings=[5, 4, 4, 5, 3, 4, 5])
    data = _json_ld(_page(client, product))
    assert data["@type"] == "Product"
    assert data["name"] == "Alpine tent" and data["sku"] == "TENT-2"
    assert data["brand"] == {"@type": "Brand", "name": "Quechua"}
    assert data["url"].endswith("/products/TENT-2/")
    assert data["aggregateRating"] == {
        "@type": "AggregateRating",
        "ratingValue": 4.2857,
        "reviewCount": 7,
        "bestRating": 5,
        "worstRating": 1,
    }
    assert len(data["review"]) == 5  # the most recent five, of the current revision
    newest = reviews[-1]
    assert data["review"][0] == {
        "@type": "Review",
        "author": {"@type": "Person", "name": newest.author_name},
        "datePublished": timezone.localdate(newest.published_at).isoformat(),
        "reviewRating": {"@type": "Rating", "ratingValue": 5, "bestRating": 5, "worstRating": 1},
        "inLanguage": "en",
        "name": newest.title,
        "reviewBody": newest.body,
    }


def test_json_ld_without_reviews_has_no_aggregate_rating(client: Client, product: Product) -> None:
    data = _json_ld(_page(client, product))
    assert "aggregateRating" not in data and "review" not in data


def test_json_ld_cannot_be_broken_out_of_by_review_text(client: Client, product: Product) -> None:
    review_create(product=product, title="</script><script>alert(1)</script>", body="<!-- & --> </SCRIPT> " * 3)
    html = _page(client, product)
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert block is not None
    assert "<" not in block.group(1) and ">" not in block.group(1)
    assert _json_ld(html)["review"][0]["name"] == "</script><script>alert(1)</script>"


def test_a_product_page_with_1000_reviews_runs_a_fixed_number_of_queries(
    client: Client, product: Product, django_assert_max_num_queries: Any
) -> None:
    voter = user_create()
    reviews_bulk_create(product=product, ratings=[(i % 5) + 1 for i in range(1000)], languages=("en", "fr"))
    product_improve(product, public_note="Better.")
    reviews = reviews_bulk_create(product=product, ratings=[4] * 20)
    for review in reviews[:3]:
        brand_reply_create(review=review, author=voter)
    review_create(product=product, author=voter, rating=2)
    client.force_login(voter)
    url = reverse("product_detail", kwargs={"sku": product.sku})
    # session, user, product, improvement, count, page of reviews, JSON-LD sample, votes, reports, own review,
    # the user's and groups' permissions (the header's desk link), the highlights (unfiltered first page:
    # one query a side), the product's images, the page's review photos and the customer photos strip
    with django_assert_max_num_queries(17):
        assert client.get(url, {"sort": "helpful"}).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(url, {"page": "50", "language": "fr"}).status_code == 200
    client.logout()
    # Anonymous: the render's 11 (the highlights' two sides), the page version, and the database
    # cache's read and write (a count, a savepoint, a read and an insert; Redis in production
    # makes none of them).
    with django_assert_max_num_queries(17):
        assert client.get(url).status_code == 200
    # From the cache (core.page_cache): the page version and the database cache's read.
    with django_assert_max_num_queries(2):
        assert client.get(url).status_code == 200
