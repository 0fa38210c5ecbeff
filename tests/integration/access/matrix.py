"""The access matrix: every route of the URL configuration x method x caller -> outcome.

A row is a route (its name, or its pattern when it has none) and a method; its cells say,
for every caller of world.CALLERS, which class of answer the guide promises:

- ``ok``: the caller reaches the view and it does what was asked: 2xx, or a redirect
  other than to a sign-in page;
- ``refused``: the caller reaches the view, and a form or a domain rule (a duplicate, the
  conflict-of-interest rule, nothing held) answers 400 or 409 with its message;
- ``login``: a page sends the visitor to the sign-in page (302 to LOGIN_URL with ?next=);
- ``401``: the API asks for credentials (or refuses a revoked key) in its JSON error shape;
- ``403``, ``404``, ``403-or-404``: refused, or hidden;
- ``405``: the method is not one of the route's.

Pages ignore API keys: a caller with only a key is a visitor there. On the API, a key
needs `read` for GET and `write` for any other method (apikeys.permissions), except on the
orders API, which needs `orders` and nothing else and is for keys only. The admin is one
row family (test_admin.py): Django's own refusals. The company reader (and their `topics`
key) must meet no personal data in any answer (test_matrix.personal_data_patterns).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD
from tests.integration.access.world import (
    ANONYMOUS,
    CARE,
    DIRECTOR,
    KEY_CARE,
    KEY_DIRECTOR_READ,
    KEY_DIRECTOR_READ_WRITE,
    KEY_READ,
    KEY_READ_WRITE,
    KEY_REVOKED,
    KEY_SCOPES,
    KEY_SHOPPER_READ_WRITE,
    KEY_TOPICS,
    KEY_WRITE,
    KEYS,
    MANAGER,
    MODERATOR_ROLE,
    OTHER_MANAGER,
    OTHER_SHOPPER,
    READER,
    SHOPPER_AUTHOR,
    SUPERUSER,
    USERS,
    World,
)

OK, REFUSED, LOGIN = "ok", "refused", "login"
UNAUTHORIZED, FORBIDDEN, NOT_FOUND, HIDDEN, NOT_ALLOWED = "401", "403", "404", "403-or-404", "405"
OUTCOMES = (OK, REFUSED, LOGIN, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, HIDDEN, NOT_ALLOWED)

Cells = dict[str, str]
PathOf = Callable[[World], str]
DataOf = Callable[[World], dict[str, Any]]

VISITORS = (ANONYMOUS, *KEYS)  # on a page, a key is nobody
MANAGERS = (MANAGER, OTHER_MANAGER, DIRECTOR, SUPERUSER)  # manage_own_products (superuser: every permission)
MANAGING_KEYS = (KEY_READ, KEY_READ_WRITE, KEY_DIRECTOR_READ, KEY_DIRECTOR_READ_WRITE)
# Keys refused by the API's default permission (apikeys.permissions.ApiKeyScopePermission):
# without `read` on GET, without `write` on any other method (the revoked key: 401 first).
LIVE_KEYS = tuple(key for key in KEYS if key != KEY_REVOKED)
KEYS_WITHOUT_READ = tuple(key for key in LIVE_KEYS if "read" not in KEY_SCOPES[key])
KEYS_WITHOUT_WRITE = tuple(key for key in LIVE_KEYS if "write" not in KEY_SCOPES[key])
KEYS_WITH_ORDERS = tuple(key for key in LIVE_KEYS if "orders" in KEY_SCOPES[key])
DIRECTORS = (DIRECTOR, SUPERUSER, KEY_DIRECTOR_READ, KEY_DIRECTOR_READ_WRITE)
MODERATORS = (MODERATOR_ROLE, SUPERUSER)
ALL = (ANONYMOUS, *USERS, *KEYS)


def cells(default: str, *overrides: tuple[Iterable[str], str]) -> Cells:
    """Every caller gets ``default``; each (callers, outcome) pair after it overrides."""
    result = dict.fromkeys(ALL, default)
    for callers, outcome in overrides:
        for caller in callers:
            result[caller] = outcome
    return result


@dataclass(frozen=True)
class Row:
    route: str  # the URL name ("desk:notice") or, for an unnamed route, its pattern
    method: str
    path: PathOf
    cells: Cells
    data: DataOf = field(default=lambda world: {})
    api: bool = False
    variant: str = ""  # tells apart two rows of one route and method (another path)

    def __str__(self) -> str:
        return f"{self.method} {self.route}" + (f" ({self.variant})" if self.variant else "")


def named(name: str, **kwargs: Callable[[World], Any]) -> PathOf:
    return lambda world: reverse(name, kwargs={key: value(world) for key, value in kwargs.items()})


# --- Pages -----------------------------------------------------------------------------------
PUBLIC_PAGE = cells(OK)
SIGNED_IN_PAGE = cells(OK, (VISITORS, LOGIN))
AUTHOR_ONLY_PAGE = cells(NOT_FOUND, (VISITORS, LOGIN), ((SHOPPER_AUTHOR,), OK))
# manager_required: product managers (their own products) and quality directors.
DESK_MANAGER_LIST = cells(FORBIDDEN, (VISITORS, LOGIN), (MANAGERS, OK))
DESK_MANAGER_OBJECT = cells(FORBIDDEN, (VISITORS, LOGIN), (MANAGERS, OK), ((OTHER_MANAGER,), NOT_FOUND))
DESK_MANAGER_WRONG_METHOD = cells(FORBIDDEN, (VISITORS, LOGIN), (MANAGERS, NOT_ALLOWED))
# reader_required: the pages that only read products; company readers read every product
# (and act on nothing: every action row above and below refuses them with 403).
DESK_READER_LIST = {**DESK_MANAGER_LIST, READER: OK}
DESK_READER_OBJECT = {**DESK_MANAGER_OBJECT, READER: OK}
DESK_READER_WRONG_METHOD = {**DESK_MANAGER_WRONG_METHOD, READER: NOT_ALLOWED}
DESK_DIRECTOR_ACTION = cells(FORBIDDEN, (VISITORS, LOGIN), ((DIRECTOR, SUPERUSER), OK), ((OTHER_MANAGER,), NOT_FOUND))
DESK_MODERATOR_PAGE = cells(FORBIDDEN, (VISITORS, LOGIN), (MODERATORS, OK))
DESK_MODERATOR_WRONG_METHOD = cells(FORBIDDEN, (VISITORS, LOGIN), (MODERATORS, NOT_ALLOWED))
# Customer care's desk: care members act on every case; product managers (their products'
# cases) and quality directors read them; a case another manager may not read is a 404.
CARE_STAFF = (CARE, SUPERUSER)
DESK_CARE_LIST = cells(FORBIDDEN, (VISITORS, LOGIN), (MANAGERS, OK), (CARE_STAFF, OK))
DESK_CARE_LIST_WRONG_METHOD = cells(FORBIDDEN, (VISITORS, LOGIN), (MANAGERS, NOT_ALLOWED), (CARE_STAFF, NOT_ALLOWED))
DESK_CARE_CASE = {**DESK_CARE_LIST, OTHER_MANAGER: NOT_FOUND}
DESK_CARE_ACTION = cells(FORBIDDEN, (VISITORS, LOGIN), (CARE_STAFF, OK))
DESK_CARE_ACTION_WRONG_METHOD = cells(FORBIDDEN, (VISITORS, LOGIN), (CARE_STAFF, NOT_ALLOWED))
EVERYONE_405 = cells(NOT_ALLOWED)
SIGNED_IN_405 = cells(NOT_ALLOWED, (VISITORS, LOGIN))
BAD_TOKEN = "eyJsaW5lIjoxfQ:not-our-signature"
REVIEW = {"rating": "4", "title": "Fine tent", "body": "Stayed dry for three nights of rain.", "language": "en"}


def _page(route: str, path: PathOf, get: Cells, post: Cells, data: DataOf = lambda world: {}) -> list[Row]:
    return [Row(route, "GET", path, get), Row(route, "POST", path, post, data)]


def _review_pk(world: World) -> int:
    return world.review.pk


def _case(world: World) -> int:
    return world.case.pk


def _notice1(world: World) -> int:
    return world.notice1.pk


def _topic_pk(key: str) -> int:
    from topics.models import Topic

    return Topic.objects.get(key=key).pk


def _first_topic_phrase() -> int:
    """A phrase of the default lists (topics.migrations.0003_default_phrases)."""
    from topics.models import TopicPhrase

    phrase = TopicPhrase.objects.order_by("pk").first()
    assert phrase is not None, "the default topic phrases are missing"
    return phrase.pk


SITE_ROWS = [
    # Probes and metrics answer anyone by address, signed in or not (/metrics: the allowed
    # addresses only, the test client's 127.0.0.1 among them; docs/health-and-metrics.md).
    *_page("healthz", named("healthz"), PUBLIC_PAGE, EVERYONE_405),
    *_page("readyz", named("readyz"), PUBLIC_PAGE, EVERYONE_405),
    *_page("metrics", named("metrics"), PUBLIC_PAGE, EVERYONE_405),
    *_page("home", named("home"), PUBLIC_PAGE, EVERYONE_405),
    *_page("product_list", named("product_list"), PUBLIC_PAGE, EVERYONE_405),
    *_page("product_detail", named("product_detail", sku=lambda w: w.p1.sku), PUBLIC_PAGE, EVERYONE_405),
    *_page("about_reviews", named("about_reviews"), PUBLIC_PAGE, EVERYONE_405),
    # A published review's photo is public; a held review's is its author's and moderators'
    # only, hidden (404) from everyone else, keys included (a key is nobody on a page).
    *_page("product_image", named("product_image", pk=lambda w: w.product_image.pk), PUBLIC_PAGE, EVERYONE_405),
    Row(
        "review_photo",
        "GET",
        named("review_photo", pk=lambda w: w.review_photo.pk, size=lambda w: "thumb"),
        PUBLIC_PAGE,
    ),
    Row(
        "review_photo",
        "GET",
        named("review_photo", pk=lambda w: w.held_photo.pk, size=lambda w: "large"),
        cells(NOT_FOUND, ((OTHER_SHOPPER, *MODERATORS), OK)),
        variant="held",
    ),
    Row(
        "review_photo",
        "POST",
        named("review_photo", pk=lambda w: w.review_photo.pk, size=lambda w: "full"),
        EVERYONE_405,
    ),
    *_page(
        "review_create",
        named("review_create", sku=lambda w: w.p1.sku),
        SIGNED_IN_PAGE,
        # The author and the other shopper (its held review H) already reviewed P1: 409; P1's
        # manager may not review it: the form says so (400; the API answers 403).
        {**SIGNED_IN_PAGE, SHOPPER_AUTHOR: REFUSED, OTHER_SHOPPER: REFUSED, MANAGER: FORBIDDEN},
        lambda w: REVIEW,
    ),
    *_page("review_mine", named("review_mine"), SIGNED_IN_PAGE, SIGNED_IN_405),
    *_page("review_edit", named("review_edit", pk=_review_pk), AUTHOR_ONLY_PAGE, AUTHOR_ONLY_PAGE, lambda w: REVIEW),
    *_page("review_delete", named("review_delete", pk=_review_pk), AUTHOR_ONLY_PAGE, AUTHOR_ONLY_PAGE),
    *_page(
        "review_vote",
        named("review_vote", pk=_review_pk),
        EVERYONE_405,
        cells(OK, (VISITORS, LOGIN), ((SHOPPER_AUTHOR,), FORBIDDEN)),  # not on one's own review
        lambda w: {"helpful": "yes"},
    ),
    *_page(
        "review_report",
        named("review_report", pk=_review_pk),
        SIGNED_IN_PAGE,
        # Not one's own review: the form says so (400; the API answers 403).
        {**SIGNED_IN_PAGE, SHOPPER_AUTHOR: FORBIDDEN},
        lambda w: {"reason": "spam", "comment": ""},
    ),
    *_page(
        "login",
        named("login"),
        PUBLIC_PAGE,
        PUBLIC_PAGE,
        lambda w: {"username": w.users[SHOPPER_AUTHOR].username, "password": PASSWORD},
    ),
    *_page("logout", named("logout"), EVERYONE_405, PUBLIC_PAGE),
    *_page(
        "signup",
        named("signup"),
        PUBLIC_PAGE,
        PUBLIC_PAGE,
        lambda w: {
            "username": "newcomer",
            "email": "newcomer@example.com",
            "display_name": "Sam",
            "language": "en",
            "password1": "a-long-test-password-42",
            "password2": "a-long-test-password-42",
        },
    ),
    *_page("signup_done", named("signup_done"), PUBLIC_PAGE, EVERYONE_405),
    *_page("email_verify_send", named("email_verify_send"), SIGNED_IN_PAGE, SIGNED_IN_PAGE),
    *_page("email_verify", named("email_verify", token=lambda w: w.verify_token), PUBLIC_PAGE, PUBLIC_PAGE),
    *_page(
        "profile",
        named("profile"),
        SIGNED_IN_PAGE,
        SIGNED_IN_PAGE,
        lambda w: {"display_name": "Renamed", "email": "renamed@example.com", "language": "en"},
    ),
    *_page("language_set", named("language_set"), EVERYONE_405, PUBLIC_PAGE, lambda w: {"language": "fr"}),
    *_page("password_reset", named("password_reset"), PUBLIC_PAGE, PUBLIC_PAGE, lambda w: {"email": "x@example.com"}),
    *_page("password_reset_done", named("password_reset_done"), PUBLIC_PAGE, EVERYONE_405),
    *_page(
        "password_reset_confirm",
        named("password_reset_confirm", uidb64=lambda w: w.reset_uid, token=lambda w: w.reset_token),
        PUBLIC_PAGE,
        PUBLIC_PAGE,
    ),
    *_page("password_reset_complete", named("password_reset_complete"), PUBLIC_PAGE, EVERYONE_405),
    *_page(
        "password_change",
        named("password_change"),
        SIGNED_IN_PAGE,
        SIGNED_IN_PAGE,
        lambda w: {
            "old_password": PASSWORD,
            "new_password1": "another-long-pass-43",
            "new_password2": "another-long-pass-43",
        },
    ),
    *_page(
        "password_change_done",
        named("password_change_done"),
        SIGNED_IN_PAGE,
        cells(NOT_ALLOWED, (VISITORS, LOGIN)),
    ),
    *_page("set_language", named("set_language"), PUBLIC_PAGE, PUBLIC_PAGE, lambda w: {"language": "fr"}),
    # An invitation's links: the token is the credential, whoever opens it (signed in or not)
    # writes the customer's review or unsubscribes the customer. A link that is not one of
    # ours is the "invalid link" page, 403 (reviews.verified.LINK_PROBLEM_STATUS).
    *_page(
        "invitation_review",
        named("invitation_review", token=lambda w: w.invitation_token),
        PUBLIC_PAGE,
        PUBLIC_PAGE,
        lambda w: {**REVIEW, "author_name": "Camille"},
    ),
    *_page(
        "invitation_unsubscribe",
        named("invitation_unsubscribe", token=lambda w: w.unsubscribe_token),
        PUBLIC_PAGE,
        PUBLIC_PAGE,
    ),
    # Care's reply link and the thanks emails' unsubscribe link: the token is the credential.
    *_page(
        "care_reply",
        named("care_reply", token=lambda w: w.reply_token),
        PUBLIC_PAGE,
        PUBLIC_PAGE,
        lambda w: {"body": "A size L, please."},
    ),
    *_page("thanks_unsubscribe", named("thanks_unsubscribe", token=lambda w: w.thanks_token), PUBLIC_PAGE, PUBLIC_PAGE),
    *[
        Row(name, method, named(name, token=lambda w: BAD_TOKEN), cells(FORBIDDEN), data, variant="bad token")
        for name, data in (
            ("invitation_review", lambda w: {**REVIEW, "author_name": "Camille"}),
            ("invitation_unsubscribe", lambda w: {}),
            ("care_reply", lambda w: {"body": "A size L, please."}),
            ("thanks_unsubscribe", lambda w: {}),
        )
        for method in ("GET", "POST")
    ],
]

DESK_ROWS = [
    # The desk's home: a moderator or a care member who manages nothing is sent on to their
    # queue, a company reader to the products (a redirect).
    Row(
        "desk:notices",
        "GET",
        named("desk:notices"),
        cells(FORBIDDEN, (VISITORS, LOGIN), (MANAGERS, OK), (MODERATORS, OK), ((CARE, READER), OK)),
    ),
    Row(
        "desk:notices",
        "POST",
        named("desk:notices"),
        cells(
            FORBIDDEN,
            (VISITORS, LOGIN),
            (MANAGERS, NOT_ALLOWED),
            (MODERATORS, NOT_ALLOWED),
            ((CARE, READER), NOT_ALLOWED),
        ),
    ),
    *_page("desk:notice", named("desk:notice", pk=_notice1), DESK_MANAGER_OBJECT, DESK_MANAGER_WRONG_METHOD),
    *[
        row
        for name, data in (
            ("desk:notice_acknowledge", lambda w: {}),
            ("desk:notice_assign", lambda w: {"assignee": ""}),
            ("desk:notice_comment", lambda w: {"body": "Asked the supplier."}),
            ("desk:notice_improvement", lambda w: {"description": "New zip supplier.", "addressed_phrases": []}),
        )
        for row in _page(name, named(name, pk=_notice1), DESK_MANAGER_WRONG_METHOD, DESK_MANAGER_OBJECT, data)
    ],
    *_page(
        "desk:improvement_requests", named("desk:improvement_requests"), DESK_MANAGER_LIST, DESK_MANAGER_WRONG_METHOD
    ),
    # Only quality directors decide; the product's manager sees the request but is refused.
    *_page(
        "desk:improvement_request_approve",
        named("desk:improvement_request_approve", pk=lambda w: w.improvement_request.pk),
        DESK_MANAGER_WRONG_METHOD,
        DESK_DIRECTOR_ACTION,
    ),
    *_page(
        "desk:improvement_request_reject",
        named("desk:improvement_request_reject", pk=lambda w: w.improvement_request.pk),
        DESK_MANAGER_WRONG_METHOD,
        DESK_DIRECTOR_ACTION,
        lambda w: {f"reject-{w.improvement_request.pk}-reason": "Not a fix of the zip."},
    ),
    *_page("desk:products", named("desk:products"), DESK_READER_LIST, DESK_READER_WRONG_METHOD),
    *_page(
        "desk:product_reviews",
        named("desk:product_reviews", sku=lambda w: w.p1.sku),
        DESK_READER_OBJECT,
        DESK_READER_WRONG_METHOD,
    ),
    # The shopper's review R among the high ones: a page naming an account (what the company
    # reader must see of it is its display name alone).
    Row(
        "desk:product_reviews",
        "GET",
        lambda w: reverse("desk:product_reviews", kwargs={"sku": w.p1.sku}) + "?stars=high&topic=",
        DESK_READER_OBJECT,
        variant="R among the high ratings",
    ),
    *_page(
        "desk:review_reply",
        named("desk:review_reply", pk=_review_pk),
        DESK_MANAGER_OBJECT,
        DESK_MANAGER_OBJECT,
        lambda w: {"body": "Sorry: bring it back to any store."},
    ),
    *_page("desk:moderation", named("desk:moderation"), DESK_MODERATOR_PAGE, DESK_MODERATOR_WRONG_METHOD),
    *_page(
        "desk:moderation_decide",
        named("desk:moderation_decide"),
        DESK_MODERATOR_WRONG_METHOD,
        DESK_MODERATOR_PAGE,
        lambda w: {"decision": f"approve:{w.held.pk}"},
    ),
    *_page(
        "desk:moderation_burst_decide",
        named("desk:moderation_burst_decide", product_id=lambda w: w.p2.pk),
        DESK_MODERATOR_WRONG_METHOD,
        DESK_MODERATOR_PAGE,
        lambda w: {"decision": "release:all", "statement": "Checked: real customers after a TV spot."},
    ),
    # One photo taken down (desk.photo_takedown): moderators only; R's photo, R staying published.
    *_page(
        "desk:moderation_photo_remove",
        named("desk:moderation_photo_remove", pk=lambda w: w.review_photo.pk),
        DESK_MODERATOR_PAGE,
        DESK_MODERATOR_PAGE,
        lambda w: {"reason": "spam", "note": ""},
    ),
    *_page("desk:care_queue", named("desk:care_queue"), DESK_CARE_LIST, DESK_CARE_LIST_WRONG_METHOD),
    *_page("desk:care_case", named("desk:care_case", pk=_case), DESK_CARE_CASE, DESK_CARE_LIST_WRONG_METHOD),
    *[
        row
        for name, data in (
            ("desk:care_case_take", lambda w: {}),
            ("desk:care_case_assign", lambda w: {"assignee": str(w.users[CARE].pk)}),
            ("desk:care_case_message", lambda w: {"body": "Your replacement left today."}),
            ("desk:care_case_close", lambda w: {"outcome": "refunded_replaced", "note": ""}),
        )
        for row in _page(name, named(name, pk=_case), DESK_CARE_ACTION_WRONG_METHOD, DESK_CARE_ACTION, data)
    ],
    *_page("desk:kpis", named("desk:kpis"), DESK_READER_LIST, DESK_READER_WRONG_METHOD),
    *_page("desk:kpis_csv", named("desk:kpis_csv"), DESK_READER_LIST, DESK_READER_WRONG_METHOD),
    # The topics (docs/topics.md): readers, managers and quality directors read the figures
    # and the phrase lists; only quality directors add and remove phrases.
    *_page("desk:topics", named("desk:topics"), DESK_READER_LIST, DESK_READER_WRONG_METHOD),
    *_page(
        "desk:topic_phrases",
        named("desk:topic_phrases"),
        DESK_READER_LIST,
        cells(FORBIDDEN, (VISITORS, LOGIN), ((DIRECTOR, SUPERUSER), OK)),
        lambda w: {"topic": str(_topic_pk("delivery")), "language": "en", "phrase": "parcel left in the rain"},
    ),
    *_page(
        "desk:topic_phrase_delete",
        named("desk:topic_phrase_delete", pk=lambda w: _first_topic_phrase()),
        cells(FORBIDDEN, (VISITORS, LOGIN), ((DIRECTOR, SUPERUSER), NOT_ALLOWED)),
        cells(FORBIDDEN, (VISITORS, LOGIN), ((DIRECTOR, SUPERUSER), OK)),
    ),
]

# --- API -------------------------------------------------------------------------------------
API_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
NO_CREDENTIALS = (ANONYMOUS, KEY_REVOKED)


def api_rows(
    route: str,
    path: PathOf,
    by_method: dict[str, Cells],
    data: DataOf = lambda world: {},
    *,
    gate: Cells | None = None,
    scope_by_method: bool = True,
) -> list[Row]:
    """Every method of API_METHODS: those not in ``by_method`` are not the route's.
    ``gate`` is the verdict of the route's permission classes (None: the API's defaults,
    IsAuthenticatedOrReadOnly and the key's scope); ``scope_by_method`` False: the route
    does not apply the read/write rule (an endpoint reserved to one scope: its gate says)."""
    rows = []
    for method in API_METHODS:
        cells_of_method = by_method.get(method) or api_not_allowed(method, gate, scope_by_method=scope_by_method)
        rows.append(Row(route, method, path, cells_of_method, data, api=True))
    return rows


def api_not_allowed(method: str, gate: Cells | None, *, scope_by_method: bool = True) -> Cells:
    """DRF authenticates and checks permissions before it looks at the method: a wrong
    method is a 405 only for a caller the route's permissions let through (a key without
    `write` never writes, one without `read` never reads)."""
    safe = method == "GET"
    lacking = KEYS_WITHOUT_READ if safe else KEYS_WITHOUT_WRITE
    result = {}
    for caller in ALL:
        verdict = gate[caller] if gate is not None else OK
        if caller == KEY_REVOKED or (caller == ANONYMOUS and not (gate is None and safe)):
            result[caller] = UNAUTHORIZED
        elif verdict == FORBIDDEN or (scope_by_method and caller in lacking):
            result[caller] = FORBIDDEN
        else:
            result[caller] = NOT_ALLOWED
    return result


# Public data: anyone, but a key without `read` is refused (it may drop its header).
PUBLIC_READ = cells(OK, ((KEY_REVOKED,), UNAUTHORIZED), (KEYS_WITHOUT_READ, FORBIDDEN))
# Writes open to any signed-in user and any key holding `write` (other keys: 403).
SIGNED_IN_WRITE = cells(OK, (NO_CREDENTIALS, UNAUTHORIZED), (KEYS_WITHOUT_WRITE, FORBIDDEN))
# withdrawal notices, improvement requests: product managers and quality directors.
# The roles' verdict (a route's `gate`): the manager's `write`-only key passes it and then
# meets the read/write rule (no GET; a wrong method is a 405).
MANAGER_GATE = cells(FORBIDDEN, (NO_CREDENTIALS, UNAUTHORIZED), (MANAGERS, OK), ((*MANAGING_KEYS, KEY_WRITE), OK))
MANAGER_READ = {**MANAGER_GATE, KEY_WRITE: FORBIDDEN}
MANAGER_OBJECT_READ = {**MANAGER_READ, OTHER_MANAGER: NOT_FOUND}
MANAGER_WRITE = {**MANAGER_GATE, KEY_READ: FORBIDDEN, KEY_DIRECTOR_READ: FORBIDDEN}
DIRECTOR_DECISION = cells(
    FORBIDDEN,
    (NO_CREDENTIALS, UNAUTHORIZED),
    ((DIRECTOR, SUPERUSER, KEY_DIRECTOR_READ_WRITE), OK),
    ((OTHER_MANAGER,), NOT_FOUND),
)
DIRECTOR_READ = cells(FORBIDDEN, (NO_CREDENTIALS, UNAUTHORIZED), (DIRECTORS, OK))
DIRECTOR_WRITE = {**DIRECTOR_READ, KEY_DIRECTOR_READ: FORBIDDEN}
OWN_REVIEW_REFUSED = {**SIGNED_IN_WRITE, SHOPPER_AUTHOR: FORBIDDEN, KEY_SHOPPER_READ_WRITE: FORBIDDEN}
# The author and the other shopper (H) already reviewed P1 (409); its managers may not review it (conflict of interest).
REVIEW_POST = {
    **SIGNED_IN_WRITE,
    SHOPPER_AUTHOR: REFUSED,
    KEY_SHOPPER_READ_WRITE: REFUSED,
    OTHER_SHOPPER: REFUSED,
    MANAGER: FORBIDDEN,
    KEY_READ_WRITE: FORBIDDEN,
    KEY_WRITE: FORBIDDEN,
}
ORDERS_API = cells(FORBIDDEN, (NO_CREDENTIALS, UNAUTHORIZED), (KEYS_WITH_ORDERS, OK))
# The care figures: keys holding `care` whose owner reads care figures (a care member, a
# manager, a quality director); sessions 403 (keys only).
CARE_API = cells(FORBIDDEN, (NO_CREDENTIALS, UNAUTHORIZED), ((KEY_CARE,), OK))
# The topic figures: keys holding `topics` whose owner reads products (a company reader, a
# manager, a quality director); sessions 403 (keys only).
TOPICS_API = cells(FORBIDDEN, (NO_CREDENTIALS, UNAUTHORIZED), ((KEY_TOPICS,), OK))
# The schema and its viewers let anyone in (drf-spectacular's SERVE_PERMISSIONS): a wrong
# method is a 405 even for a visitor or a read key; a revoked key is still refused.
DOCS_WRONG_METHOD = cells(NOT_ALLOWED, ((KEY_REVOKED,), UNAUTHORIZED))
DOCS = {
    "GET": cells(OK, ((KEY_REVOKED,), UNAUTHORIZED)),
    **dict.fromkeys(("POST", "PUT", "PATCH", "DELETE"), DOCS_WRONG_METHOD),
}


def _sku1(world: World) -> str:
    return world.p1.sku


API_ROWS = [
    *api_rows("api-root", named("api-root"), {"GET": PUBLIC_READ}),
    *api_rows("product-list", named("product-list"), {"GET": PUBLIC_READ}),
    *api_rows("product-detail", named("product-detail", sku=_sku1), {"GET": PUBLIC_READ}),
    *api_rows("rating-list", named("rating-list"), {"GET": PUBLIC_READ}),
    *api_rows(
        "product-review-list",
        named("product-review-list", product_sku=_sku1),
        {"GET": PUBLIC_READ, "POST": REVIEW_POST},
        lambda w: {"rating": 4, "title": "Fine", "body": "Long enough to be a review body."},
    ),
    # The author edits their review (its recommend answer among its fields).
    *api_rows(
        "review-detail",
        named("review-detail", pk=_review_pk),
        {
            "GET": PUBLIC_READ,
            "PATCH": cells(FORBIDDEN, (NO_CREDENTIALS, UNAUTHORIZED), ((SHOPPER_AUTHOR, KEY_SHOPPER_READ_WRITE), OK)),
        },
        lambda w: {"recommend": 8},
    ),
    *api_rows(
        "review-votes",
        named("review-votes", pk=_review_pk),
        {"POST": OWN_REVIEW_REFUSED},
        lambda w: {"helpful": True},
    ),
    *api_rows(
        "review-reports",
        named("review-reports", pk=_review_pk),
        {"POST": OWN_REVIEW_REFUSED},
        lambda w: {"reason": "spam"},
    ),
    *api_rows(
        "product-improvement-list",
        named("product-improvement-list", product_sku=_sku1),
        {"POST": {**MANAGER_WRITE, OTHER_MANAGER: HIDDEN}},
        lambda w: {"description": "Changed the zip supplier.", "public_note": "", "addressed_phrases": []},
        gate=MANAGER_GATE,
    ),
    *api_rows("gate-event-list", named("gate-event-list"), {"GET": PUBLIC_READ}),
    *api_rows("gate-event-detail", named("gate-event-detail", pk=lambda w: w.event1.pk), {"GET": PUBLIC_READ}),
    *api_rows("gate-notice-list", named("gate-notice-list"), {"GET": MANAGER_READ}, gate=MANAGER_GATE),
    *api_rows(
        "gate-notice-detail", named("gate-notice-detail", pk=_notice1), {"GET": MANAGER_OBJECT_READ}, gate=MANAGER_GATE
    ),
    *api_rows(
        "gate-improvement-request-list",
        named("gate-improvement-request-list"),
        {"GET": MANAGER_READ},
        gate=MANAGER_GATE,
    ),
    *api_rows(
        "gate-improvement-request-detail",
        named("gate-improvement-request-detail", pk=lambda w: w.improvement_request.pk),
        {"GET": MANAGER_OBJECT_READ},
        gate=MANAGER_GATE,
    ),
    *api_rows(
        "gate-improvement-request-approve",
        named("gate-improvement-request-approve", pk=lambda w: w.improvement_request.pk),
        {"POST": DIRECTOR_DECISION},
        gate=MANAGER_GATE,
    ),
    *api_rows(
        "gate-improvement-request-reject",
        named("gate-improvement-request-reject", pk=lambda w: w.improvement_request.pk),
        {"POST": DIRECTOR_DECISION},
        lambda w: {"reason": "Not a fix of the zip."},
        gate=MANAGER_GATE,
    ),
    *api_rows(
        "webhook-list",
        named("webhook-list"),
        {"GET": DIRECTOR_READ, "POST": DIRECTOR_WRITE},
        lambda w: {"url": "https://erp.example.com/hooks/other", "events": ["flagged"]},
        gate=DIRECTOR_READ,
    ),
    *api_rows(
        "webhook-detail",
        named("webhook-detail", pk=lambda w: w.webhook.pk),
        {"GET": DIRECTOR_READ, "DELETE": DIRECTOR_WRITE},
        gate=DIRECTOR_READ,
    ),
    *api_rows(
        "webhook-deliveries",
        named("webhook-deliveries", pk=lambda w: w.webhook.pk),
        {"GET": DIRECTOR_READ},
        gate=DIRECTOR_READ,
    ),
    *api_rows("invitation-figures-list", named("invitation-figures-list"), {"GET": MANAGER_READ}, gate=MANAGER_GATE),
    # The orders API: keys holding `orders`, whatever the method; sessions 403 (keys only).
    *api_rows(
        "order-list",
        named("order-list"),
        {"GET": ORDERS_API, "POST": ORDERS_API},
        lambda w: {
            "order_id": "MATRIX-NEW-1",
            "customer": {"email": "new.customer@example.com", "name": "Noa", "language": "en"},
            "purchased_at": "2026-01-05T10:00:00+01:00",
            "lines": [{"sku": w.p1.sku, "quantity": 1}],
        },
        gate=ORDERS_API,
        scope_by_method=False,
    ),
    *api_rows(
        "order-detail",
        named("order-detail", order_id=lambda w: w.order.order_id),
        {"GET": ORDERS_API, "PATCH": ORDERS_API},
        lambda w: {"refunded_at": timezone.now().isoformat()},
        gate=ORDERS_API,
        scope_by_method=False,
    ),
    *api_rows(
        "care-figures-list",
        named("care-figures-list"),
        {"GET": CARE_API},
        gate=CARE_API,
        scope_by_method=False,
    ),
    *api_rows(
        "topic-figures-list",
        named("topic-figures-list"),
        {"GET": TOPICS_API},
        gate=TOPICS_API,
        scope_by_method=False,
    ),
    *api_rows("schema", named("schema"), DOCS),
    *api_rows("swagger-ui", named("swagger-ui"), DOCS),
    *api_rows("redoc", named("redoc"), DOCS),
    # Any other path under /api/: the API's JSON 404, whoever asks.
    *[Row("api/^", method, lambda w: "/api/v2/nothing/", cells(NOT_FOUND), api=True) for method in API_METHODS],
]

ROWS = SITE_ROWS + DESK_ROWS + API_ROWS
