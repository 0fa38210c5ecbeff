"""Issue 14, item 9: the XSS corpus (tests/browser/xss_payloads.txt) stored in every
user-writable text field (tests/browser/xss_world.py says which and why) stays inert
everywhere it is shown, in headless Chromium: the shopper's pages, the desk, the admin;
the JSON-LD parses back to the same strings; the emails are plain text carrying the
payloads as typed. On each page: no payload's marker function ran, no dialog opened, no
element or attribute came from a payload, no CSP violation, and each payload is shown as
the text it is (tests/browser/xss_checks.py).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from typing import Any
from unittest import mock
from urllib.parse import urlencode

import pytest
from django.core import mail
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.roles import PRODUCT_MANAGER
from apikeys.models import ApiKey
from desk.models import AuditEntry, NoticeComment
from desk.services import desk_reply_post, notice_assign
from gate.models import Improvement, ImprovementRequest
from gate.services.approvals import improvement_request_reject, improvement_request_submit
from notifications.delivery import outbox_sweep
from notifications.models import DeliveryAttempt, OutboxMessage, WebhookEndpoint
from reviews.models import BrandReply, Review, ReviewReport
from tests.browser.conftest import screenshot
from tests.browser.xss_checks import INJECTED, MARKER_INIT, Findings
from tests.browser.xss_routes import route_urls
from tests.browser.xss_world import (
    FLAGGED_SKU,
    MAIN_SKU,
    XssWorld,
    payload_image_url,
    payload_sku,
    payloads_load,
    xss_world_build,
)
from tests.factories import PASSWORD, user_create
from tests.integration.desk.factories import DESK_SETTINGS, flagged_story

# Each test stores the corpus through a live server (serialized_rollback, like every
# browser test: see tests/browser/test_shopper_site.py); the CSP walk needs neither.
IN_CHROMIUM = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _in_chromium(test: Any) -> Any:
    for mark in IN_CHROMIUM:
        test = mark(test)
    return test


CATALOGUE_PAGE_SIZE = 24
REVIEWS_PAGE_SIZE = 10
DESK_PRODUCTS_PAGE_SIZE = 25
QUEUE_PAGE_SIZE = 50
ADMIN_PAGE_SIZE = 100


@pytest.fixture(autouse=True)
def _desk_settings(settings: Any) -> None:
    for name, value in DESK_SETTINGS.items():
        setattr(settings, name, value)


@pytest.fixture
def world() -> XssWorld:
    return xss_world_build()


def _pages(count: int, size: int) -> range:
    return range(1, math.ceil(count / size) + 1)


def _sign_in(page: Any, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert "/accounts/login/" not in page.url, f"{username} could not sign in"


def _visit(page: Any, findings: Findings, world: XssWorld, base: str, place: str, paths: list[str]) -> None:
    for path in paths:
        response = page.goto(base + path)
        assert response is not None and response.status == 200, (path, response and response.status)
        findings.page_check(page, place=place, payloads=world.payloads, url=path)


def _shopper_paths(world: XssWorld) -> Iterator[tuple[str, list[str]]]:
    count = len(world.payloads)
    yield "catalogue", [f"/products/?page={n}" for n in _pages(count + 2, CATALOGUE_PAGE_SIZE)]
    yield "product page", [f"/products/{MAIN_SKU}/?page={n}" for n in _pages(count, REVIEWS_PAGE_SIZE)]
    yield "transparency", ["/about/reviews/", f"/products/{FLAGGED_SKU}/"]
    # The review search marks the words found inside the stored payloads (every page of a
    # word most payloads hold), and shows the query back (field, count line, refusal):
    # payloads as queries, the longer ones refused with their text kept in the field.
    product = f"/products/{MAIN_SKU}/"
    yield (
        "review search",
        [
            *[f"{product}?{urlencode({'q': 'xss', 'page': n})}" for n in _pages(count, REVIEWS_PAGE_SIZE)],
            *[f"{product}?{urlencode({'q': word})}" for word in ("script", "img src", "svg onload", "javascript", "a")],
            *[f"{product}?{urlencode({'q': payload})}" for payload in world.payloads[::7]],
        ],
    )


def _json_ld(page: Any) -> dict[str, Any]:
    """The page's one JSON-LD block, parsed: a payload that closed the element would have
    cut it short (json.loads fails) or left "</script" in it."""
    [raw] = page.locator('script[type="application/ld+json"]').all_text_contents()
    assert "</script" not in raw.lower() and "<!--" not in raw
    data: dict[str, Any] = json.loads(raw)
    return data


def _json_ld_check(page: Any, world: XssWorld, base: str) -> None:
    """The main product's JSON-LD, page by page, holds every review's strings exactly as
    stored; product i's holds payload i as its name and description."""
    names: list[str] = []
    bodies: list[str] = []
    for n in _pages(len(world.payloads), REVIEWS_PAGE_SIZE):
        page.goto(f"{base}/products/{MAIN_SKU}/?page={n}")
        data = _json_ld(page)
        assert (data["name"], data["description"]) == (world.main.name, world.main.description)
        names += [review["name"] for review in data.get("review", [])]
        bodies += [review["reviewBody"] for review in data.get("review", [])]
        assert {review["author"]["name"] for review in data.get("review", [])} <= {p[:60] for p in world.payloads}
    assert names and set(names) <= set(world.payloads) and set(bodies) <= set(world.payloads)


