"""Signed-in answers carry `Cache-Control: private` and `Vary: Cookie`; anonymous public
pages keep their own caching (core/cache_headers.py).

Every route of the URL configuration (the admin aside: Django's own, and staff only) is
fetched by a signed-in shopper and a superuser, so a route added later is covered without
a new row here.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.cache import patch_cache_control

from apikeys.services import api_key_create
from care.links import reply_token
from care.models import Case
from care.services import case_message_send
from care.thanks import ThanksOwner, ThanksOwnerKind, thanks_unsubscribe_token
from core.cache_headers import PrivateCacheForSignedInMiddleware
from orders.links import review_token, unsubscribe_token
from orders.models import Invitation
from reviews.services import review_submit
from tests.care_factories import care_staff_create, review_post
from tests.factories import REVIEW_TEXT, product_create, user_create
from tests.integration.notifications.factories import flag
from tests.orders_factories import order_create

pytestmark = pytest.mark.django_db

MIDDLEWARE_PATH = "core.cache_headers.PrivateCacheForSignedInMiddleware"
PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>|\(\?P<(?P<group>[^>]+)>[^)]*\)")


def routes(patterns: list[Any] | None = None, prefix: str = "") -> Iterator[str]:
    """Every route's pattern, nested includes joined; regex routes lose their anchors."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        text = prefix + str(pattern.pattern).replace("^", "").replace("$", "")
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, text)
        elif isinstance(pattern, URLPattern):
            yield text


def cache_control(response: Any) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def vary(response: Any) -> set[str]:
    return {part.strip().lower() for part in response.get("Vary", "").split(",") if part.strip()}


@pytest.fixture
def world() -> dict[str, Any]:
    shopper = user_create("shopper")
    product = product_create(name="Quiet Tent 2")
    review = review_submit(product=product, author=shopper, rating=4, title="Dry", body=REVIEW_TEXT, language="en")
    flagged = flag(product)
    # An invitation's links, so its pages render rather than refuse a made-up token.
    invited = order_create(products=[product_create(name="Invited Stove")])
    assert invited.delivered_at is not None and invited.customer_id is not None
    invitation = Invitation.objects.create(
        order=invited, kind="invitation", customer=invited.customer, sent_at=invited.delivered_at
    )
    invitation.lines.set(invited.lines.all())
    # An unhappy review's care case, care's message (its reply link) and the thanks link.
    unhappy = review_post(product=product, rating=1)
    case = Case.objects.get(review=unhappy)
    message = case_message_send(case=case, by=care_staff_create(), body="Sorry: which size was it?")
    tokens = {
        "invitations": review_token(invited.lines.get().pk),
        "unsubscribe": unsubscribe_token(invited.customer_id),
        "care": reply_token(message.pk),
        "thanks": thanks_unsubscribe_token(ThanksOwner(ThanksOwnerKind.USER, shopper.pk)),
    }
    return {
        "shopper": shopper,
        "sku": product.sku,
        "product": product.pk,
        "review": review.pk,
        "notice": flagged.notice.pk,
        "event": flagged.pk,
        "case": case.pk,
        "tokens": tokens,
    }


# Which of the world's objects a route's id names, by a piece of the route; the first match wins.
OBJECT_ROUTES = (
    ("desk/care/", "case"),
    ("notices/", "notice"),
    ("gate/events/", "event"),
    ("reviews/", "review"),
    ("moderation/bursts/", "product"),
)
# Routes whose kind of object the world does not make: an id no sequence reaches in a test.
NO_SUCH_ID = "2147483000"


def concrete_path(route: str, world: dict[str, Any]) -> str:
    """The route with each parameter filled: a real object where one exists, else a value
    that matches the converter (a 404 is still an answer that must be private)."""

    def value(match: re.Match[str]) -> str:
        name = match.group("name") or match.group("group")
        if "sku" in name:
            return str(world["sku"])
        if name == "token":
            return str(world["tokens"].get(route.split("/")[0], "x"))
        if name in ("pk", "product_id"):
            # Each route gets its own kind's id: an id borrowed from another table would
            # find a row only when the sequences happen to agree (they do on a fresh
            # database, not after other tests have used them).
            for marker, key in OBJECT_ROUTES:
                if marker in route:
                    return str(world[key])
            return NO_SUCH_ID
        return "x"

    return "/" + PARAMETER.sub(value, route)


