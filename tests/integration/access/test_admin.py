"""The admin, one row family: every URL of admin.site x every caller, with Django's own
refusals. Anyone who is not staff (a visitor, an API key, every role of accounts.roles:
none of them is staff) is sent to the admin's sign-in page, for reading and for writing;
staff without permissions see the index and are refused each model (403) and each app
(404); the superuser reaches every page. The admin is the only place API keys are listed:
nobody but staff reaches that list."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model

from tests.integration.access.matrix import FORBIDDEN, HIDDEN, NOT_ALLOWED, NOT_FOUND, OK, REFUSED
from tests.integration.access.test_matrix import ADMIN_PREFIX, url_patterns
from tests.integration.access.world import CALLERS, STAFF, SUPERUSER, World

pytestmark = pytest.mark.django_db

ADMIN_LOGIN = "admin-login"
ADMIN_LOGIN_PATH = "/admin/login/"
NOT_STAFF = tuple(caller for caller in CALLERS if caller not in (STAFF, SUPERUSER))


def admin_routes() -> list[tuple[str, str | None]]:
    return [(pattern, name) for pattern, name in url_patterns() if pattern.startswith(ADMIN_PREFIX)]


def _model_of(pattern: str) -> type[Model] | None:
    """admin/<app>/<model>/... -> the model."""
    parts = pattern.split("/")
    if len(parts) > 3 and parts[1].isidentifier() and parts[2].isidentifier():
        try:
            return apps.get_model(parts[1], parts[2])
        except LookupError:
            return None
    return None


# What the admin itself refuses even to a superuser: logs that are only appended to (the
# gate's events, notices and clock, the desk's audit, the outbox), keys and webhook
# endpoints that are revoked rather than deleted, reviews that only shoppers write.
APPEND_ONLY = {
    "desk.auditentry",
    "desk.noticecomment",
    "gate.gateclock",
    "gate.gateevent",
    "gate.improvement",
    "gate.improvementrequest",
    "gate.withdrawalnotice",
    "notifications.deliveryattempt",
    "notifications.outboxmessage",
}
# Orders, their customers and invitations come from the shop (the API, the import) and the
# invitation sweep; the admin only shows them (a customer is erased by an action, not deleted).
RECEIVED_ONLY = {"orders.customer", "orders.order", "orders.invitation"}
# The phrase lists are edited on the desk (by quality directors, with re-tagging), tags are the
# tagger's and digests the digest task's: the admin only lists them.
WRITTEN_BY_TOPICS = {"topics.topicphrase", "topics.reviewtopic", "topics.teamdigest"}
NEVER_DELETED = {*APPEND_ONLY, *RECEIVED_ONLY, *WRITTEN_BY_TOPICS, "apikeys.apikey", "notifications.webhookendpoint"}
NEVER_ADDED = {*APPEND_ONLY, *RECEIVED_ONLY, *WRITTEN_BY_TOPICS, "reviews.review"}


def model_label(pattern: str) -> str:
    model = _model_of(pattern)
    return model._meta.label_lower if model is not None else ""


def has_rows(pattern: str) -> bool:
    model = _model_of(pattern)
    return model is not None and model._default_manager.exists()


def admin_path(pattern: str, world: World) -> str:
    """A concrete URL of ``pattern``: a real object's id where it takes one."""
    model = _model_of(pattern)
    if pattern.startswith("admin/r/"):
        content_type = ContentType.objects.get_for_model(world.p1)
        return f"/admin/r/{content_type.pk}/{world.p1.pk}/"
    if pattern.startswith("admin/^"):
        return "/admin/accounts/" if "app_label" in pattern else "/admin/no/such/page/"
    if pattern == "admin/(?P<url>.*)$":
        return "/admin/no/such/page/"
    object_id = "0"
    if model is not None:
        first = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
        object_id = str(first) if first is not None else "0"
    path = re.sub(r"<(?:\w+:)?(?:object_id|id)>", object_id, pattern)
    return "/" + path


def expected(pattern: str, name: str | None, caller: str, method: str) -> str:
    """Django's admin, as it answers."""
    if name == "admin:login":
        # The sign-in page itself: shown to anyone (a signed-in non-staff user is told so);
        # staff are sent on to the index; a POST is the sign-in form (400-free: 200).
        return OK
    if name == "admin:logout":
        # Not staff: sent to the admin's index (which asks them to sign in); staff: a POST.
        return NOT_ALLOWED if caller not in NOT_STAFF and method == "GET" else OK
    if caller in NOT_STAFF:
        return ADMIN_LOGIN
    if name == "admin:view_on_site":
        return NOT_FOUND  # products have no URL of their own to jump to
    if (name or "").endswith("_history") and not has_rows(pattern):
        return OK  # looked up before the permission: no such object, back to the index
    if caller == SUPERUSER:
        return _superuser_expected(pattern, name)
    # Staff without a single permission.
    if name in ("admin:index", "admin:password_change", "admin:password_change_done", "admin:jsi18n", "admin:logout"):
        return OK
    if pattern.startswith("admin/^") or pattern == "admin/(?P<url>.*)$":
        return NOT_FOUND
    if name is None and pattern.endswith("<path:object_id>/"):
        return OK  # the old change URL redirects to the new one before any check
    return HIDDEN


def _superuser_expected(pattern: str, name: str | None) -> str:
    if pattern == "admin/(?P<url>.*)$":
        return NOT_FOUND
    label = model_label(pattern)
    if (name or "").endswith("_add") and label in NEVER_ADDED:
        return FORBIDDEN
    if (name or "").endswith("_delete") and label in NEVER_DELETED:
        return FORBIDDEN
    if name == "admin:autocomplete":
        return FORBIDDEN  # without the field it completes
    return OK


def outcome_of(response: Any) -> str:
    status = response.status_code
    if status == 302 and response["Location"].startswith(f"{ADMIN_LOGIN_PATH}?next="):
        return ADMIN_LOGIN
    if status < 400:
        return OK
    if status in (400, 409):
        return REFUSED
    return str(status)


ADMIN_ROUTES = admin_routes()


@pytest.mark.parametrize(("pattern", "name"), ADMIN_ROUTES, ids=[pattern for pattern, _ in ADMIN_ROUTES])
def test_admin_route(world: World, pattern: str, name: str | None) -> None:
    mismatches = []
    path = admin_path(pattern, world)
    for caller in CALLERS:
        # Staff do not write here (the admin's own behaviour, tested by Django); everyone
        # else tries both.
        methods = ("GET",) if caller in (STAFF, SUPERUSER) else ("GET", "POST")
        for method in methods:
            with transaction.atomic():
                client = world.client(caller, api=False)
                response = client.get(path) if method == "GET" else client.post(path, {})
                transaction.set_rollback(True)
            want, got = expected(pattern, name, caller, method), outcome_of(response)
            if not (got in ("403", "404") if want == HIDDEN else got == want):
                mismatches.append(f"{method} {path} as {caller}: expected {want}, got {got} ({response.status_code})")
    assert not mismatches, "\n".join(mismatches)


def test_the_admin_family_covers_every_admin_route() -> None:
    assert len(ADMIN_ROUTES) > 100  # 19 models x 6 routes and the site's own
    assert all(pattern.startswith(ADMIN_PREFIX) for pattern, _ in ADMIN_ROUTES)