@_in_chromium
def test_corpus_is_inert_on_the_shoppers_pages_and_the_desk(
    page: Any, live_server: Any, world: XssWorld, watch: Any
) -> None:
    base = live_server.url
    page.context.add_init_script(MARKER_INIT)
    findings = Findings()
    for place, paths in _shopper_paths(world):
        _visit(page, findings, world, base, place, paths)
    _json_ld_check(page, world, base)
    for number, payload in enumerate(world.payloads):
        _visit(page, findings, world, base, "product pages", [f"/products/{payload_sku(number)}/"])
        data = _json_ld(page)
        assert (data["name"], data["description"], data["brand"]["name"]) == (payload, payload, payload[:100])
        assert data["image"] == payload_image_url(number, payload)
        assert page.locator("img.product-image").get_attribute("src") == payload_image_url(number, payload)
        [review] = data["review"]
        assert (review["name"], review["reviewBody"], review["author"]["name"]) == (payload, payload, payload[:60])
    page.goto(f"{base}/products/{MAIN_SKU}/")
    screenshot(page, "xss-corpus-product-page", full_page=False)
    page.locator(".review-title").first.scroll_into_view_if_needed()
    screenshot(page, "xss-corpus-product-reviews", full_page=False)

    _sign_in(page, base, world.shopper.username)
    _visit(
        page,
        findings,
        world,
        base,
        "account",
        [
            "/reviews/mine/",
            "/accounts/profile/",
            f"/reviews/{world.reviews[0].pk}/edit/",
            f"/reviews/{world.reviews[1].pk}/report/",
        ],
    )
    _sign_in(page, base, world.manager.username)
    notice = world.flagged.notice.pk
    _visit(
        page,
        findings,
        world,
        base,
        "desk",
        [
            "/desk/",
            f"/desk/notices/{notice}/",
            *[f"/desk/products/?page={n}" for n in _pages(len(world.payloads) + 2, DESK_PRODUCTS_PAGE_SIZE)],
            *[f"/desk/products/{MAIN_SKU}/reviews/?page={n}" for n in _pages(len(world.payloads), REVIEWS_PAGE_SIZE)],
            f"/desk/reviews/{world.reviews[0].pk}/reply/",
            "/desk/kpis/",
            # Grouped by product, product names are row headers (100 rows a page).
            "/desk/kpis/?group=product",
            "/desk/kpis/?group=product&page=2",
        ],
    )
    _sign_in(page, base, world.moderator.username)
    _visit(
        page,
        findings,
        world,
        base,
        "moderation",
        [f"/desk/moderation/?reported_page={n}" for n in _pages(len(world.payloads), QUEUE_PAGE_SIZE)],
    )
    _sign_in(page, base, world.director.username)
    _visit(page, findings, world, base, "approvals", ["/desk/improvements/requests/", f"/desk/notices/{notice}/"])

    assert findings.problems == [], "\n".join(findings.problems[:40])
    assert watch.dialogs == []
    for place in ("catalogue", "product page", "product pages", "desk", "moderation", "approvals"):
        assert findings.missing(place, world.payloads) == [], place
    print(
        f"\n{len(world.payloads)} payloads, {findings.pages} pages, shown: "
        + ", ".join(f"{place} {len(seen)}" for place, seen in findings.shown.items())
    )


