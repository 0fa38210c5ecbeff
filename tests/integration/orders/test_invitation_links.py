"""Issue 15, parts 2-4: an invitation link opens the review form with no account, refused
links get a clear page (in English and in French) with their status, and "verified
purchase" means exactly the published rule, both ways."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Any
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.roles import MODERATOR, PRODUCT_MANAGER, SHOPPER
from core.errors import Conflict, NotAllowed
from orders.links import review_token, unsubscribe_token
from orders.models import Customer, Invitation, InvitationKind, Order, OrderLine
from orders.policy import Change
from orders.services import customer_erase, customer_unsubscribe, order_change
from products.models import Product
from reviews.models import ReasonCode, Review, ReviewSource, ReviewStatus
from reviews.services import review_submit
from tests.factories import REVIEW_TEXT, product_create, user_create
from tests.orders_factories import order_create

pytestmark = pytest.mark.django_db

REVIEW: dict[str, Any] = {"rating": "4", "title": "Warm and light", "body": REVIEW_TEXT, "language": "en"}
PAGE_REVIEW: dict[str, Any] = {**REVIEW, "author_name": "Cam"}
API_REVIEW: dict[str, Any] = {"rating": 4, "title": "Warm and light", "body": REVIEW_TEXT}


@pytest.fixture(autouse=True)
def _published_at_once(settings: Any) -> None:
    settings.REVIEWS_PREMODERATION = False


def invited(product: Product, **order: Any) -> tuple[OrderLine, str]:
    """An order of ``product`` whose invitation was sent: its line and its review link's token."""
    placed = order_create(products=[product], **order)
    invitation_send(placed)
    line = placed.lines.get()
    return line, review_token(line.pk)


def invitation_send(order: Order) -> None:
    # What the sweep records when it sends (orders.models.Invitation), after the delivery.
    assert order.delivered_at is not None
    invitation = Invitation.objects.create(
        order=order, kind=InvitationKind.INVITATION, customer=order.customer, sent_at=order.delivered_at
    )
    invitation.lines.set(order.lines.all())


def customer_of(line: OrderLine) -> Customer:
    customer = line.order.customer
    assert customer is not None
    return customer


def page(token: str) -> str:
    return f"/invitations/{token}/"


def expired_token(line: OrderLine, settings: Any) -> str:
    """Signed REVIEW_INVITE_LINK_DAYS and a day ago."""
    signed_at = time.time() - (settings.REVIEW_INVITE_LINK_DAYS + 1) * 86400
    with mock.patch("django.core.signing.time.time", return_value=signed_at):
        return review_token(line.pk)


# --- Refused links: one clear page each, with its status, in both languages --------------

REFUSALS = {
    # problem: (status, English title, French title)
    "invalid": (403, "This review link is not valid", "Ce lien d’avis n’est pas valide"),
    "expired": (410, "This review link has expired", "Ce lien d’avis a expiré"),
    "used": (410, "This review link was already used", "Ce lien d’avis a déjà servi"),
    "unsubscribed": (403, "You are unsubscribed", "Vous êtes désabonné"),
    "withdrawn": (410, "This review link no longer works", "Ce lien d’avis ne fonctionne plus"),
}


def refused_token(problem: str, product: Product, language: str, settings: Any) -> str:
    line, token = invited(product, language=language)
    if problem == "invalid":
        return token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    if problem == "expired":
        return expired_token(line, settings)
    if problem == "used":
        review_submit(product=product, author=None, invitation_token=token, **{**REVIEW, "rating": 4})
    elif problem == "unsubscribed":
        customer_unsubscribe(customer_id=customer_of(line).pk)
    elif problem == "withdrawn":
        order_change(order_id=line.order.order_id, changes={Change.REFUNDED: timezone.now()})
    return token


@pytest.mark.parametrize("problem", list(REFUSALS))
@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_refused_link_has_its_own_page_and_status(problem: str, language: str, client: Client, settings: Any) -> None:
    product = product_create()
    token = refused_token(problem, product, language, settings)
    # A link naming no customer (tampered, expired) is in the browser's language; any other
    # in the customer's (the order's), whatever the browser says.
    browser = language if problem in ("invalid", "expired") else "de"
    response = client.get(page(token), HTTP_ACCEPT_LANGUAGE=browser)
    status, english, french = REFUSALS[problem]
    assert response.status_code == status
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert f'data-problem="{problem}"' in html
    assert response["Referrer-Policy"] == "same-origin"  # the token leaves in no Referer
    assert "no-store" in response["Cache-Control"]
    assert f"<h1>{english if language == 'en' else french}</h1>" in html
    assert not OrderLine.objects.filter(link_opened_at__isnull=False, reviews__isnull=True).exists()


