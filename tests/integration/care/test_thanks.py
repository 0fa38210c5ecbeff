"""Issue 16, items 5 and 8: every published review's author is thanked once, in their
language, with the same text whatever the rating; the profile's checkbox and the email's
signed link turn it off, even for an email already queued. Delivered with the real outbox
functions (notifications.delivery), as the worker does."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import MODERATOR
from care.thanks import ThanksOwner, ThanksOwnerKind, review_thanks_owed, thanks_dedupe_key, thanks_unsubscribe_token
from notifications.delivery import outbox_deliver, outbox_sweep
from notifications.models import OutboxMessage
from orders.links import review_token
from orders.models import Customer, Invitation, InvitationKind
from products.models import Product
from reviews.models import Review, ReviewSource
from reviews.services import review_edit, review_publish, review_reject, review_submit
from tests.care_factories import BODY, review_post
from tests.factories import PASSWORD, product_create, user_create
from tests.orders_factories import order_create

pytestmark = pytest.mark.django_db

SUBJECT_EN = "Thank you for your review of"
ONE_CLICK = "application/x-www-form-urlencoded"


@pytest.fixture(autouse=True)
def _thanks_settings(settings: Any) -> None:
    settings.REVIEWS_PREMODERATION = False
    settings.SITE_URL = "https://shop.example"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def thanks_sent(address: str) -> list[mail.EmailMessage]:
    return [m for m in mail.outbox if m.to == [address] and m.extra_headers.get("List-Unsubscribe")]


def thanks_row(review: Review) -> OutboxMessage:
    return OutboxMessage.objects.get(dedupe_key=thanks_dedupe_key(review.pk))


def unsubscribe_path(email: mail.EmailMessage) -> str:
    url = email.extra_headers["List-Unsubscribe"].strip("<>")
    assert url.startswith("https://shop.example/thanks/unsubscribe/")
    return url.removeprefix("https://shop.example")


def guest_review(product: Product, *, email: str, language: str = "en", rating: int = 4) -> Review:
    """A review written through an invitation link, without an account."""
    order = order_create(products=[product], email=email, language=language)
    assert order.delivered_at is not None
    invitation = Invitation.objects.create(
        order=order, kind=InvitationKind.INVITATION, customer=order.customer, sent_at=order.delivered_at
    )
    invitation.lines.set(order.lines.all())
    line = order.lines.get()
    return review_submit(
        product=product,
        author=None,
        rating=rating,
        title="Fine",
        body=BODY,
        language=language,
        author_name="Camille",
        invitation_token=review_token(line.pk),
    )


def test_one_thanks_per_review_whatever_is_repeated() -> None:
    """Published, delivered, then edited, unpublished, republished, the writer and the
    delivery task run again: one row, one email."""
    author = user_create(email="once@example.com")
    review = review_post(author=author, rating=4)
    row = thanks_row(review)
    assert row.recipient_id is None
    assert set(row.payload) == {"review", "email_builder", "email_template"}  # no address, no link
    assert outbox_sweep() == 1
    moderator = user_create(MODERATOR)
    review_edit(review=review, author=author, rating=5, title="Even better", body=BODY, language="en")
    review_reject(review=review, reason="spam", by=moderator)
    review_publish(review=review, by=moderator)
    review_thanks_owed(review, now=timezone.now())
    outbox_sweep()
    assert outbox_deliver(message_id=row.pk) is None  # a repeated task: already sent
    outbox_sweep()
    assert OutboxMessage.objects.filter(dedupe_key__startswith="thanks:").count() == 1
    [email] = thanks_sent("once@example.com")
    assert email.subject == f"{SUBJECT_EN} {review.product.name}"
    assert email.extra_headers["Content-Language"] == "en"
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "once@example.com" not in email.extra_headers["List-Unsubscribe"]


def test_a_french_author_is_thanked_in_french_an_employee_too_an_import_never() -> None:
    author = user_create(email="fr@example.com", language="fr", display_name="Camille")
    review_post(author=author, rating=3, language="en")  # the author's language, not the review's
    employee = review_post(author=user_create(MODERATOR, email="staff@example.com"), rating=5)
    imported = review_post(rating=5)
    Review.objects.filter(pk=imported.pk).update(source=ReviewSource.IMPORT)
    OutboxMessage.objects.filter(dedupe_key=thanks_dedupe_key(imported.pk)).delete()
    review_thanks_owed(Review.objects.get(pk=imported.pk), now=timezone.now())
    outbox_sweep()
    [french] = thanks_sent("fr@example.com")
    assert french.extra_headers["Content-Language"] == "fr"
    assert french.body.startswith("Bonjour Camille,")
    assert french.subject.startswith("Merci pour votre avis sur"), french.subject
    assert employee.employee and len(thanks_sent("staff@example.com")) == 1
    assert not OutboxMessage.objects.filter(dedupe_key=thanks_dedupe_key(imported.pk)).exists()


def test_the_text_is_the_same_for_one_star_and_five() -> None:
    product = product_create()
    sent = {}
    for rating in (1, 5):
        author = user_create(email=f"stars{rating}@example.com", display_name="Sam")
        review_post(author=author, product=product, rating=rating, title="Same title")
    outbox_sweep()
    for rating in (1, 5):
        [email] = thanks_sent(f"stars{rating}@example.com")
        # The links name the review and the author: the rest is the text.
        sent[rating] = (email.subject, re.sub(r"https://\S+", "<link>", str(email.body)))
    assert sent[1] == sent[5]
    assert "<link>" in sent[1][1] and product.name in sent[1][1]


def test_the_profile_checkbox_turns_thanks_off_even_for_one_already_queued() -> None:
    author = user_create(email="quiet@example.com", display_name="Quiet")
    client = Client()
    assert client.login(username=author.username, password=PASSWORD)
    page = client.get(reverse("profile")).content.decode()
    assert 'name="review_thanks_emails"' in page and "checked" in page.split('name="review_thanks_emails"')[1][:40]
    queued = review_post(author=author, rating=4)
    profile = {"display_name": "Quiet", "email": "quiet@example.com", "language": "en"}  # box unticked
    assert client.post(reverse("profile"), profile).status_code == 302
    author.refresh_from_db()
    assert author.review_thanks_emails is False
    later = review_post(author=author, rating=2)
    assert outbox_sweep() >= 2
    assert thanks_sent("quiet@example.com") == []
    assert thanks_row(queued).status == thanks_row(later).status == OutboxMessage.Status.SENT


def test_the_email_link_asks_then_turns_thanks_off_for_an_account() -> None:
    author = user_create(email="link@example.com", display_name="Link")
    review_post(author=author, rating=4)
    outbox_sweep()
    [email] = thanks_sent("link@example.com")
    path = unsubscribe_path(email)
    page = Client().get(path)
    assert page.status_code == 200 and "Turn off thank-you emails" in page.content.decode()
    assert "link@example.com" not in page.content.decode()
    assert User.objects.get(pk=author.pk).review_thanks_emails is True  # a GET (a mail scanner) changes nothing
    queued = review_post(author=author, rating=5)
    one_click = Client(enforce_csrf_checks=True).post(path, "List-Unsubscribe=One-Click", content_type=ONE_CLICK)
    assert one_click.status_code == 200 and "we will send you no more thank-you emails" in one_click.content.decode()
    assert User.objects.get(pk=author.pk).review_thanks_emails is False
    outbox_sweep()
    assert len(thanks_sent("link@example.com")) == 1
    assert thanks_row(queued).status == OutboxMessage.Status.SENT


def test_the_email_link_turns_thanks_off_for_an_invited_guest() -> None:
    product = product_create()
    guest_review(product, email="guest@example.com", language="fr")
    outbox_sweep()
    [email] = thanks_sent("guest@example.com")
    assert email.body.startswith("Bonjour Camille,")
    customer = Customer.objects.with_email("guest@example.com").get()
    assert thanks_unsubscribe_token(ThanksOwner(ThanksOwnerKind.CUSTOMER, customer.pk)) in unsubscribe_path(email)
    response = Client().post(unsubscribe_path(email))
    assert response.status_code == 200 and "guest@example.com" not in response.content.decode()
    customer.refresh_from_db()
    assert customer.thanks_unsubscribed_at is not None
    assert customer.unsubscribed_at is None  # invitations are their own list
    guest_review(product_create(), email="guest@example.com", language="fr")
    outbox_sweep()
    assert len(thanks_sent("guest@example.com")) == 1


def test_a_tampered_link_is_refused_and_turns_nothing_off() -> None:
    author = user_create(email="tamper@example.com")
    token = thanks_unsubscribe_token(ThanksOwner(ThanksOwnerKind.USER, author.pk))
    altered = token[:-1] + ("A" if token[-1] != "A" else "B")
    # Altered, cut short, not a token; another purpose's signature is not one of ours either.
    for bad in (altered, token[:-4], "x", review_token(author.pk)):
        for method in ("get", "post"):
            response = getattr(Client(), method)(f"/thanks/unsubscribe/{bad}/")
            assert response.status_code == 403, bad
            assert "This link is not valid" in response.content.decode()
    assert User.objects.get(pk=author.pk).review_thanks_emails is True