# Change forms are visited for a spread of payloads (each form shows one object); the
# change lists show every payload, 100 rows a page.
CHANGE_FORM_SAMPLE = 23


def _admin_objects(world: XssWorld, number: int) -> dict[str, int]:
    """The admin's models that hold user text -> the pk of the object holding payload ``number``."""
    payload = world.payloads[number]
    review = world.reviews[number]
    product = world.products[number]
    return {
        "accounts_user": User.objects.get(username=f"xss{number}").pk,
        "products_category": int(product.category_id or 0),
        "products_product": product.pk,
        "reviews_review": review.pk,
        "reviews_reviewreport": ReviewReport.objects.get(review=review).pk,
        "reviews_brandreply": BrandReply.objects.get(review=review).pk,
        "gate_improvement": Improvement.objects.get(product=product).pk,
        "gate_improvementrequest": ImprovementRequest.objects.get(product=product).pk,
        "desk_noticecomment": NoticeComment.objects.filter(body=payload).order_by("pk")[0].pk,
        "desk_auditentry": AuditEntry.objects.filter(actor_name=payload[:150]).order_by("pk")[0].pk,
        "apikeys_apikey": ApiKey.objects.get(prefix=f"x{number:07d}").pk,
        "notifications_webhookendpoint": WebhookEndpoint.objects.get(
            url__startswith=f"https://hooks.example/{number}?"
        ).pk,
        "notifications_outboxmessage": OutboxMessage.objects.get(dedupe_key=f"xss:{number}").pk,
        "notifications_deliveryattempt": DeliveryAttempt.objects.get(message__dedupe_key=f"xss:{number}").pk,
    }


@_in_chromium
def test_corpus_is_inert_in_the_admin(page: Any, live_server: Any, world: XssWorld, watch: Any) -> None:
    base = live_server.url
    page.context.add_init_script(MARKER_INIT)
    findings = Findings()
    _sign_in(page, base, world.superuser.username)
    models = list(_admin_objects(world, 0))
    for model in models:
        app, name = model.split("_", 1)
        pages = _pages(len(world.payloads), ADMIN_PAGE_SIZE)
        _visit(page, findings, world, base, f"list {model}", [f"/admin/{app}/{name}/?p={n}" for n in pages])
    for number in range(0, len(world.payloads), CHANGE_FORM_SAMPLE):
        for model, pk in _admin_objects(world, number).items():
            _visit(page, findings, world, base, f"form {model}", [reverse(f"admin:{model}_change", args=[pk])])
    _visit(
        page,
        findings,
        world,
        base,
        "form products_product",
        [
            reverse("admin:products_product_change", args=[world.main.pk])  # the whole corpus in one description
        ],
    )
    assert findings.problems == [], "\n".join(findings.problems[:40])
    assert watch.dialogs == []
    shown_in_lists = set().union(*(findings.shown.get(f"list {model}", set()) for model in models))
    assert shown_in_lists == set(range(len(world.payloads)))
    assert findings.missing("form products_product", world.payloads) == []
    print(
        f"\n{findings.pages} admin pages, shown: "
        + ", ".join(f"{place} {len(seen)}" for place, seen in sorted(findings.shown.items()))
    )


