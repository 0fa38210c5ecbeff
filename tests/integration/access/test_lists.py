"""Lists never show what the caller may not see: a manager's desk and API lists hold only
the products they manage, held reviews stay out of every public list (whoever reads it),
a shopper's "my reviews" holds only their own. Each test has its positive control: the
row that must be there is there."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from tests.integration.access.world import (
    ANONYMOUS,
    DIRECTOR,
    KEY_DIRECTOR_READ,
    KEY_READ,
    MANAGER,
    MODERATOR_ROLE,
    OTHER_MANAGER,
    OTHER_SHOPPER,
    SHOPPER_AUTHOR,
    SUPERUSER,
    World,
)

pytestmark = pytest.mark.django_db

DESK_LISTS = ("desk:notices", "desk:products", "desk:kpis", "desk:kpis_csv", "desk:improvement_requests")


def shows(text: str, product: Any) -> bool:
    """Whether a page names the product (its SKU, or its name as a whole word)."""
    return product.sku in text or re.search(rf"\b{re.escape(product.name)}\b", text) is not None


def page_text(world: World, caller: str, path: str, **query: Any) -> str:
    response = world.client(caller, api=False).get(path, query)
    assert response.status_code == 200, (caller, path, response.status_code)
    return response.content.decode()


def api_json(world: World, caller: str, path: str, **query: Any) -> Any:
    response = world.client(caller, api=True).get(path, query)
    assert response.status_code == 200, (caller, path, response.status_code)
    return response.json()


@pytest.mark.parametrize("name", DESK_LISTS)
def test_a_managers_desk_lists_hold_only_their_products(world: World, name: str) -> None:
    mine, theirs = page_text(world, MANAGER, reverse(name)), page_text(world, OTHER_MANAGER, reverse(name))
    assert not shows(mine, world.p2)
    assert not shows(theirs, world.p1) and not shows(theirs, world.p3)
    if name in ("desk:notices", "desk:products"):  # the controls (the KPIs name no product)
        everything = page_text(world, DIRECTOR, reverse(name))
        assert shows(mine, world.p1) and shows(theirs, world.p2)
        assert shows(everything, world.p1) and shows(everything, world.p2)


def test_a_managers_desk_filtered_by_another_managers_product_shows_nothing(world: World) -> None:
    text = page_text(world, OTHER_MANAGER, reverse("desk:product_reviews", kwargs={"sku": world.p2.sku}))
    assert world.review2.title in text
    assert world.review.title not in text and world.held.title not in text


@pytest.mark.parametrize("caller", [MANAGER, KEY_READ, OTHER_MANAGER, DIRECTOR, KEY_DIRECTOR_READ])
def test_api_notices_and_requests_hold_only_the_callers_products(world: World, caller: str) -> None:
    notices = {row["product"] for row in api_json(world, caller, reverse("gate-notice-list"))["results"]}
    requests = {row["id"] for row in api_json(world, caller, reverse("gate-improvement-request-list"))["results"]}
    filtered = api_json(world, caller, reverse("gate-notice-list"), product=world.p1.sku)["results"]
    if caller in (DIRECTOR, KEY_DIRECTOR_READ):
        assert notices == {world.p1.sku, world.p2.sku} and requests == {world.improvement_request.pk}
    elif caller == OTHER_MANAGER:
        assert notices == {world.p2.sku} and requests == set() and filtered == []
    else:
        assert notices == {world.p1.sku} and requests == {world.improvement_request.pk}


@pytest.mark.parametrize("caller", [ANONYMOUS, SHOPPER_AUTHOR, OTHER_SHOPPER, MODERATOR_ROLE, MANAGER, SUPERUSER])
def test_held_reviews_are_in_no_public_list(world: World, caller: str) -> None:
    """The held review H and the burst-held one: not among the product page's reviews, not
    in the API's list, their ids a 404, for everyone, staff too. (H's author, OTHER_SHOPPER,
    is shown it on the page as their own review, with its state, outside the list.)"""
    product_page = page_text(world, caller, reverse("product_detail", kwargs={"sku": world.p1.sku}))
    assert world.review.title in product_page
    own_box = product_page.split('id="your-review"')[1].split("</div>")[0] if caller == OTHER_SHOPPER else ""
    assert product_page.count(world.held.title) == own_box.count(world.held.title) == int(caller == OTHER_SHOPPER)
    listed = {
        row["id"]
        for row in api_json(world, caller, reverse("product-review-list", kwargs={"product_sku": world.p1.sku}))[
            "results"
        ]
    }
    assert world.review.pk in listed and world.held.pk not in listed
    burst_page = page_text(world, caller, reverse("product_detail", kwargs={"sku": world.p2.sku}))
    assert world.burst.title not in burst_page
    for held in (world.held, world.burst):
        assert world.client(caller, api=True).get(reverse("review-detail", kwargs={"pk": held.pk})).status_code == 404


def test_held_reviews_reach_the_moderators_queue(world: World) -> None:
    queue = page_text(world, MODERATOR_ROLE, reverse("desk:moderation"))
    assert world.held.title in queue and world.burst.title in queue


def test_my_reviews_are_mine_only(world: World) -> None:
    mine = page_text(world, SHOPPER_AUTHOR, reverse("review_mine"))
    theirs = page_text(world, OTHER_SHOPPER, reverse("review_mine"))
    assert world.review.title in mine
    assert world.held.title not in mine and world.review2.title not in mine
    assert world.held.title in theirs and world.review2.title in theirs and world.review.title not in theirs


def test_a_manager_cannot_filter_the_desk_by_another_manager(world: World) -> None:
    """The manager filter offers only the managers of the caller's own products; naming
    another one is a form error, not a window on their notices."""
    response = world.client(OTHER_MANAGER, api=False).get(reverse("desk:notices"), {"manager": world.users[MANAGER].pk})
    text = response.content.decode()
    assert response.status_code == 400
    assert not shows(text, world.p1)  # (their own notices stay listed, unfiltered)
    assert world.users[MANAGER].public_name not in text
