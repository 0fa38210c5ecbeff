"""The topic filter of a product's reviews on the desk (issue 17): ``?topic=<key>`` keeps the
reviews tagged with that topic, with the other filters; an unknown key is the form's error
(400), never a server error; each review shows its topics and the words that found them
("Delivery: “arrived late”", "(negated)"), fetched for the whole page in one query.

Tags are written here straight into topics.models.ReviewTopic (the tagger is tested in
tests/unit/test_topic_tagging.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import COMPANY_READER
from products.models import Product
from reviews.models import Review
from tests.integration.desk.factories import add_review, make_product
from topics.models import ReviewTopic, Topic

pytestmark = pytest.mark.django_db


def tag(review: Review, key: str, matched: str, *, negated: bool = False) -> None:
    topic = Topic.objects.get(key=key)
    ReviewTopic.objects.create(review=review, topic=topic, matched=matched, negated=negated, tagged_at=timezone.now())


@pytest.fixture
def product(manager: User) -> Product:
    return make_product(managers=[manager], name="Ridge tent", sku="RIDGE-1")


@pytest.fixture
def reviews(product: Product) -> dict[str, Review]:
    late = add_review(product, rating=1, title="Late and torn", text="It arrived late and the floor tore.")
    tight = add_review(product, rating=2, title="Tight", text="The sleeping bag is not comfortable at all.")
    happy = add_review(product, rating=5, title="Lovely", text="Dry all week, easy to pitch.")
    tag(late, "delivery", "arrived late")
    tag(late, "quality", "tore")
    tag(tight, "size", "not comfortable", negated=True)
    return {"late": late, "tight": tight, "happy": happy}


def listed(response: object) -> list[int]:
    return [review.pk for review in response.context["reviews"]]  # type: ignore[attr-defined]


def page(client: Client, product: Product, **query: str) -> object:
    return client.get(reverse("desk:product_reviews", args=[product.sku]), query)


def test_a_topic_keeps_the_reviews_that_speak_of_it(
    client: Client, manager: User, product: Product, reviews: dict[str, Review]
) -> None:
    client.force_login(manager)
    response = page(client, product, topic="delivery")
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert listed(response) == [reviews["late"].pk]
    assert listed(page(client, product, topic="size")) == [reviews["tight"].pk]
    assert listed(page(client, product, topic="price")) == []
    assert listed(page(client, product, topic="")) == [reviews["late"].pk, reviews["tight"].pk, reviews["happy"].pk]


def test_the_topic_combines_with_the_other_filters(
    client: Client, manager: User, product: Product, reviews: dict[str, Review]
) -> None:
    client.force_login(manager)
    other = add_review(product, rating=4, title="Late but fine", text="Came late, but a fine tent.")
    tag(other, "delivery", "came late")
    assert listed(page(client, product, topic="delivery")) == [reviews["late"].pk, other.pk]
    assert listed(page(client, product, topic="delivery", stars="high")) == [other.pk]
    assert listed(page(client, product, topic="delivery", stars="low", phrase="floor")) == [reviews["late"].pk]
    assert listed(page(client, product, topic="delivery", phrase="pitch")) == []


def test_each_review_shows_its_topics_and_the_words_that_found_them(
    client: Client, manager: User, product: Product, reviews: dict[str, Review]
) -> None:
    client.force_login(manager)
    body = page(client, product).content.decode()  # type: ignore[attr-defined]
    assert '<span class="badge badge-topic">Delivery: “arrived late”</span>' in body
    assert '<span class="badge badge-topic">Quality and durability: “tore”</span>' in body
    assert '<span class="badge badge-topic">Size and fit: “not comfortable” (negated)</span>' in body
    assert body.count("badge-topic") == 3  # the happy review has none
    assert '<option value="size" selected>' not in body
    assert '<option value="size" selected>' in page(client, product, topic="size").content.decode()  # type: ignore[attr-defined]


def test_an_unknown_topic_is_a_clear_form_error_and_the_list_stays(
    client: Client, manager: User, product: Product, reviews: dict[str, Review]
) -> None:
    client.force_login(manager)
    response = page(client, product, topic="weather", stars="low")
    assert response.status_code == 400  # type: ignore[attr-defined]
    body = response.content.decode()  # type: ignore[attr-defined]
    assert "Choose a topic from the list: “weather” is not one." in body
    assert 'aria-invalid="true"' in body
    assert listed(response) == [reviews["late"].pk, reviews["tight"].pk]  # the other filters still apply


def test_the_tags_of_a_page_cost_one_query_whatever_the_reviews(
    client: Client, manager: User, product: Product, reviews: dict[str, Review]
) -> None:
    client.force_login(manager)
    with CaptureQueriesContext(connection) as few:
        page(client, product)
    for index in range(6):
        more = add_review(product, rating=3, title=f"Fine {index}", text="Late, but fine.")
        tag(more, "delivery", "late")
        tag(more, "price", "fine price")
    with CaptureQueriesContext(connection) as many:
        response = page(client, product)
    assert len(listed(response)) == 9
    assert len(many) == len(few)


def test_a_company_reader_filters_any_products_reviews_by_topic(
    client: Client, make_user: Callable[..., User], product: Product, reviews: dict[str, Review]
) -> None:
    client.force_login(make_user(COMPANY_READER, display_name="Rita"))
    response = page(client, product, topic="size")
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert listed(response) == [reviews["tight"].pk]
