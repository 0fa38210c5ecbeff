"""Reviews without a title (imported history has none: the real export's 67,395 reviews
carry no title) are named by "(no title)", or by their author and date where a link or
button needs a name: never by an empty quote ("Report the review « »")."""

from __future__ import annotations

import re

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.roles import SHOPPER
from reviews.reactions import review_report
from tests.factories import product_create, user_create
from tests.integration.site.factories import review_create

pytestmark = pytest.mark.django_db

EMPTY_QUOTES = re.compile(r"“\s*(<span[^>]*>\s*</span>)?\s*”|«\s*(<span[^>]*>\s*</span>)?\s*»")


def untitled_review():  # type: ignore[no-untyped-def]
    product = product_create(sku="HOTEL-12", name="Lakeside hotel")
    return review_create(product=product, title="", body="", author_name="yelp-u14069", rating=2)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_product_page_names_an_untitled_review_by_its_author_and_date(language: str) -> None:
    review = untitled_review()
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user_create(SHOPPER, language=language))  # the account's language wins
    page = client.get(reverse("product_detail", kwargs={"sku": review.product.sku})).content.decode()
    assert not EMPTY_QUOTES.search(page), EMPTY_QUOTES.search(page)
    label = re.search(r'class="report-link"[^>]*>[^<]*<span class="visually-hidden">([^<]*)</span>', page)
    assert label is not None and "yelp-u14069" in label.group(1)
    assert ("(no title)" if language == "en" else "(sans titre)") in page


def test_the_report_form_and_the_moderation_queue_say_no_title() -> None:
    review = untitled_review()
    reporter = user_create(SHOPPER)
    form = Client()
    form.force_login(reporter)
    page = form.get(reverse("review_report", args=[review.pk])).content.decode()
    assert "(no title)" in page and not EMPTY_QUOTES.search(page)

    review_report(review=review, reporter=reporter, reason="spam")
    desk = Client()
    desk.force_login(user_create("moderator"))
    queue = desk.get(reverse("desk:moderation")).content.decode()
    assert "(no title)" in queue and not EMPTY_QUOTES.search(queue)


@pytest.mark.parametrize(
    "template",
    ["emails/review_published_body.txt", "emails/review_reply_body.txt", "emails/care_message_body.txt"],
)
def test_emails_about_an_untitled_review_say_no_title(template: str) -> None:
    with translation.override("fr"):
        text = render_to_string(
            template,
            {"review_title": "", "product_name": "Lakeside hotel", "brand": "", "body": "Merci", "valid_days": 7},
        )
    assert "(sans titre)" in text and not EMPTY_QUOTES.search(text)
