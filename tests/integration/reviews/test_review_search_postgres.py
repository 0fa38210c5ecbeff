"""The full-text search of reviews on PostgreSQL: the GIN index of migration 0011 serves the
query, and each review is stemmed in its own language. Skipped on SQLite (no full-text search
there: the fallback is tests/integration/site/test_review_search.py); CI runs it on PostgreSQL:
DATABASE_URL=postgres://... pytest tests/integration/reviews/test_review_search_postgres.py
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from products.models import Product
from reviews.models import Review
from reviews.selectors import review_list_searched
from tests.integration.site.factories import product_create, review_create, reviews_bulk_create

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="full-text search needs PostgreSQL: DATABASE_URL=postgres://..."
    ),
]


@pytest.fixture
def product() -> Product:
    return product_create(sku="SHOE-1", name="Trail shoe")


def _found(product: Product, query: str) -> set[str]:
    return set(review_list_searched(Review.objects.filter(product=product), query).values_list("title", flat=True))


def test_the_search_index_exists_as_a_gin_index() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'reviews_review_search'")
        (definition,) = cursor.fetchone()
    assert "USING gin" in definition
    assert "'french'::regconfig" in definition and "'english'::regconfig" in definition


def test_the_search_query_is_served_by_the_gin_index(product: Product) -> None:
    """With sequential scans priced out, a query whose expression differed from the index's
    by anything (a cast, a space in the concatenation) could only be a sequential scan."""
    reviews_bulk_create(product=product, ratings=[4] * 200, languages=("en", "fr"))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE reviews_review")
        cursor.execute("SET LOCAL enable_seqscan = off")
        # Nor may the planner walk the created_at index backwards, filtering every row (the
        # default order), as it did in one suite run: only the GIN index's bitmap scans are
        # left to a query whose expression matches it (a mismatch still ends in a Seq Scan).
        cursor.execute("SET LOCAL enable_indexscan = off")
    # "running" stems to 'run' in English and stays 'running' in French: one index scan per
    # configuration, combined (BitmapOr), never a scan of the table.
    plan = review_list_searched(Review.objects.all(), "running").explain()
    assert plan.count("Bitmap Index Scan on reviews_review_search") == 2, plan
    assert "Seq Scan" not in plan, plan
    # "chaussure" stems alike in both: PostgreSQL merges the branches into one index scan.
    plan = review_list_searched(Review.objects.all(), "chaussure").explain()
    assert "Bitmap Index Scan on reviews_review_search" in plan and "Seq Scan" not in plan, plan
    # The page's own query (product, published, sort, brand replies) still reaches the index.
    page_query = review_list_searched(
        Review.objects.published().filter(product=product).select_related("brand_reply"), "chaussure"
    )
    assert "reviews_review_search" in page_query.explain()


def test_french_stemming_finds_chaussures_for_chaussure(product: Product) -> None:
    review_create(product=product, title="Enfin des chaussures", body="Très confortables.", language="fr")
    review_create(product=product, title="Chaussette", body="Rien à voir.", language="fr")
    assert _found(product, "chaussure") == {"Enfin des chaussures"}
    assert _found(product, "CHAUSSURES confortable") == {"Enfin des chaussures"}


def test_each_review_is_stemmed_in_its_own_language(product: Product) -> None:
    review_create(product=product, title="Running every Sunday", body="Light shoes.", language="en")
    review_create(product=product, title="Le running du dimanche", body="Légères.", language="fr")
    # English stems "runs" and "Running" alike; French leaves the English "running" whole.
    assert _found(product, "runs") == {"Running every Sunday"}


def test_common_words_are_ignored_and_a_search_of_only_common_words_finds_nothing(product: Product) -> None:
    review_create(product=product, title="The tent", body="Good.", language="en")
    review_create(product=product, title="La tente", body="Bien.", language="fr")
    assert _found(product, "the tent") == {"The tent"}
    assert _found(product, "the") == set()


def test_the_page_marks_every_form_of_the_word_found(client: Client, product: Product) -> None:
    review = review_create(product=product, title="Chaussures", body="Une chaussure <b>solide</b>.", language="fr")
    response = client.get(reverse("product_detail", kwargs={"sku": product.sku}), {"q": "chaussure"})
    html = response.content.decode()
    assert f'id="review-{review.pk}"' in html
    assert ">\n<mark>Chaussures</mark></h3>" in html or "<mark>Chaussures</mark></h3>" in html
    assert "Une <mark>chaussure</mark> &lt;b&gt;solide&lt;/b&gt;." in html


def test_common_words_are_not_marked_since_they_matched_nothing(client: Client, product: Product) -> None:
    review_create(product=product, title="The tent", body="The tents were dry.", language="en")
    response = client.get(reverse("product_detail", kwargs={"sku": product.sku}), {"q": "the tents"})
    html = response.content.decode()
    assert "The <mark>tent</mark></h3>" in html
    assert "The <mark>tents</mark> were dry." in html
