"""The product page's review list and the catalogue's cards are written without an include
per review or per card (templates/products/_review_list.html, the `stars` tag), and write
the very characters the include-per-row templates wrote. Those templates are kept here, in
replaced_templates/, as the reference: the page is rendered for real (anonymous, and as a
shopper with their own review, votes and a report; in English and in French), and its list
is compared with the reference rendered over the same reviews and the same request.

Reviews vary: photos, a brand reply, votes, another language, an edit of a previous product
version, an employee review, a verified purchase, no title, a title with markup characters.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template import engines
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from accounts.roles import PRODUCT_MANAGER, SHOPPER
from gate.services import improvement_log
from products.models import Product
from reviews.models import Review, ReviewPhoto
from reviews.reactions import brand_reply_post, review_report, review_vote
from tests.factories import category_create, product_create, user_create
from tests.integration.site.factories import review_create, reviews_bulk_create

pytestmark = pytest.mark.django_db

REPLACED = Path(__file__).parent / "replaced_templates"
# What differs between two renders of one request whatever the templates: CSRF tokens.
_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _replaced(name: str) -> Any:
    return engines["django"].from_string((REPLACED / name).read_text())


def _tiny_photo(review: Review, position: int) -> ReviewPhoto:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 6), (40, 90, 160)).save(out, "WEBP")
    name = default_storage.save(f"reviews/list/{review.pk}-{position}.webp", ContentFile(out.getvalue()))
    now = timezone.now()
    return ReviewPhoto.objects.create(
        review=review,
        position=position,
        full=name,
        large=name,
        thumb=name,
        width=8,
        height=6,
        created_at=now,
        ready_at=now,
    )


@pytest.fixture
def page_world() -> dict[str, Any]:
    manager = user_create(PRODUCT_MANAGER)
    shopper = user_create(SHOPPER)
    product = product_create(sku="TENT-7", name="Ridge tent", brand="Acme & Sons", managers=[manager])
    old = review_create(product=product, rating=2, title="Before the fix", body="The old pole broke.\n\nTwice.")
    improvement_log(product=product, by=manager, description="Stronger poles")
    product.refresh_from_db()
    reviews = [
        old,
        review_create(product=product, rating=5, title="Superbe", language="fr", body="Très bien <vraiment>."),
        review_create(product=product, rating=4, title="", verified_purchase=True),
        review_create(product=product, rating=1, title='Leaks "badly" & <fast>', author_name="Zoë <Z>"),
        review_create(product=product, rating=3, author=user_create(PRODUCT_MANAGER), title="Staff view"),
        review_create(product=product, rating=4, author=shopper, title="Mine"),
    ]
    Review.objects.filter(pk=reviews[4].pk).update(employee=True)
    photographed = reviews[2]
    _tiny_photo(photographed, 0), _tiny_photo(photographed, 1)
    brand_reply_post(review=reviews[3], author=manager, body="Sorry & thanks:\nwe fixed it.")
    review_vote(review=reviews[1], voter=shopper, helpful=True)
    review_vote(review=reviews[3], voter=shopper, helpful=False)
    review_report(review=reviews[0], reporter=shopper, reason="spam")
    reviews_bulk_create(product=product, ratings=[5, 4, 3, 2, 1, 5, 4])
    other = product_create(
        sku="NONE-1",
        name="Unrated thing",
        category=category_create(),
        on_sale=False,
        gate_state="withdrawn",
        withdrawn_on=timezone.localdate(),
    )
    Product.objects.filter(pk=other.pk).update(image_url="https://cdn.example.com/x.jpg?a=1&b=2")
    return {"product": product, "shopper": shopper}


def _between(html: str, start: str, end: str) -> str:
    first = html.index(start)
    return html[first : html.index(end, first) + len(end)]


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("signed_in", [False, True])
@pytest.mark.parametrize("sort", ["", "helpful"])
def test_the_review_list_writes_what_an_include_per_review_wrote(
    page_world: dict[str, Any], language: str, signed_in: bool, sort: str
) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if signed_in:
        client.force_login(page_world["shopper"])
    url = reverse("product_detail", kwargs={"sku": page_world["product"].sku}) + (f"?sort={sort}" if sort else "")
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    listed = _between(html, '<ol class="review-list"', "</ol>")
    reference = engines["django"].from_string(
        "{% for review in reviews %}<li>{% include replaced_review %}</li>{% endfor %}"
    )
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        expected = reference.render(
            {
                "reviews": response.context["reviews"],
                "product": response.context["product"],
                "replaced_review": _replaced("review.html"),
                "replaced_stars": _replaced("stars.html"),
            },
            response.wsgi_request,
        )
    assert expected.count("<article") == len(list(response.context["reviews"])) >= 6
    if not sort:  # the newest first: every kind of review is on the first page
        assert "review-photos" in expected and "brand-reply" in expected and 'lang="fr"' in expected
    assert _TOKEN.sub("TOKEN", expected) in _TOKEN.sub("TOKEN", listed)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_catalogue_cards_write_what_their_includes_wrote(page_world: dict[str, Any], language: str) -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE=language).get(reverse("product_list"))
    assert response.status_code == 200
    listed = _between(response.content.decode(), '<ul class="product-grid"', "</ul>")
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        expected = _replaced("product_cards.html").render(
            {
                "products": response.context["products"],
                "replaced_card_image": _replaced("card_image.html"),
                "replaced_stars": _replaced("stars.html"),
            },
            response.wsgi_request,
        )
    assert "stars-none" in expected and "stars-fill" in expected and "cdn.example.com" in expected
    assert listed == expected


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(
    ("average", "size", "show_text"),
    [
        (None, "", False),
        (4, "", True),
        (1, "small", True),
        ("2.9861", "large", False),
        ("3.5000", "", False),
        (5, "", False),
    ],
)
def test_the_stars_partial_writes_what_it_wrote_as_a_template(
    language: str, average: Any, size: str, show_text: bool
) -> None:
    from decimal import Decimal

    value = Decimal(average) if isinstance(average, str) else average
    context = {"average": value, "size": size, "show_text": show_text}
    with translation.override(language):
        assert engines["django"].get_template("partials/stars.html").render(context) == _replaced("stars.html").render(
            context
        )


def test_a_page_with_more_reviews_renders_no_more_templates(page_world: dict[str, Any]) -> None:
    """The point of it: no template is rendered per review (photos only for a review with some)."""
    from django.test.signals import template_rendered

    rendered: list[str] = []

    def record(sender: Any, template: Any, **kwargs: Any) -> None:
        rendered.append(template.name)

    template_rendered.connect(record)
    try:
        Client().get(reverse("product_detail", kwargs={"sku": "TENT-7"}))
        few = len(rendered)
        reviews_bulk_create(product=page_world["product"], ratings=[3] * 12)
        rendered.clear()
        Client().get(reverse("product_detail", kwargs={"sku": "TENT-7"}))
    finally:
        template_rendered.disconnect(record)
    assert len(rendered) == few
    assert rendered.count("reviews/_review_photos.html") <= 1
