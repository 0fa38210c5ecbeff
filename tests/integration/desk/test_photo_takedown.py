"""A moderator takes down one photo of a review (desk.photo_takedown), the review staying:
a reason and a note, a confirmation, the author emailed the statement of reasons, the
photo no longer served to anyone but its author and moderators, its reports closed, and
its files deleted once the appeal window closes (docs/photos.md)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import PRODUCT_MANAGER, SHOPPER
from core.errors import Conflict, NotAllowed, ValidationFailed
from desk.photo_takedown import moderation_photo_remove
from notifications.delivery import outbox_deliver
from notifications.models import OutboxMessage
from reviews import photos, reactions
from reviews.models import Review, ReviewPhoto, ReviewReport, ReviewStatus
from reviews.photo_rules import APPEAL_WINDOW_DAYS
from tests.factories import product_create
from tests.photo_files import jpeg_with_gps, upload

pytestmark = pytest.mark.django_db

FIELDS: dict[str, Any] = {"rating": 4, "title": "Bright lamp", "body": "Lights the whole tent.", "language": "en"}


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    settings.REVIEWS_PREMODERATION = False
    settings.MODERATION_APPEALS_EMAIL = "appeals@shop.example"
    return tmp_path


@pytest.fixture
def author(make_user: Any) -> User:
    return make_user(SHOPPER, language="en", display_name="Sam")


@pytest.fixture
def review(author: User, django_capture_on_commit_callbacks: Any) -> Review:
    """A published review of two sized photos."""
    with django_capture_on_commit_callbacks(execute=True):
        review = photos.review_submit_with_photos(
            uploads=[upload(jpeg_with_gps(), "a.jpg"), upload(jpeg_with_gps(), "b.jpg")],
            queue_sizes=lambda photo_id: None,
            product=product_create(sku="LAMP-1", name="Camp lamp"),
            author=author,
            **FIELDS,
        )
    for photo in review.photos.all():
        photos.review_photo_sizes_make(photo_id=photo.pk)
    assert review.status == ReviewStatus.PUBLISHED
    return review


def first_photo(review: Review) -> ReviewPhoto:
    photo = review.photos.order_by("position").first()
    assert photo is not None
    return photo


def served(client: Client, photo: ReviewPhoto, user: User | None = None) -> int:
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(reverse("review_photo", kwargs={"pk": photo.pk, "size": "thumb"})).status_code


def test_a_moderator_removes_one_reported_photo_and_the_author_is_told(
    client: Client, review: Review, moderator: User, shopper: User, author: User, media_root: Path
) -> None:
    photo, other = list(review.photos.order_by("position"))
    reactions.review_report(review=review, reporter=shopper, reason="offensive", comment="Rude sign", photo=photo)
    client.force_login(moderator)
    queue = client.get(reverse("desk:moderation")).content.decode()
    remove_url = reverse("desk:moderation_photo_remove", kwargs={"pk": photo.pk})
    assert "Reported photo" in queue and remove_url in queue and "Remove this photo" in queue

    page = client.get(remove_url).content.decode()
    assert "Rude sign" in page and '<option value="offensive" selected>' in page  # the report's reason

    response = client.post(remove_url, {"reason": "offensive", "note": "The sign in the photo insults a group."})

    assert response.status_code == 302 and response["Location"] == reverse("desk:moderation")
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message == (
        "Photo 1 of “Bright lamp” removed: it is no longer shown; the review stays published. "
        "Its author is emailed the statement of reasons."
    )
    photo.refresh_from_db()
    assert (photo.removed_by, photo.removed_reason, photo.removed_note) == (
        moderator,
        "offensive",
        "The sign in the photo insults a group.",
    )
    assert ReviewReport.objects.get().handled_at is not None  # the report about the photo is closed
    # No longer served, except to its author and moderators; the review and its other photo stay.
    assert (served(client, photo), served(client, photo, shopper)) == (404, 404)
    assert (served(client, photo, author), served(client, photo, moderator)) == (200, 200)
    assert served(client, other) == 200
    review.refresh_from_db()
    assert review.status == ReviewStatus.PUBLISHED
    assert list(ReviewPhoto.objects.public()) == [other]
    product_page = client.get(reverse("product_detail", kwargs={"sku": "LAMP-1"})).content.decode()
    assert f"/reviews/photos/{other.pk}/" in product_page and f"/reviews/photos/{photo.pk}/" not in product_page
    # The files are kept (the appeal window), never public.
    assert (media_root / photo.thumb.name).exists()

    row = OutboxMessage.objects.get(kind="photo_removed")
    assert outbox_deliver(message_id=row.pk, now=timezone.now() + timedelta(seconds=1)) == "sent"
    email = mail.outbox[-1]
    assert email.subject == "[reviewgate] A photo of your review of Camp lamp was removed"
    body = email.body
    assert "Statement of reasons" in body and "Photo 1 of your review “Bright lamp” of Camp lamp was removed" in body
    assert "A shopper reported this photo" in body and "“offensive”" in body
    assert "The sign in the photo insults a group." in body and "A person (a moderator) took this decision" in body
    assert "appeals@shop.example" in body and email.to == [author.email]


def test_the_reason_other_needs_a_note_and_nothing_changes_without(
    client: Client, review: Review, moderator: User
) -> None:
    photo = first_photo(review)
    client.force_login(moderator)
    url = reverse("desk:moderation_photo_remove", kwargs={"pk": photo.pk})

    response = client.post(url, {"reason": "other", "note": ""})
    assert response.status_code == 400 and "write what the review breaks" in response.content.decode()
    response = client.post(url, {"reason": "", "note": ""})
    assert response.status_code == 400 and "Choose a reason from the list." in response.content.decode()

    photo.refresh_from_db()
    assert photo.removed_at is None and not OutboxMessage.objects.filter(kind="photo_removed").exists()


def test_a_photo_is_removed_once(client: Client, review: Review, moderator: User) -> None:
    photo = first_photo(review)
    moderation_photo_remove(photo=photo, reason="spam", by=moderator)
    with pytest.raises(Conflict):
        moderation_photo_remove(photo=photo, reason="offensive", by=moderator)
    client.force_login(moderator)
    url = reverse("desk:moderation_photo_remove", kwargs={"pk": photo.pk})
    assert "This photo was removed on" in client.get(url).content.decode()
    assert client.post(url, {"reason": "spam"}).status_code == 409
    assert OutboxMessage.objects.filter(kind="photo_removed").count() == 1


def test_only_a_moderator_who_does_not_manage_the_product_removes_a_photo(
    review: Review, make_user: Any, moderator: User, author: User
) -> None:
    photo = first_photo(review)
    manager = make_user(PRODUCT_MANAGER)
    review.product.managers.add(manager)
    for who in (author, manager):
        with pytest.raises(NotAllowed):
            moderation_photo_remove(photo=photo, reason="spam", by=who)
    with pytest.raises(ValidationFailed):
        moderation_photo_remove(photo=photo, reason="author_deleted", by=moderator)
    photo.refresh_from_db()
    assert photo.removed_at is None


def test_a_removed_photos_files_go_when_the_appeal_window_closes(
    review: Review, moderator: User, media_root: Path, django_capture_on_commit_callbacks: Any
) -> None:
    photo, other = list(review.photos.order_by("position"))
    names = [photo.full.name, photo.large.name, photo.thumb.name]
    removed_at = timezone.now()
    moderation_photo_remove(photo=photo, reason="spam", by=moderator, now=removed_at)

    with django_capture_on_commit_callbacks(execute=True):
        assert photos.review_photos_expired_delete(now=removed_at + timedelta(days=APPEAL_WINDOW_DAYS - 1)) == 0
    assert all((media_root / name).exists() for name in names)

    with django_capture_on_commit_callbacks(execute=True):
        assert photos.review_photos_expired_delete(now=removed_at + timedelta(days=APPEAL_WINDOW_DAYS + 1)) == 1
    assert not any((media_root / name).exists() for name in names)
    assert list(review.photos.all()) == [other] and (media_root / other.thumb.name).exists()


def test_after_one_takedown_the_next_photo_is_named_by_the_number_shoppers_saw(
    client: Client, review: Review, moderator: User
) -> None:
    """The first photo taken down keeps its stored position (the appeal window); the second
    is photo 1 on the page now, so the confirmation and the author's email say 1, not 2."""
    photo, other = list(review.photos.order_by("position"))
    client.force_login(moderator)
    client.post(reverse("desk:moderation_photo_remove", kwargs={"pk": photo.pk}), {"reason": "spam", "note": ""})
    response = client.post(
        reverse("desk:moderation_photo_remove", kwargs={"pk": other.pk}), {"reason": "spam", "note": ""}
    )
    message = [str(m) for m in get_messages(response.wsgi_request)][-1]
    assert message.startswith("Photo 1 of “Bright lamp” removed")
    second = OutboxMessage.objects.get(kind="photo_removed", dedupe_key=f"user:photo_removed:{other.pk}")
    assert '"photo_number": 1' in json.dumps(second.payload)
