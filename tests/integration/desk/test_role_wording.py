"""The desk names itself, and the products it lists, after the user's roles: a moderator who
manages nothing is not told they are at a product manager's desk, a quality director (who
acts on every product) is not shown "My products"."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from accounts.roles import MODERATOR, PRODUCT_MANAGER, QUALITY_DIRECTOR, user_add_role
from tests.integration.desk.factories import flagged_story

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _language_restored() -> Iterator[None]:
    # A request activates its user's language for the rest of the thread: the French pages
    # here must not leave later tests speaking French.
    with translation.override(translation.get_language()):
        yield


def desk_title(page: str) -> str:
    match = re.search(r'<p class="desk-nav-title">(.*?)</p>', page)
    assert match, "the desk's navigation has no title"
    return html.unescape(match.group(1))


def desk_nav(page: str) -> str:
    start = page.index('<nav class="desk-nav"')
    return html.unescape(page[start : page.index("</nav>", start)])


def h1(page: str) -> str:
    match = re.search(r"<h1>(.*?)</h1>", page)
    assert match
    return html.unescape(match.group(1))


def test_a_moderator_who_manages_nothing_is_at_the_moderation_desk(
    client: Client, make_user: Callable[..., User]
) -> None:
    client.force_login(make_user(MODERATOR))
    page = client.get(reverse("desk:moderation")).content.decode()
    assert desk_title(page) == "Moderation desk"
    nav = desk_nav(page)
    assert "Moderation" in nav
    assert "My products" not in nav and "Notices" not in nav and "Key figures" not in nav
    assert "product manager" not in page.lower()
    # The note about reviews of one's own products is for moderators who manage some.
    assert "products you manage" not in page and "a product you manage" not in page


def test_a_product_manager_keeps_the_product_managers_desk(client: Client, make_user: Callable[..., User]) -> None:
    manager = make_user(PRODUCT_MANAGER)
    flagged_story(managers=[manager])
    client.force_login(manager)
    for url in (reverse("desk:notices"), reverse("desk:products"), reverse("desk:kpis")):
        page = client.get(url).content.decode()
        assert desk_title(page) == "Product manager's desk", url
        nav = desk_nav(page)
        assert "My products" in nav and "All products" not in nav and "Moderation" not in nav
    assert h1(client.get(reverse("desk:products")).content.decode()) == "My products"


def test_a_quality_director_is_at_the_quality_directors_desk_over_all_products(
    client: Client, make_user: Callable[..., User]
) -> None:
    director = make_user(QUALITY_DIRECTOR)
    story = flagged_story(managers=[make_user(PRODUCT_MANAGER)])
    client.force_login(director)
    page = client.get(reverse("desk:products")).content.decode()
    assert desk_title(page) == "Quality director's desk"
    assert "All products" in desk_nav(page) and "My products" not in page
    assert h1(page) == "All products"
    reviews_page = client.get(reverse("desk:product_reviews", kwargs={"sku": story.product.sku})).content.decode()
    assert "My products" not in reviews_page and "All products" in reviews_page


def test_a_quality_director_with_no_notice_is_not_told_about_their_products(
    client: Client, make_user: Callable[..., User]
) -> None:
    client.force_login(make_user(QUALITY_DIRECTOR))
    page = client.get(reverse("desk:notices")).content.decode()
    assert "No open notice: no product is below the threshold." in page
    assert "your products" not in page


def test_a_product_manager_who_also_moderates_sees_both_under_the_product_managers_title(
    client: Client, make_user: Callable[..., User]
) -> None:
    person = make_user(PRODUCT_MANAGER)
    user_add_role(person, MODERATOR)
    client.force_login(person)
    page = client.get(reverse("desk:moderation")).content.decode()
    assert desk_title(page) == "Product manager's desk"
    nav = desk_nav(page)
    assert "My products" in nav and "Moderation" in nav


@pytest.mark.parametrize(
    ("role", "url_name", "title"),
    [
        (MODERATOR, "desk:moderation", "Espace modération"),
        (PRODUCT_MANAGER, "desk:products", "Espace chef de produit"),
        (QUALITY_DIRECTOR, "desk:products", "Espace direction qualité"),
    ],
)
def test_the_desks_title_is_translated_for_each_role(
    client: Client, make_user: Callable[..., User], role: str, url_name: str, title: str
) -> None:
    client.force_login(make_user(role, language="fr"))
    page = client.get(reverse(url_name)).content.decode()
    assert desk_title(page) == title