def _raw_page(payload: str) -> str:
    """The payload written without escaping: as text, as a quoted attribute of each kind, as a link."""
    return (
        f"<!doctype html><html><head><title>raw</title></head><body><main><p>{payload}</p>"
        f'<input value="{payload}"><a href="/" title=\'{payload}\'>x</a><a href="{payload}">y</a></main></body></html>'
    )


# Payloads the HTML parser itself leaves inert even when written raw into a text node: a
# "<" not followed by an ASCII letter is text, a comment is a comment, "/" before an
# attribute name glues it into the src value, <frameset> is ignored inside a body.
PARSER_INERT = ("<!--", "<img/src=x/onerror=", "<frameset ")


def _markup_bearing(payload: str) -> bool:
    return bool(re.search(r"<[A-Za-z]", payload)) and not payload.startswith(PARSER_INERT)


@pytest.mark.browser
@pytest.mark.slow
def test_the_checks_catch_each_payload_written_raw(browser: Any) -> None:
    """Proof the page checks can fail: each payload that carries markup or a javascript:
    URL, written unescaped into a page (no CSP there), runs or leaves markup that the
    checks report."""
    payloads = payloads_load()
    context = browser.new_context()
    context.add_init_script(MARKER_INIT)
    dialogs: list[str] = []
    page = context.new_page()

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    caught: set[int] = set()
    for number, payload in enumerate(payloads):
        dialogs.clear()
        page.goto("about:blank")  # a fresh window: nothing left over from the last payload
        page.set_content(_raw_page(payload), wait_until="load")
        page.mouse.move(10, 10)
        page.mouse.move(200, 60)
        if page.evaluate(INJECTED) or page.evaluate("() => window.__xssFired || []") or dialogs:
            caught.add(number)
    context.close()
    must_catch = {n for n, payload in enumerate(payloads) if _markup_bearing(payload) or "script:" in payload.lower()}
    print(
        f"\nraw: {len(caught)} of {len(payloads)} payloads caught; not caught: "
        f"{[payloads[n] for n in range(len(payloads)) if n not in caught]}"
    )
    assert must_catch - caught == set(), [payloads[n] for n in sorted(must_catch - caught)]
    assert len(caught) >= 100


def _squash(text: str) -> str:
    return " ".join(text.split())


def _emails_write(world: XssWorld) -> None:
    """Through the services: a brand reply to shopper i's review of product i, and an
    improvement request on product i rejected for reason i (payload i in each)."""
    products = world.products
    for payload, product in zip(world.payloads, products, strict=True):
        desk_reply_post(review=Review.objects.get(product=product), by=world.manager, body=payload)
    ImprovementRequest.objects.filter(state=ImprovementRequest.State.PENDING).delete()
    for payload, product in zip(world.payloads, products, strict=True):
        request = improvement_request_submit(
            product=product, by=world.manager, description=payload, public_note=payload
        )
        assert isinstance(request, ImprovementRequest)
        improvement_request_reject(improvement_request=request, by=world.director, reason=payload)
    notice_assign(notice=world.flagged.notice, assignee=world.director, by=world.manager)


@pytest.mark.slow
@pytest.mark.django_db
def test_emails_carry_the_corpus_as_plain_text(world: XssWorld) -> None:
    """The emails are plain text (no HTML part a mail client would render) and carry each
    payload as typed: neither escaped nor interpreted."""
    _emails_write(world)
    mail.outbox.clear()
    while outbox_sweep(limit=1000):
        pass
    by_recipient: dict[str, list[Any]] = {}
    for email in mail.outbox:
        assert getattr(email, "alternatives", []) == [], "an HTML alternative"
        assert email.content_subtype == "plain"
        assert email.message().get_content_type() == "text/plain"
        assert "\n" not in email.subject and "\r" not in email.subject
        by_recipient.setdefault(email.to[0], []).append(email)
    for number, payload in enumerate(world.payloads):
        [reply] = [e for e in by_recipient[f"xss{number}@example.com"] if "answered" in e.subject]
        assert _squash(payload) in _squash(reply.subject)  # the product's name
        assert payload[:60].strip() in reply.body  # the shopper's name
        assert _squash(payload) in _squash(reply.body)  # the brand's reply
    rejected = [e for e in by_recipient[world.manager.email] if "was rejected" in e.subject]
    assert len(rejected) == len(world.payloads)
    for number, payload in enumerate(world.payloads):
        assert any(_squash(payload) in _squash(e.body) for e in rejected), number
    requested = [e for e in by_recipient[world.director.email] if "waits for your approval" in e.subject]
    assert len(requested) == len(world.payloads)
    print(f"\n{len(mail.outbox)} emails, all text/plain")


