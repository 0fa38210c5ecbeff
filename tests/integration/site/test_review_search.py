"""The product page's search within reviews, numbered pages and highlights, through the page
(SQLite by default; the same assertions hold on PostgreSQL, whose full-text specifics are
tests/integration/reviews/test_review_search_postgres.py)."""

from __future__ import annotations

import random
import re
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from products.models import Product
from reviews.highlights import highlights_choose
from reviews.models import Review, ReviewStatus
from reviews.search import SEARCH_MAX_LENGTH
from reviews.selectors import review_highlights
from tests.integration.site.factories import product_create, review_create, reviews_bulk_create

pytestmark = pytest.mark.django_db


def _get(client: Client, product: Product, **params: Any) -> str:
    response = client.get(reverse("product_detail", kwargs={"sku": product.sku}), params)
    assert response.status_code == 200
    return response.content.decode()


def _review_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<article class="review" id="review-(\d+)"', html)]


def _highlight_ids(html: str) -> dict[str, int]:
    section = re.search(r'<section class="highlights".*?</section>', html, re.S)
    if not section:
        return {}
    return {
        side: int(pk)
        for side, pk in re.findall(r'<article class="highlight highlight-(\w+)" data-review="(\d+)"', section.group())
    }


@pytest.fixture
def product() -> Product:
    return product_create(sku="TENT-3", name="Trail tent")


def test_search_finds_reviews_by_title_or_text_with_every_word(client: Client, product: Product) -> None:
    by_title = review_create(product=product, title="Waterproof tent", body="Stayed dry all night long.")
    by_text = review_create(product=product, title="Great", body="The TENT survived a storm, waterproof indeed.")
    one_word_only = review_create(product=product, title="Tent", body="Pitched in five minutes.")
    review_create(product=product, title="Stove", body="Boils water quickly.")
    assert sorted(_review_ids(_get(client, product, q="tent"))) == sorted([by_title.pk, by_text.pk, one_word_only.pk])
    html = _get(client, product, q="Waterproof  TENT")
    assert sorted(_review_ids(html)) == sorted([by_title.pk, by_text.pk])
    assert "2 reviews match “Waterproof  TENT”" in html
    assert "1 review matches “stove”" in _get(client, product, q="stove")  # the verb agrees too


def test_found_words_are_marked_in_title_and_text_and_user_markup_stays_text(client: Client, product: Product) -> None:
    review = review_create(
        product=product, title='<script>alert("tent")</script>', body="<b>tent</b> & <mark>poles</mark>"
    )
    html = _get(client, product, q="tent")
    assert _review_ids(html) == [review.pk]
    assert "&lt;script&gt;alert(&quot;<mark>tent</mark>&quot;)&lt;/script&gt;" in html
    assert "&lt;b&gt;<mark>tent</mark>&lt;/b&gt; &amp; &lt;mark&gt;poles&lt;/mark&gt;" in html
    assert "<script>alert" not in html and "<b>tent" not in html
    assert "The words found are highlighted." in html


def test_without_a_search_nothing_is_marked(client: Client, product: Product) -> None:
    review_create(product=product, title="Tent", body="A tent.")
    assert "<mark>" not in _get(client, product)


def test_search_combines_with_stars_language_and_sort(client: Client, product: Product) -> None:
    now = timezone.now()
    old = review_create(product=product, rating=5, title="Tent", created_at=now - timedelta(days=2))
    new = review_create(product=product, rating=5, title="Tent again", created_at=now - timedelta(days=1))
    review_create(product=product, rating=2, title="Tent bad")
    review_create(product=product, rating=5, title="Tent fr", body="Une tente.", language="fr")
    review_create(product=product, rating=5, title="Stove")
    html = _get(client, product, q="tent", stars="5", language="en", sort="recent")
    assert _review_ids(html) == [new.pk, old.pk]
    assert "2 reviews match “tent” and these filters" in html
    assert _review_ids(_get(client, product, q="tent", stars="5", language="en", sort="highest"))[0] in (new.pk, old.pk)
    # The form shows the search back, so sorting or filtering again keeps it.
    assert re.search(r'<input type="search" name="q" value="tent"[^>]*id="id_q"', html)


