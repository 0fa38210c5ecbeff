"""Issue 16, item 4, in a real browser: the optional recommend question on the review form,
a radio group named by its question (a fieldset and its legend), answered with the
keyboard-reachable radios, stored, shown back to the author alone, and cleared."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from care.models import Case, CaseReason
from reviews.models import Review
from tests.browser.conftest import screenshot, sign_in
from tests.integration.site.factories import PASSWORD, product_create, user_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

QUESTION = "How likely are you to recommend this product to a friend?"


def test_a_shopper_answers_the_recommend_question_then_clears_it(page: Any, live_server: Any, settings: Any) -> None:
    settings.REVIEWS_PREMODERATION = False
    product_create(sku="STOVE-3", name="Camp stove")
    user_create(username="camille", display_name="Camille")
    sign_in(page, live_server.url, "camille", PASSWORD)

    page.goto(f"{live_server.url}/products/STOVE-3/review/")
    question = page.get_by_role("group", name=re.compile(re.escape(QUESTION)))
    expect(question.get_by_role("radio", name="No answer")).to_be_checked()
    page.locator('label[for="id_rating_3"]').click()  # 4 stars
    page.get_by_label("Title").fill("Boils fast, rattles")
    page.get_by_label(re.compile(r"^Your review")).fill("A litre in four minutes, but the pot support rattles.")
    question.get_by_role("radio", name="5", exact=True).check()
    screenshot(page, "recommend-question")
    page.get_by_role("button", name="Publish my review").click()
    page.wait_for_url(f"{live_server.url}/products/STOVE-3/#your-review")
    expect(page.locator(".messages")).to_contain_text("Your review is published.")
    review = Review.objects.get(author__username="camille")
    assert (review.rating, review.recommend) == (4, 5)
    assert Case.objects.get(review=review).reason == CaseReason.LOW_RECOMMEND  # a detractor: care follows up
    assert QUESTION not in page.content()

    page.goto(f"{live_server.url}/reviews/{review.pk}/edit/")
    question = page.get_by_role("group", name=re.compile(re.escape(QUESTION)))
    expect(question.get_by_role("radio", name="5", exact=True)).to_be_checked()  # the author's own answer
    question.get_by_role("radio", name="No answer").check()
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url(f"{live_server.url}/products/STOVE-3/#your-review")
    review.refresh_from_db()
    assert (review.rating, review.recommend) == (4, None)