CSP = "Content-Security-Policy"


def _csp_missing(response: Any) -> bool:
    """No policy, or one that lets a script run that the page did not load from the site.

    The API docs' own policy allows inline styles (Swagger UI sets them), never scripts.
    """
    if CSP not in response:
        return True
    directives = {part.split()[0]: part.split()[1:] for part in response[CSP].split(";") if part.strip()}
    scripts = directives.get("script-src", directives.get("default-src", []))
    return (
        directives.get("default-src") != ["'self'"]
        or directives.get("object-src") != ["'none'"]
        or any(source in scripts for source in ("'unsafe-inline'", "'unsafe-eval'", "data:", "*"))
    )


@pytest.mark.django_db
def test_every_route_and_error_page_sends_the_content_security_policy(settings: Any) -> None:
    """Every path() route of the URL configuration, for a visitor and for a superuser, and
    the error pages (400, 403, 404, 405, 413 or 400 for a body too large, 500, 503): each
    response carries the policy."""
    manager = user_create(PRODUCT_MANAGER)
    story = flagged_story(managers=[manager], sku="CSP-1")
    review = story.low[0]
    urls, skipped = route_urls(
        {"sku": story.product.sku, "pk": str(review.pk), "product_id": str(story.product.pk), "object_id": "1"}
    )
    missing: list[str] = []
    admin = user_create(is_staff=True, is_superuser=True)
    for who in (None, admin, manager):
        client = Client(raise_request_exception=False)
        if who is not None:
            client.force_login(who)
        for url in urls:
            response = client.get(url)
            if _csp_missing(response):
                missing.append(f"{url} as {who or 'visitor'}: {response.status_code}")
    missing += _error_pages_without_policy(settings)
    print(f"\n{len(urls)} routes x 3 roles, {skipped} regex routes not walked (admin app pages, API router)")
    assert missing == [], "; ".join(missing)


def _error_pages_without_policy(settings: Any) -> list[str]:
    client = Client(raise_request_exception=False, enforce_csrf_checks=True)
    errors = {
        "404": client.get("/no-such-page/"),
        "405": client.put(reverse("signup")),
        "403 CSRF": client.post(reverse("login"), {"username": "x", "password": "y"}),
        "too large": Client().post(
            reverse("login"),
            data=b"x=" + b"a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1),
            content_type="application/x-www-form-urlencoded",
        ),
    }
    with mock.patch("storefront.views.product_list_public", side_effect=OperationalError("down")):
        errors["503"] = client.get(reverse("product_list"))
    with mock.patch("storefront.views.product_list_public", side_effect=RuntimeError("bug")):
        errors["500"] = client.get(reverse("product_list"))
    client.force_login(user_create())
    errors["403 desk"] = client.get(reverse("desk:notices"))
    admin = Client()
    admin.force_login(user_create(is_staff=True, is_superuser=True))
    for app in ("accounts", "products", "reviews", "gate", "desk", "apikeys", "notifications"):
        errors[f"admin {app}"] = admin.get(f"/admin/{app}/")
    return [f"{name}: {response.status_code}" for name, response in errors.items() if _csp_missing(response)]


@pytest.mark.django_db
def test_responses_made_by_earlier_middleware_send_the_policy_too() -> None:
    client = Client(raise_request_exception=False)
    for response in (client.get("/products"), client.get("/", HTTP_HOST="evil.example")):
        assert not _csp_missing(response), response.status_code