def test_a_used_link_points_to_the_review_it_produced(client: Client) -> None:
    product = product_create(sku="TENT-7")
    _line, token = invited(product)
    assert client.post(page(token), PAGE_REVIEW).status_code == 200
    review = Review.objects.get()
    response = client.get(page(token))
    assert response.status_code == 410
    assert f'href="/products/TENT-7/#review-{review.pk}"' in response.content.decode()
    # Posting again through it writes nothing.
    assert client.post(page(token), PAGE_REVIEW).status_code == 410
    assert Review.objects.count() == 1


def test_an_erased_customers_link_is_withdrawn(client: Client) -> None:
    product = product_create()
    line, token = invited(product, email="erase.me@example.com")
    customer_erase(email="erase.me@example.com")
    response = client.get(page(token))
    assert response.status_code == 410
    assert 'data-problem="withdrawn"' in response.content.decode()
    line.refresh_from_db()
    assert line.link_opened_at is None


def test_a_genuine_signature_for_a_line_never_invited_is_refused(client: Client) -> None:
    product = product_create()
    line = order_create(products=[product]).lines.get()
    response = client.get(page(review_token(line.pk)))
    assert response.status_code == 403


# --- The form: no account needed, verified, the same publication path -------------------


def test_the_link_opens_the_form_without_an_account_and_writes_a_verified_review(client: Client) -> None:
    product = product_create(name="Down jacket")
    line, token = invited(product, name="Camille Martin", language="fr")
    response = client.get(page(token))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html  # the customer's language, no choice stored
    assert 'name="author_name"' in html and 'value="Camille"' in html  # the first name, never the full name
    assert 'for="id_author_name"' in html and 'aria-describedby="id_author_name_helptext"' in html
    line.refresh_from_db()
    assert line.link_opened_at is not None
    response = client.post(page(token), {**REVIEW, "author_name": "Camille M."})
    assert response.status_code == 200
    review = Review.objects.get()
    assert (review.author, review.author_name, review.verified_purchase, review.source, review.order_line_id) == (
        None,
        "Camille M.",
        True,
        ReviewSource.INVITATION,
        line.pk,
    )
    assert review.status == ReviewStatus.PUBLISHED
    line.refresh_from_db()
    assert line.reviewed_at == review.created_at
    assert 'data-status="published"' in response.content.decode()


def test_a_stored_language_choice_beats_the_customers(client: Client) -> None:
    product = product_create()
    _line, token = invited(product, language="fr")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert '<html lang="en">' in client.get(page(token)).content.decode()


