"""The company reader (issue 17, accounts.roles.COMPANY_READER) on the desk: reads every
product's reviews, the product list, the key figures and their CSV; acts on nothing (every
action of the desk answers 403 and writes nothing; no action form or link is shown); and
meets no personal data: no email address, no username, only public display names.

Every person here has a username and an address that differ from their display name, so a
page that showed either would be caught."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.models import User
from accounts.roles import COMPANY_READER, SHOPPER
from desk import urls as desk_urls
from desk.models import AuditEntry, NoticeComment
from gate.models import Improvement, ImprovementRequest, WithdrawalNotice
from reviews.models import BrandReply, Review, ReviewStatus
from tests.integration.desk.factories import Stories, add_review
from topics.models import TopicPhrase

pytestmark = pytest.mark.django_db

# The pages a reader opens (GET); a POST there is the wrong method (405), not an action.
READ_PAGES = {"desk:notices", "desk:products", "desk:product_reviews", "desk:kpis", "desk:kpis_csv", "desk:topics"}
GROUPINGS = ("category", "product", "manager", "month")


@pytest.fixture
def reader(make_user: Callable[..., User]) -> User:
    return make_user(COMPANY_READER, username="rita_login", email="rita.private@example.com", display_name="Rita")


@pytest.fixture
def reader_client(client: Client, reader: User) -> Client:
    client.force_login(reader)
    return client


@pytest.fixture
def world(stories: Stories, manager: User, make_user: Callable[..., User]) -> Stories:
    """The stories, with a shopper's review of the open product answered by its manager."""
    shopper = make_user(SHOPPER, username="alex_login", email="alex.private@example.com", display_name="Alex")
    review = add_review(stories.open.product, rating=2, author=shopper, title="Leaked at the seams")
    now = timezone.now()
    BrandReply.objects.create(
        review=review, author=manager, body="Sorry: bring it back.", created_at=now, updated_at=now
    )
    return stories


def private_words() -> set[str]:
    """Every account's username and email address (the reader's own are theirs to see)."""
    people = User.objects.exclude(username="rita_login").values_list("username", "email", "display_name")
    return {word for username, email, name in people for word in (username, email) if word and word != name}


def assert_no_personal_data(body: str) -> None:
    shown = {word for word in private_words() if re.search(rf"(?<![\w.@-]){re.escape(word)}(?![\w-])", body, re.I)}
    assert shown == set(), f"personal data shown to a company reader: {shown}"
    assert not re.search(r"[\w.+-]+@[\w-]+\.\w+", body), "an email address is shown to a company reader"


def test_a_reader_reads_every_products_reviews_with_names_but_no_action(reader_client: Client, world: Stories) -> None:
    for story in (world.open, world.withdrawn, world.other):
        response = reader_client.get(reverse("desk:product_reviews", args=[story.product.sku]))
        assert response.status_code == 200
        body = response.content.decode()
        published = Review.objects.filter(product=story.product, status=ReviewStatus.PUBLISHED)
        assert response.context["count"] == published.filter(revision=story.product.revision).count() > 0
        lowest = published.filter(revision=story.product.revision).order_by("rating", "-published_at", "-id")[0]
        assert f'id="review-{lowest.pk}"' in body and escape(lowest.body) in body
        assert re.findall(r'<form method="post" action="([^"]*)"', body) == [reverse("logout")]  # no action
        assert "/reply/" not in body and "Reply publicly" not in body
        assert f"/desk/notices/{story.notice.pk}/" not in body  # the notice is the managers' workspace
        assert_no_personal_data(body)
    body = reader_client.get(reverse("desk:product_reviews", args=[world.open.product.sku])).content.decode()
    assert "By Alex, published" in body and "by Julia on" in body  # display names only


def test_a_reader_lists_every_product_and_the_desk_home_sends_them_there(reader_client: Client, world: Stories) -> None:
    home = reader_client.get(reverse("desk:notices"))
    assert (home.status_code, home["Location"]) == (302, reverse("desk:products"))
    body = reader_client.get(reverse("desk:products")).content.decode()
    assert all(story.product.name in body for story in (world.open, world.withdrawn, world.other))
    assert "All products" in body and "Company reader&#x27;s desk" in body
    assert "Key figures" in body and "Notices" not in body and "Customer care" not in body
    assert_no_personal_data(body)


@pytest.mark.parametrize("group", GROUPINGS)
def test_a_reader_reads_every_products_key_figures_and_their_csv(
    reader_client: Client, world: Stories, group: str
) -> None:
    page = reader_client.get(reverse("desk:kpis"), {"group": group, "period": "90"})
    csv = reader_client.get(reverse("desk:kpis_csv"), {"group": group, "period": "90"})
    assert (page.status_code, csv.status_code) == (200, 200)
    for body in (page.content.decode(), csv.content.decode()):
        assert "All products" in body
        assert_no_personal_data(body)
        if group == "product":
            assert all(story.product.name in body for story in (world.open, world.withdrawn, world.other))
        if group == "manager":
            assert "Julia" in body and "Otto" in body


def test_a_manager_without_a_display_name_is_not_named_by_their_username(
    reader_client: Client, world: Stories, manager: User
) -> None:
    User.objects.filter(pk=manager.pk).update(display_name="")
    body = reader_client.get(reverse("desk:kpis_csv"), {"group": "manager", "period": "90"}).content.decode()
    assert f"Customer {manager.pk}" in body
    assert_no_personal_data(body)


def desk_route_paths(world: Stories) -> list[tuple[str, str]]:
    """(name, path) of every route of the desk, its arguments filled from the world."""
    values = {"pk": world.open.notice.pk, "sku": world.open.product.sku, "product_id": world.open.product.pk}
    found = []
    for pattern in desk_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        name = f"desk:{pattern.name}"
        kwargs = {key: values[key] for key in pattern.pattern.converters}
        found.append((name, reverse(name, kwargs=kwargs)))
    return found


def fingerprint() -> tuple[Any, ...]:
    return (
        AuditEntry.objects.count(),
        BrandReply.objects.count(),
        NoticeComment.objects.count(),
        Improvement.objects.count(),
        ImprovementRequest.objects.count(),
        TopicPhrase.objects.count(),
        tuple(WithdrawalNotice.objects.order_by("pk").values_list("state", "acknowledged_at", "assigned_to_id")),
        tuple(Review.objects.order_by("pk").values_list("status", flat=True)),
    )


def test_every_action_of_the_desk_refuses_a_reader_and_writes_nothing(reader_client: Client, world: Stories) -> None:
    before = fingerprint()
    answers = {
        name: reader_client.post(path, {"body": "x", "decision": "approve:1"}).status_code
        for name, path in desk_route_paths(world)
    }
    expected = {name: 405 if name in READ_PAGES else 403 for name in answers}
    assert answers == expected
    assert fingerprint() == before


@pytest.mark.parametrize("name", ["desk:notice", "desk:care_queue", "desk:improvement_requests", "desk:moderation"])
def test_the_managers_workspace_and_care_cases_are_closed_to_a_reader(
    reader_client: Client, world: Stories, name: str
) -> None:
    kwargs = {"pk": world.open.notice.pk} if name == "desk:notice" else {}
    assert reader_client.get(reverse(name, kwargs=kwargs)).status_code == 403