def test_no_match_says_so_and_offers_every_review(client: Client, product: Product) -> None:
    review_create(product=product, title="Tent")
    html = _get(client, product, q="kayak")
    assert _review_ids(html) == []
    assert "No review matches your search." in html
    assert "0 reviews match “kayak”" in html


@pytest.mark.parametrize("blank", ["", "   "])
def test_a_blank_search_is_no_search(client: Client, product: Product, blank: str) -> None:
    reviews_bulk_create(product=product, ratings=[5, 4, 3])
    html = _get(client, product, q=blank)
    assert len(_review_ids(html)) == 3
    assert "errorlist" not in html and "match" not in html.split('id="review-count"')[1].split("</p>")[0]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?!… --", "Type at least one letter or digit to search."),
        ("tent " * 30, f"Search with at most {SEARCH_MAX_LENGTH} characters (this has 149)."),
    ],
)
def test_a_refused_search_shows_why_beside_the_field_and_lists_unsearched(
    client: Client, product: Product, query: str, message: str
) -> None:
    reviews_bulk_create(product=product, ratings=[5, 4])
    review_create(product=product, title="Stove")
    html = _get(client, product, q=query, stars="5")
    assert '<ul class="errorlist" id="id_q_error"><li>' + message in html
    assert re.search(
        r'<input type="search" name="q" value="[^"]*"[^>]*aria-invalid="true" aria-describedby="id_q_error"', html
    )
    # The other filters still apply; the refused search does not.
    assert len(_review_ids(html)) == 1
    assert "match “" not in html


def test_numbered_pages_keep_the_search_sort_and_filters(client: Client, product: Product) -> None:
    reviews_bulk_create(product=product, ratings=[4] * 115)  # every text says "enough words to be a review"
    review_create(product=product, rating=4, title="Stove", body="Nothing else.")
    html = _get(client, product, q="words", stars="4", sort="lowest", page="6")
    assert len(_review_ids(html)) == 10
    nav = re.search(r'<nav class="pagination".*?</nav>', html, re.S).group()  # type: ignore[union-attr]
    links = re.findall(r'<a (?:class="pagination-current" aria-current="page" |rel="\w+" )?href="([^"]+)"', nav)
    keep = "?q=words&amp;stars=4&amp;sort=lowest&amp;page="
    # first, previous, 1 … 4 5 [6] 7 8 … 12, next, last: every link keeps the search, filters and sort
    assert links == [f"{keep}{n}#reviews" for n in (1, 5, 1, 4, 5, 6, 7, 8, 12, 7, 12)]
    numbers = re.findall(r'<span class="visually-hidden">Page </span>(\d+)</a>|<span>(…)</span>', nav)
    assert ["".join(n) for n in numbers] == ["1", "…", "4", "5", "6", "7", "8", "…", "12"]
    assert re.search(rf'aria-current="page" href="\{keep}6#reviews"', nav)
    assert re.search(r'rel="prev" href="[^"]*page=5#', nav) and re.search(r'rel="next" href="[^"]*page=7#', nav)
    assert "Page 6 of 12" in nav
    assert len(_review_ids(_get(client, product, q="words", stars="4", sort="lowest", page="12"))) == 5


def test_the_first_page_has_no_first_or_previous_link_and_the_last_no_next_or_last(
    client: Client, product: Product
) -> None:
    reviews_bulk_create(product=product, ratings=[4] * 25)
    first = _get(client, product)
    assert "First page" not in first and "Previous page" not in first and "Last page" in first
    last = _get(client, product, page="3")
    assert "Next page" not in last and "Last page" not in last and "First page" in last


def _queries(client: Client, product: Product, **params: Any) -> int:
    with CaptureQueriesContext(connection) as context:
        _get(client, product, **params)
    return len(context.captured_queries)