def test_form_errors_are_tied_to_their_inputs(client: Client) -> None:
    product = product_create()
    _line, token = invited(product)
    response = client.post(page(token), {**REVIEW, "title": "", "author_name": "Cam"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="form-errors"' in html and 'href="#id_title"' in html
    assert 'aria-invalid="true"' in html
    assert not Review.objects.exists()


def test_premoderation_holds_an_invited_review_like_any_other(client: Client, settings: Any) -> None:
    settings.REVIEWS_PREMODERATION = True
    product = product_create()
    _line, token = invited(product)
    response = client.post(page(token), {**REVIEW, "author_name": "Cam"})
    review = Review.objects.get()
    assert (review.status, review.status_reason, review.verified_purchase) == (ReviewStatus.PENDING, "", True)
    assert 'data-status="pending"' in response.content.decode()


def test_the_burst_rule_holds_invited_reviews(settings: Any) -> None:
    settings.REVIEW_BURST_MIN = 2
    settings.REVIEW_BURST_FACTOR = 1
    product = product_create()
    first = review_submit(product=product, author=user_create(SHOPPER), **{**REVIEW, "rating": 5})
    assert first.status == ReviewStatus.PUBLISHED
    _line, token = invited(product)
    review = review_submit(product=product, author=None, invitation_token=token, **{**REVIEW, "rating": 5})
    assert (review.status, review.status_reason) == (ReviewStatus.PENDING, ReasonCode.BURST)
    first.refresh_from_db()
    assert (first.status, first.status_reason) == (ReviewStatus.PENDING, ReasonCode.BURST)


def test_the_review_post_limit_applies_to_invited_reviews(client: Client, settings: Any) -> None:
    settings.RATELIMITS = {"review_post": (1, 3600)}
    product, other = product_create(), product_create()
    _line, token = invited(product, email="busy@example.com")
    _line2, token2 = invited(other, email="busy@example.com")
    assert client.post(page(token), {**REVIEW, "author_name": "Cam"}).status_code == 200
    response = client.post(page(token2), {**REVIEW, "author_name": "Cam"})
    assert response.status_code == 429
    assert "You have posted or edited as many reviews as allowed" in response.content.decode()
    assert Review.objects.count() == 1


def test_a_guest_reviews_a_product_revision_once_whatever_the_order(client: Client) -> None:
    product = product_create()
    _line, token = invited(product, email="twice@example.com")
    _line2, token2 = invited(product, email="twice@example.com")
    review_submit(product=product, author=None, invitation_token=token, **{**REVIEW, "rating": 4})
    with pytest.raises(Conflict) as refused:
        review_submit(product=product, author=None, invitation_token=token2, **{**REVIEW, "rating": 4})
    assert refused.value.code == "duplicate_review"
    assert client.post(page(token2), {**REVIEW, "author_name": "Cam"}).status_code == 409


# --- Through a link, an address with an account writes as that account --------------------


def test_a_signed_in_stranger_still_writes_the_customers_review(client: Client) -> None:
    product = product_create()
    _line, token = invited(product, name="Alex Dupont")
    client.force_login(user_create(SHOPPER))
    client.post(page(token), {**REVIEW, "author_name": "Alex"})
    review = Review.objects.get()
    assert (review.author, review.author_name, review.verified_purchase) == (None, "Alex", True)


def test_the_link_confirms_the_accounts_address_and_the_review_is_the_accounts(client: Client) -> None:
    account = user_create(SHOPPER, email="Sam@Example.com", email_verified=False, display_name="Sam")
    product = product_create()
    _line, token = invited(product, email="sam@example.com")
    # Signed in as the address's account: its password and the link's mailbox together (an
    # account that only claims the address gets nothing: test_link_identity_and_privacy.py).
    client.force_login(account)
    response = client.get(page(token))
    assert 'name="author_name"' not in response.content.decode()  # the account's name is shown
    client.post(page(token), PAGE_REVIEW)
    review = Review.objects.get()
    account.refresh_from_db()
    assert account.email_verified_at == review.created_at
    assert (review.author, review.author_name, review.status, review.verified_purchase) == (
        account,
        "Sam",
        ReviewStatus.PUBLISHED,  # not held for the email: the link confirmed it
        True,
    )


def test_a_staff_address_writes_an_employee_review() -> None:
    staff = user_create(MODERATOR, email="ines@shop.example")
    product = product_create()
    _line, token = invited(product, email="INES@shop.example")
    review = review_submit(product=product, author=None, invitation_token=token, **{**REVIEW, "rating": 5})
    assert (review.author, review.employee, review.verified_purchase) == (staff, True, True)


def test_a_managers_own_product_is_refused_through_a_link(client: Client) -> None:
    manager = user_create(PRODUCT_MANAGER, email="pm@shop.example")
    product = product_create(managers=[manager])
    _line, token = invited(product, email="pm@shop.example")
    with pytest.raises(NotAllowed) as refused:
        review_submit(product=product, author=None, invitation_token=token, **{**REVIEW, "rating": 5})
    assert refused.value.code == "own_product"
    response = client.post(page(token), PAGE_REVIEW)
    assert response.status_code == 403
    assert "You manage this product" in response.content.decode()
    assert not Review.objects.exists()


# --- The verified rule for accounts, both ways ---------------------------------------------


def account_review(user: Any, product: Product, *, now: datetime | None = None) -> Review:
    return review_submit(product=product, author=user, **{**REVIEW, "rating": 4}, now=now)


def test_a_confirmed_account_with_a_delivered_order_writes_a_verified_review() -> None:
    user = user_create(SHOPPER)
    product = product_create()
    order = order_create(products=[product], email=user.email.upper())
    review = account_review(user, product)
    assert (review.verified_purchase, review.source, review.order_line_id) == (True, ReviewSource.SITE, None)
    # Its invitation's link is used now: no reminder asks about a reviewed product.
    assert order.lines.get().reviewed_at == review.created_at


@pytest.mark.parametrize(
    "case",
    ["unconfirmed address", "not delivered", "refunded", "cancelled", "delivered after the review", "another product"],
)
def test_an_account_without_a_proven_purchase_is_not_verified(case: str) -> None:
    user = user_create(SHOPPER, email_verified=case != "unconfirmed address")
    product, other = product_create(), product_create()
    now = timezone.now()
    order: dict[str, Any] = {"email": user.email, "products": [other if case == "another product" else product]}
    if case == "not delivered":
        order["delivered"] = False
    elif case == "refunded":
        order["refunded_at"] = now - timedelta(days=1)
    elif case == "cancelled":
        order.update(delivered=False, cancelled_at=now - timedelta(days=5))
    elif case == "delivered after the review":
        order.update(purchased_at=now - timedelta(days=3), delivered_at=now - timedelta(days=1))
        now -= timedelta(days=2)
    order_create(**order)
    review = account_review(user, product, now=now)
    assert review.verified_purchase is False
    assert not OrderLine.objects.filter(reviewed_at__isnull=False).exists()


def test_only_the_rule_sets_verified(client: Client) -> None:
    # The service takes no verified flag at all: a caller cannot set it.
    with pytest.raises(TypeError):
        review_submit(product=product_create(), author=user_create(SHOPPER), verified_purchase=True, **REVIEW)  # type: ignore[call-arg, arg-type]


# --- The API: the token is the credential --------------------------------------------------


def test_the_api_takes_a_token_instead_of_credentials() -> None:
    product = product_create(sku="JACKET-1")
    line, token = invited(product, name="Lou Bernard")
    api = APIClient()
    url = "/api/v1/products/JACKET-1/reviews/"
    assert api.post(url, API_REVIEW, format="json").status_code == 401
    response = api.post(url, {**API_REVIEW, "invitation_token": token}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["verified_purchase"], body["author_name"], body["status"]) == (True, "Lou", "published")
    review = Review.objects.get()
    assert (review.source, review.order_line_id) == (ReviewSource.INVITATION, line.pk)
    again = api.post(url, {**API_REVIEW, "invitation_token": token}, format="json")
    assert (again.status_code, again.json()["error"]["code"]) == (410, "invitation_used")


def test_the_api_refuses_bad_tokens_with_their_codes(settings: Any) -> None:
    product = product_create(sku="JACKET-2")
    other = product_create(sku="BOOT-2")
    line, token = invited(product)
    api = APIClient()
    cases = {
        "/api/v1/products/JACKET-2/reviews/": [
            (token[:-2] + "zz", 403, "invitation_invalid"),
            (expired_token(line, settings), 410, "invitation_expired"),
        ],
        "/api/v1/products/BOOT-2/reviews/": [(token, 403, "invitation_invalid")],  # another product's link
    }
    for url, tokens in cases.items():
        for sent, status, code in tokens:
            response = api.post(url, {**API_REVIEW, "invitation_token": sent}, format="json")
            assert (response.status_code, response.json()["error"]["code"]) == (status, code)
    assert other.reviews.count() == 0 and not Review.objects.exists()
    customer_unsubscribe(customer_id=customer_of(line).pk)
    response = api.post("/api/v1/products/JACKET-2/reviews/", {**API_REVIEW, "invitation_token": token}, format="json")
    assert (response.status_code, response.json()["error"]["code"]) == (403, "invitation_unsubscribed")


# --- Unsubscribing ----------------------------------------------------------------------


def test_unsubscribe_asks_then_unsubscribes_at_once(client: Client) -> None:
    product = product_create()
    line, _token = invited(product, language="en")
    customer = customer_of(line)
    url = f"/unsubscribe/{unsubscribe_token(customer.pk)}/"
    response = client.get(url)
    assert response.status_code == 200
    assert "Unsubscribe from review invitations" in response.content.decode()
    customer.refresh_from_db()
    assert customer.unsubscribed_at is None  # a GET (a mail scanner) changes nothing
    response = client.post(url)
    assert "we will send you no more review invitations" in response.content.decode()
    customer.refresh_from_db()
    assert customer.unsubscribed_at is not None
    again = client.get(url)
    assert "You are unsubscribed: we send you no review invitations." in again.content.decode()
    assert client.get(f"/unsubscribe/{unsubscribe_token(customer.pk)}x/").status_code == 403
    assert client.put(url).status_code == 405


def test_a_mail_clients_one_click_unsubscribe_needs_no_csrf_token() -> None:
    """RFC 8058: the mail client POSTs `List-Unsubscribe=One-Click` to the email's
    List-Unsubscribe URL, with no cookie and no CSRF token; the token is the credential."""
    line, _token = invited(product_create(), language="en")
    customer = customer_of(line)
    mail_client = Client(enforce_csrf_checks=True)
    url = f"/unsubscribe/{unsubscribe_token(customer.pk)}/"
    form = "application/x-www-form-urlencoded"
    response = mail_client.post(url, "List-Unsubscribe=One-Click", content_type=form)
    assert response.status_code == 200
    customer.refresh_from_db()
    assert customer.unsubscribed_at is not None
    # A forged token still unsubscribes nobody.
    assert mail_client.post(url[:-2] + "x/", "List-Unsubscribe=One-Click", content_type=form).status_code == 403


def test_the_api_ignores_a_name_without_a_token_an_account_shows_its_own() -> None:
    author = user_create(SHOPPER, display_name="Jo")
    product = product_create()
    client = APIClient()
    client.force_authenticate(author)
    response = client.post(
        f"/api/v1/products/{product.sku}/reviews/", {**API_REVIEW, "author_name": "Someone Else"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert Review.objects.get().author_name == "Jo"
