"""A customer erased on request loses their guest reviews' photos, rows and files (after
commit); orders that only pass their retention keep them. A deleted account's reviews lose
theirs too (reviews.photos, orders.events.orders_anonymising's reason)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from accounts.models import User
from orders.events import AnonymisingReason, OrdersAnonymising, orders_anonymising
from orders.links import review_token
from orders.models import Invitation, InvitationKind, Order
from orders.services import customer_erase, orders_anonymise_expired
from reviews import photos, reactions
from reviews.models import Review, ReviewPhoto, ReviewReport
from tests.factories import product_create, user_create
from tests.orders_factories import order_create
from tests.photo_files import jpeg_with_gps, upload

pytestmark = pytest.mark.django_db

FIELDS: dict[str, Any] = {"rating": 5, "title": "Warm", "body": "Three nights below zero, warm.", "language": "en"}


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    settings.REVIEWS_PREMODERATION = False
    return tmp_path


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def sized(review: Review) -> Review:
    for photo in review.photos.all():
        photos.review_photo_sizes_make(photo_id=photo.pk)
    return review


def guest_review_with_photos(email: str, capture: Any) -> tuple[Order, Review]:
    """An invited guest's review of two photos, sized (three files each)."""
    order = order_create(products=[product_create()], email=email, name="Lou Bernard")
    assert order.delivered_at is not None  # the sweep invites after delivery
    invitation = Invitation.objects.create(
        order=order, kind=InvitationKind.INVITATION, customer=order.customer, sent_at=order.delivered_at
    )
    line = order.lines.get()
    invitation.lines.add(line)
    with capture(execute=True):
        review = photos.review_submit_with_photos(
            uploads=[upload(jpeg_with_gps(), "a.jpg"), upload(jpeg_with_gps(), "b.jpg")],
            queue_sizes=lambda photo_id: None,
            product=line.product,
            author=None,
            invitation_token=review_token(line.pk),
            **FIELDS,
        )
    return order, sized(review)


def test_erasing_a_customer_deletes_their_guest_reviews_photos_and_files_after_commit(
    media_root: Path, django_capture_on_commit_callbacks: Any
) -> None:
    _order, review = guest_review_with_photos("lou@example.org", django_capture_on_commit_callbacks)
    _other_order, other = guest_review_with_photos("sam@example.org", django_capture_on_commit_callbacks)
    other_files = [Path(media_root, p.full.name) for p in other.photos.all()]
    assert len(stored_files(media_root)) == 12

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert customer_erase(email="lou@example.org") == 1
    assert not ReviewPhoto.objects.filter(review=review).exists()
    assert len(stored_files(media_root)) == 12  # files go only once the erasure commits
    for callback in callbacks:
        callback()

    assert Review.objects.filter(pk=review.pk).exists()  # the review stays, without its order's link
    assert len(stored_files(media_root)) == 6 and all(f.exists() for f in other_files)
    assert other.photos.count() == 2


def test_orders_past_their_retention_keep_their_reviews_photos(
    settings: Any, media_root: Path, django_capture_on_commit_callbacks: Any
) -> None:
    order, review = guest_review_with_photos("lou@example.org", django_capture_on_commit_callbacks)
    Order.objects.filter(pk=order.pk).update(purchased_at=timezone.now() - timedelta(days=800))
    settings.ORDER_RETENTION_DAYS = 730

    with django_capture_on_commit_callbacks(execute=True):
        assert orders_anonymise_expired() == 1

    assert Order.objects.get(pk=order.pk).customer_id is None
    assert review.photos.count() == 2 and len(stored_files(media_root)) == 6


def test_the_event_says_erasure_or_retention(settings: Any, django_capture_on_commit_callbacks: Any) -> None:
    heard: list[OrdersAnonymising] = []
    orders_anonymising.subscribe(heard.append)
    try:
        erased, _review = guest_review_with_photos("lou@example.org", django_capture_on_commit_callbacks)
        expired = order_create(products=[product_create()], email="sam@example.org")
        Order.objects.filter(pk=expired.pk).update(purchased_at=timezone.now() - timedelta(days=800))
        settings.ORDER_RETENTION_DAYS = 730
        customer_erase(email="lou@example.org")
        orders_anonymise_expired()
    finally:
        orders_anonymising.unsubscribe(heard.append)
    assert [(fact.order_ids, fact.reason, fact.is_erasure) for fact in heard] == [
        ((erased.pk,), AnonymisingReason.ERASURE, True),
        ((expired.pk,), AnonymisingReason.RETENTION, False),
    ]


def test_a_reported_photo_goes_on_erasure_and_its_report_stays_without_it(
    media_root: Path, django_capture_on_commit_callbacks: Any
) -> None:
    _order, review = guest_review_with_photos("lou@example.org", django_capture_on_commit_callbacks)
    photo = review.photos.first()
    assert photo is not None
    reactions.review_report(review=review, reporter=user_create(), reason="offensive", comment="", photo=photo)

    with django_capture_on_commit_callbacks(execute=True):
        customer_erase(email="lou@example.org")

    assert not ReviewPhoto.objects.exists() and stored_files(media_root) == []
    report = ReviewReport.objects.get()
    assert (report.review_id, report.photo_id) == (review.pk, None)


def test_deleting_an_account_deletes_its_reviews_photos_and_files(
    media_root: Path, django_capture_on_commit_callbacks: Any
) -> None:
    author = user_create()
    keeper = user_create()
    with django_capture_on_commit_callbacks(execute=True):
        for who in (author, keeper):
            photos.review_submit_with_photos(
                uploads=[upload(jpeg_with_gps(), "a.jpg")],
                queue_sizes=lambda photo_id: None,
                product=product_create(),
                author=who,
                **FIELDS,
            )
    for review in Review.objects.all():
        sized(review)
    assert len(stored_files(media_root)) == 6

    with django_capture_on_commit_callbacks(execute=True):
        User.objects.get(pk=author.pk).delete()

    assert ReviewPhoto.objects.get().review.author_id == keeper.pk
    assert len(stored_files(media_root)) == 3
    assert Review.objects.filter(author__isnull=True).count() == 1  # the review stays, without author
