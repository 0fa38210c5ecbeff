"""Every page and API route x method x caller answers as the matrix (matrix.py) says, and
the matrix has a row for every route of the URL configuration: a route added without its
row fails test_every_route_has_its_rows."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.roles import ROLES
from apikeys.models import ApiKey, ApiKeyScope
from tests.integration.access.matrix import (
    API_METHODS,
    HIDDEN,
    LOGIN,
    OK,
    OUTCOMES,
    REFUSED,
    ROWS,
    UNAUTHORIZED,
    Row,
)
from tests.integration.access.world import CALLERS, CUSTOMER_EMAIL, KEY_TOPICS, READER, World

pytestmark = pytest.mark.django_db

ADMIN_PREFIX = "admin/"
# The schema (OpenAPI YAML/JSON) and its two HTML viewers answer in their own formats.
DOCUMENT_ROUTES = ("schema", "swagger-ui", "redoc")


def url_patterns() -> list[tuple[str, str | None]]:
    """(full pattern, namespaced name) of every route Django resolves."""

    def walk(patterns: list[Any], prefix: str, namespace: str) -> list[tuple[str, str | None]]:
        found: list[tuple[str, str | None]] = []
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
                found += walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                found.append((prefix + str(pattern.pattern), f"{namespace}{pattern.name}" if pattern.name else None))
        return found

    return walk(get_resolver().url_patterns, "", "")


def route_key(pattern: str, name: str | None) -> str:
    """A route's row key: its name, or (unnamed) its whole pattern."""
    return name or pattern


def routes_without_rows() -> tuple[set[str], set[str]]:
    """(routes the matrix lacks, rows of routes that no longer exist)."""
    routes = {route_key(pattern, name) for pattern, name in url_patterns() if not pattern.startswith(ADMIN_PREFIX)}
    rows = {row.route for row in ROWS}
    return routes - rows, rows - routes


def test_every_route_has_its_rows() -> None:
    missing, stale = routes_without_rows()
    assert missing == set(), "routes without rows in tests/integration/access/matrix.py"
    assert stale == set(), "rows of routes that no longer exist"


def test_a_route_added_without_its_row_is_caught() -> None:
    with override_settings(ROOT_URLCONF="tests.integration.access.urls_with_a_new_route"):
        assert routes_without_rows() == ({"brand_new"}, set())


def test_every_row_has_a_cell_for_every_caller_and_every_method() -> None:
    for row in ROWS:
        assert set(row.cells) == set(CALLERS), row
        assert set(row.cells.values()) <= set(OUTCOMES), row
    methods: dict[str, set[str]] = {}
    for row in ROWS:
        methods.setdefault(row.route, set()).add(row.method)
    for row in ROWS:
        expected = set(API_METHODS) if row.api else {"GET", "POST"}
        assert methods[row.route] == expected, row.route


def outcome_of(response: Any, *, path: str) -> str:
    """The class of an answer (see matrix.py)."""
    status = response.status_code
    if status in (302, 303) and response["Location"].startswith(f"{resolve_url(settings.LOGIN_URL)}?next="):
        return LOGIN
    if status < 400:
        return OK
    if status in (400, 409):
        return REFUSED
    return str(status)


def shape_problems(row: Row, response: Any, outcome: str, path: str) -> list[str]:
    """A refusal as the guide describes it: the API's JSON error with WWW-Authenticate on
    401; a page's sign-in redirect carries the page to come back to."""
    problems = []
    if row.api and outcome not in (OK, LOGIN) and row.route not in DOCUMENT_ROUTES:
        body = response.json()
        if set(body) != {"error"} or not body["error"].get("message"):
            problems.append(f"not the API's error shape: {body!r}")
        if outcome == UNAUTHORIZED and not response.get("WWW-Authenticate", "").startswith("Api-Key"):
            problems.append("401 without WWW-Authenticate: Api-Key")
    if outcome == LOGIN:
        back_to = unquote(response["Location"].split("next=", 1)[1])
        # A vote (a POST that cannot be replayed) comes back to the review on its page.
        wanted = path
        if row.route == "review_vote" and back_to.startswith("/products/") and "#review-" in back_to:
            wanted = back_to
        if back_to != wanted:
            problems.append(f"sign-in redirect back to {back_to!r}, not to {wanted!r}")
    return problems


def db_fingerprint() -> tuple[Any, ...]:
    """What a refused write must leave as it was: every row a page or the API can add, and
    the fields their actions change."""
    from accounts.models import User
    from apikeys.models import ApiKey
    from desk.models import AuditEntry, NoticeComment
    from gate.models import GateEvent, Improvement, ImprovementRequest, WithdrawalNotice
    from notifications.models import OutboxMessage, WebhookEndpoint
    from orders.models import Customer, Order, OrderLine
    from products.models import Product
    from reviews.models import BrandReply, Review, ReviewReport, ReviewVote

    counted = (
        ReviewVote,
        ReviewReport,
        BrandReply,
        AuditEntry,
        NoticeComment,
        Improvement,
        GateEvent,
        OutboxMessage,
        Order,
        Customer,
    )
    watched = (
        (Review, ("status", "title", "body", "rating")),
        (WithdrawalNotice, ("state", "acknowledged_at", "assigned_to_id")),
        (ImprovementRequest, ("state",)),
        (WebhookEndpoint, ("revoked_at", "url")),
        (Product, ("revision", "gate_state", "on_sale")),
        (User, ("email", "display_name", "password", "language")),
        (ApiKey, ("revoked_at",)),
        (Order, ("delivered_at", "cancelled_at", "refunded_at")),
        (OrderLine, ("reviewed_at",)),
        (Customer, ("unsubscribed_at", "erased_at")),
    )
    return (
        tuple(model.objects.count() for model in counted),
        tuple(tuple(model.objects.order_by("pk").values_list("pk", *fields)) for model, fields in watched),
    )