def test_every_signed_in_answer_of_the_url_conf_is_private(client: Any, world: dict[str, Any]) -> None:
    superuser = user_create(username="root", email="root@example.test", is_staff=True, is_superuser=True)
    paths = sorted({concrete_path(route, world) for route in routes() if not route.startswith("admin/")})
    assert len(paths) >= 60
    statuses: Counter[int] = Counter()
    not_ok: list[tuple[str, str, int]] = []
    for user in (world["shopper"], superuser):
        client.force_login(user)
        for path in paths:
            response = client.get(path)
            statuses[response.status_code] += 1
            if response.status_code != 200:
                not_ok.append((user.username, path, response.status_code))
            assert response.status_code < 500, path
            assert "private" in cache_control(response), (path, response.status_code, response.get("Cache-Control"))
            assert "public" not in cache_control(response), path
            assert "cookie" in vary(response), path
    print(f"{len(paths)} routes x 2 users: {dict(statuses)}")
    # They are real pages, not refusals: the superuser is refused only the API endpoints that
    # open to API keys alone (a signed-in session is 403 there), and most routes render.
    root_refused = [path for user, path, status in not_ok if user == "root" and status == 403]
    assert all(path.startswith("/api/v1/") for path in root_refused), root_refused
    root_not_ok = [(path, status) for user, path, status in not_ok if user == "root"]
    # Leaving out the POST-only routes (405), the keys-only API endpoints (403, above) and the
    # routes on a kind of object the world does not make (NO_SUCH_ID: their 404 by design).
    readable = len(paths) - sum(
        1 for path, status in root_not_ok if status in (403, 405) or (status == 404 and NO_SUCH_ID in path)
    )
    assert len(paths) - len(root_not_ok) >= 0.8 * readable, (statuses, root_not_ok)


def test_a_post_and_an_api_key_answer_are_private_too(client: Any, world: dict[str, Any]) -> None:
    client.force_login(world["shopper"])
    response = client.post("/accounts/language/", {"language": "fr", "next": "/"})
    assert response.status_code == 302 and "private" in cache_control(response)

    key = api_key_create(name="sync", owner=world["shopper"]).plaintext
    client.logout()
    answer = client.get("/api/v1/products/", HTTP_AUTHORIZATION=f"Api-Key {key}")
    assert answer.status_code == 200
    # The API's own revalidation stays: private is added beside no-cache.
    assert cache_control(answer) == {"private", "no-cache"}


def test_anonymous_public_pages_keep_their_own_caching(client: Any, world: dict[str, Any]) -> None:
    public = [
        "/",
        "/products/",
        f"/products/{world['sku']}/",
        "/about/reviews/",
        "/api/v1/products/",
        f"/api/v1/products/{world['sku']}/",
    ]
    without = [name for name in settings.MIDDLEWARE if name != MIDDLEWARE_PATH]
    for path in public:
        answered = client.get(path)
        with override_settings(MIDDLEWARE=without):
            untouched = client.get(path)
        assert answered.status_code == 200, path
        assert "private" not in cache_control(answered), path
        assert (answered.get("Cache-Control"), vary(answered)) == (untouched.get("Cache-Control"), vary(untouched)), (
            path
        )


def test_directives_already_set_are_kept_and_public_is_dropped(world: dict[str, Any]) -> None:
    def view(request: HttpRequest) -> HttpResponse:
        response = HttpResponse("secret shown once")
        patch_cache_control(response, no_store=True, public=True, max_age=60)
        return response

    request = RequestFactory().get("/")
    request.user = world["shopper"]
    response = PrivateCacheForSignedInMiddleware(view)(request)
    assert cache_control(response) == {"private", "no-store", "max-age=60"}
    assert vary(response) == {"cookie"}