def test_searching_and_highlights_run_a_number_of_queries_that_does_not_grow_with_reviews(
    client: Client, product: Product
) -> None:
    reviews_bulk_create(product=product, ratings=[(i % 5) + 1 for i in range(12)], languages=("en", "fr"))
    small = (_queries(client, product), _queries(client, product, q="review words", sort="helpful"))
    assert _highlight_ids(_get(client, product))  # the highlights are on the page measured
    reviews_bulk_create(product=product, ratings=[(i % 5) + 1 for i in range(400)], languages=("en", "fr"))
    large = (_queries(client, product), _queries(client, product, q="review words", sort="helpful"))
    assert large == small


def test_highlights_show_the_most_helpful_positive_and_critical_review_side_by_side(
    client: Client, product: Product
) -> None:
    positive = review_create(product=product, rating=5, title="Love it", helpful_yes=9, helpful_no=1)
    review_create(product=product, rating=4, title="Fine", helpful_yes=3)
    critical = review_create(product=product, rating=3, title="Leaks at the seams", helpful_yes=4)
    review_create(product=product, rating=1, title="Broke", helpful_yes=4, helpful_no=2)
    staff = review_create(product=product, rating=1, title="Staff", helpful_yes=99)
    Review.objects.filter(pk=staff.pk).update(employee=True)  # shown, but counted nowhere
    html = _get(client, product)
    assert _highlight_ids(html) == {"positive": positive.pk, "critical": critical.pk}
    assert "Top positive review" in html and "Top critical review" in html
    assert "9 people found this helpful" in html and "4 people found this helpful" in html
    # The highlights open the reviews: before the search form and the list.
    assert html.index('class="highlights"') < html.index('class="filters review-filters"') < html.index("review-list")


def test_highlights_need_both_sides(client: Client, product: Product) -> None:
    review_create(product=product, rating=5, helpful_yes=9)
    review_create(product=product, rating=2, helpful_yes=0, helpful_no=4)  # nobody found it helpful
    assert _highlight_ids(_get(client, product)) == {}
    assert 'class="highlights"' not in _get(client, product)


def test_highlights_are_left_out_when_searching_filtering_or_paging(client: Client, product: Product) -> None:
    reviews_bulk_create(product=product, ratings=[5, 1] * 8)
    assert _highlight_ids(_get(client, product))
    assert _highlight_ids(_get(client, product, sort="lowest"))  # the sort only orders the list
    for params in ({"q": "review"}, {"stars": "5"}, {"verified": "on"}, {"language": "en"}, {"page": "2"}):
        assert not _highlight_ids(_get(client, product, **params)), params


def test_highlight_selector_chooses_what_the_rule_chooses_from_every_review() -> None:
    """The selector reads one candidate per side in SQL; the rule, given every review of the
    product, must choose the same pair (random products, fixed seed)."""
    rng = random.Random(18)  # test data, not secrets
    now = timezone.now()
    for n in range(30):
        product = product_create(sku=f"HL-{n}", revision=rng.choice([0, 1]))
        for _ in range(rng.randint(0, 12)):
            review_create(
                product=product,
                rating=rng.randint(1, 5),
                status=rng.choice([ReviewStatus.PUBLISHED] * 4 + [ReviewStatus.PENDING]),
                revision=rng.choice([product.revision, 0]),
                helpful_yes=rng.randint(0, 3),
                helpful_no=rng.randint(0, 2),
                created_at=now - timedelta(hours=rng.randint(0, 3)),
            )
        ids = list(Review.objects.filter(product=product).values_list("pk", flat=True))
        if ids and rng.random() < 0.3:
            Review.objects.filter(pk=rng.choice(ids)).update(employee=True)
        product.refresh_from_db()
        expected = highlights_choose(Review.objects.filter(product=product), current_revision=product.revision)
        got = review_highlights(product=product)
        assert (got and (got.positive.pk, got.critical.pk)) == (
            expected and (expected.positive.pk, expected.critical.pk)
        )
