"""Who may open what on the desk, for every URL it has.

Not signed in: the sign-in page. Signed in without a desk role: 403. Another manager's
notice, product or review: 404, and nothing is written. The product's manager and the
quality directors: the page, or the action done. Moderation: moderators only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, reverse

from accounts.models import User
from desk import urls as desk_urls
from desk.models import AuditEntry, NoticeComment
from reviews.models import BrandReply, ReviewStatus
from tests.integration.desk.factories import Stories, add_review
from tests.integration.desk.test_care_queue import CARE_URL_NAMES
from tests.integration.desk.test_topic_phrases_page import TOPIC_PHRASES_URL_NAMES

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Url:
    name: str
    method: str
    kwargs: Callable[[Stories], dict[str, Any]] = lambda stories: {}
    data: Callable[[Stories], dict[str, Any]] = lambda stories: {}
    # About one product (of `manager`): another manager gets 404. Otherwise a list,
    # where another manager sees none of `manager`'s products.
    scoped: bool = True
    ok: tuple[int, ...] = field(default=(200,))

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.name}"

    def request(self, client: Client, stories: Stories) -> Any:
        url = reverse(self.name, kwargs=self.kwargs(stories))
        if self.method == "post":
            return client.post(url, self.data(stories))
        return client.get(url, self.data(stories))


def _notice(stories: Stories) -> dict[str, Any]:
    return {"pk": stories.open.notice.pk}


MANAGER_URLS = [
    Url("desk:notices", "get", scoped=False),
    Url("desk:notice", "get", _notice),
    Url("desk:notice_acknowledge", "post", _notice, ok=(302,)),
    Url("desk:notice_assign", "post", _notice, lambda s: {"assignee": ""}, ok=(302,)),
    Url("desk:notice_comment", "post", _notice, lambda s: {"body": "Asked the supplier."}, ok=(302,)),
    Url(
        "desk:notice_improvement",
        "post",
        _notice,
        lambda s: {"description": "New zip supplier.", "addressed_phrases": []},
        ok=(302,),
    ),
    Url("desk:products", "get", scoped=False),
    Url("desk:product_reviews", "get", lambda s: {"sku": s.open.product.sku}),
    Url("desk:review_reply", "get", lambda s: {"pk": s.open.low[0].pk}),
    Url(
        "desk:review_reply",
        "post",
        lambda s: {"pk": s.open.low[0].pk},
        lambda s: {"body": "Sorry: bring it back to any store."},
        ok=(302,),
    ),
    Url("desk:kpis", "get", scoped=False),
    Url("desk:kpis_csv", "get", scoped=False),
    Url("desk:improvement_requests", "get", scoped=False),
]
MODERATOR_URLS = [
    Url("desk:moderation", "get", scoped=False),
    Url(
        "desk:moderation_decide",
        "post",
        data=lambda s: {"decision": f"approve:{s.open.low[0].pk}"},
        scoped=False,
        ok=(302,),
    ),
    # Nothing of the product is held: a moderator's decision is refused as a bad request.
    Url(
        "desk:moderation_burst_decide",
        "post",
        lambda s: {"product_id": s.open.product.pk},
        lambda s: {"decision": "release:all", "statement": "Checked."},
        scoped=False,
        ok=(400,),
    ),
]
ALL_URLS = MANAGER_URLS + MODERATOR_URLS
# Quality directors only, on a waiting improvement: their matrix is in
# tests/integration/gate/test_improvement_approval.py.
DIRECTOR_URL_NAMES = {"desk:improvement_request_approve", "desk:improvement_request_reject"}
# On a review's photo: its matrix is in tests/integration/desk/test_photo_takedown.py (only a
# moderator who does not manage the product) and tests/integration/access/matrix.py.
PHOTO_URL_NAMES = {"desk:moderation_photo_remove"}


def test_every_desk_url_is_in_the_matrix() -> None:
    names = {f"desk:{pattern.name}" for pattern in desk_urls.urlpatterns if isinstance(pattern, URLPattern)}
    assert names == {
        url.name for url in ALL_URLS
    } | DIRECTOR_URL_NAMES | PHOTO_URL_NAMES | CARE_URL_NAMES | TOPIC_PHRASES_URL_NAMES | {"desk:topics"}


@pytest.mark.parametrize("url", ALL_URLS, ids=str)
def test_a_visitor_who_is_not_signed_in_is_sent_to_the_sign_in_page(client: Client, stories: Stories, url: Url) -> None:
    response = url.request(client, stories)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=/desk/")
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("url", ALL_URLS, ids=str)
def test_a_shopper_is_refused(client: Client, stories: Stories, shopper: User, url: Url) -> None:
    client.force_login(shopper)
    assert url.request(client, stories).status_code == 403
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("url", [url for url in MANAGER_URLS if url.scoped], ids=str)
def test_another_managers_notice_product_or_review_is_not_found(
    client: Client, stories: Stories, other_manager: User, url: Url
) -> None:
    client.force_login(other_manager)
    assert url.request(client, stories).status_code == 404
    assert not AuditEntry.objects.exists()
    assert not NoticeComment.objects.exists()
    assert not BrandReply.objects.exists()
    stories.open.notice.refresh_from_db()
    assert stories.open.notice.acknowledged_at is None
    assert stories.open.notice.state == "open"


@pytest.mark.parametrize("url", [url for url in MANAGER_URLS if not url.scoped], ids=str)
def test_lists_show_another_manager_none_of_the_products_they_do_not_manage(
    client: Client, stories: Stories, other_manager: User, url: Url
) -> None:
    client.force_login(other_manager)
    response = url.request(client, stories)
    assert response.status_code == 200
    body = response.content.decode()
    assert stories.open.product.sku not in body and stories.open.product.name not in body
    assert stories.withdrawn.product.name not in body


@pytest.mark.parametrize("url", MANAGER_URLS, ids=str)
def test_the_products_manager_may_use_it(client: Client, stories: Stories, manager: User, url: Url) -> None:
    client.force_login(manager)
    assert url.request(client, stories).status_code in url.ok


@pytest.mark.parametrize("url", MANAGER_URLS, ids=str)
def test_a_quality_director_may_use_it_on_any_product(
    client: Client, stories: Stories, director: User, url: Url
) -> None:
    client.force_login(director)
    assert url.request(client, stories).status_code in url.ok


@pytest.mark.parametrize("url", MANAGER_URLS[1:], ids=str)
def test_a_moderator_who_manages_nothing_is_refused_the_managers_pages(
    client: Client, stories: Stories, moderator: User, url: Url
) -> None:
    client.force_login(moderator)
    assert url.request(client, stories).status_code == 403


def test_the_desk_home_sends_a_moderator_who_manages_nothing_to_the_queue(client: Client, moderator: User) -> None:
    client.force_login(moderator)
    response = client.get(reverse("desk:notices"))
    assert response.status_code == 302
    assert response["Location"] == reverse("desk:moderation")


@pytest.mark.parametrize("url", MODERATOR_URLS, ids=str)
def test_product_managers_and_quality_directors_cannot_moderate(
    client: Client, stories: Stories, manager: User, director: User, url: Url
) -> None:
    for person in (manager, director):
        client.force_login(person)
        assert url.request(client, stories).status_code == 403
    assert not AuditEntry.objects.exists()


def test_a_moderator_may_use_the_queue(client: Client, stories: Stories, moderator: User) -> None:
    pending = add_review(stories.open.product, rating=4, status=ReviewStatus.PENDING)
    client.force_login(moderator)
    assert client.get(reverse("desk:moderation")).status_code == 200
    response = client.post(reverse("desk:moderation_decide"), {"decision": f"approve:{pending.pk}"})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == ReviewStatus.PUBLISHED