def request_cell(world: World, row: Row, caller: str) -> tuple[Any, str]:
    client = world.client(caller, api=row.api)
    path = row.path(world)
    send = getattr(client, row.method.lower())
    if row.method == "GET":
        return send(path), path
    if row.api:
        return send(path, row.data(world), format="json"), path
    return send(path, row.data(world)), path


def shows_customer_address(response: Any) -> bool:
    """Issue 15: a customer's address is shown to nobody, on any page or API answer (the
    orders API included: it never returns it), whoever asks."""
    return CUSTOMER_EMAIL.encode() in body_of(response).lower()


def body_of(response: Any) -> bytes:
    """The answer's body; a streamed one is read once and kept for the next check."""
    if not response.streaming:
        return bytes(response.content)
    body = b"".join(response.streaming_content)
    response.streaming_content = [body]
    return body


# The company reader, by session and by key: issue 17 promises them no personal data.
READER_CALLERS = (READER, KEY_TOPICS)


def personal_data_patterns(world: World) -> list[re.Pattern[bytes]]:
    """What no answer to the company reader may contain: the email address of any account
    or customer, and any username that is not also its display name (the public name is
    what pages show of a person), except the reader's own (their profile shows them)."""
    from accounts.models import User
    from orders.models import Customer

    reader = world.users[READER].pk
    words: set[str] = set(Customer.objects.exclude(email="").values_list("email", flat=True))
    for username, email, display_name in User.objects.exclude(pk=reader).values_list(
        "username", "email", "display_name"
    ):
        words |= {email} if email else set()
        words |= {username} if username != display_name else set()
    # Whole words only: "care_c" is not in "care_case".
    return [re.compile(rb"(?<![\w.@-])" + re.escape(word.lower().encode()) + rb"(?![\w-])") for word in words]


def personal_data_shown(response: Any, patterns: list[re.Pattern[bytes]]) -> list[str]:
    body = body_of(response).lower()
    return [pattern.pattern.decode(errors="replace") for pattern in patterns if pattern.search(body)]


@pytest.mark.parametrize("row", ROWS, ids=str)
def test_row(world: World, row: Row) -> None:
    mismatches = []
    private = personal_data_patterns(world)
    for caller, expected in row.cells.items():
        writes_refused = row.method != "GET" and expected != OK
        with transaction.atomic():
            before = db_fingerprint() if writes_refused else None
            response, path = request_cell(world, row, caller)
            changed = writes_refused and db_fingerprint() != before
            transaction.set_rollback(True)
        got = outcome_of(response, path=path)
        if caller in READER_CALLERS and (shown := personal_data_shown(response, private)):
            mismatches.append(f"{caller}: the answer shows personal data: {shown}")
        if shows_customer_address(response):
            mismatches.append(f"{caller}: the answer shows the invited customer's email address")
        if changed:
            mismatches.append(f"{caller}: refused ({got}) but the database changed")
        matches = got in ("403", "404") if expected == HIDDEN else got == expected
        if not matches:
            mismatches.append(f"{caller}: expected {expected}, got {got} ({response.status_code})")
        elif problems := shape_problems(row, response, got, path):
            mismatches.append(f"{caller}: {'; '.join(problems)}")
    assert not mismatches, f"{row}:\n" + "\n".join(mismatches)


def test_cell_count() -> None:
    """The figure docs/reliability.md gives (pages, desk and API; the admin's are counted
    in test_admin.py)."""
    assert sum(len(row.cells) for row in ROWS) == len(ROWS) * len(CALLERS)


def test_every_role_and_every_key_scope_has_its_callers(world: World) -> None:
    # A role (a group a migration creates) or a key scope added later, without callers
    # holding it in world.py, would leave its column out of the matrix: this fails first.
    groups = set(Group.objects.values_list("name", flat=True))
    assert groups == set(ROLES), "a role was added: give it callers in world.py and its cells in matrix.py"
    held = {group for user in world.users.values() for group in user.groups.values_list("name", flat=True)}
    assert held == set(ROLES)
    held_scopes = ApiKey.objects.filter(revoked_at__isnull=True).values_list("scopes", flat=True)
    scopes = {scope for key_scopes in held_scopes for scope in key_scopes}
    assert scopes == set(ApiKeyScope.values), "a key scope was added: give it key callers in world.py"
    # A scope held alone, too: what it opens by itself is the matrix's business.
    alone = {key_scopes[0] for key_scopes in held_scopes if len(key_scopes) == 1}
    assert alone == set(ApiKeyScope.values), "give the new scope a key holding only it in world.py"
