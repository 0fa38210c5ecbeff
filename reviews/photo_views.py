"""A review photo's files, served only to who may see the review.

A published review's ready photos are public; a pending, held, rejected or removed
review's, and a photo a moderator took down, are its author's and moderators' alone (anyone
else: 404, as if it did not exist).
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponseBase
from django.views.decorators.http import require_safe

from accounts.models import User
from accounts.roles import user_can_moderate
from core.media import MODERATED_MAX_AGE, stored_file_response
from reviews.models import Review, ReviewPhoto, ReviewStatus
from reviews.photo_rules import PhotoSize


def photo_visible_to(photo: ReviewPhoto, user: User | AnonymousUser) -> bool:
    """A published review's photo is anyone's, unless a moderator took it down; otherwise
    its author's and moderators' alone."""
    if photo.review.status == ReviewStatus.PUBLISHED and photo.removed_at is None:
        return True
    if not user.is_authenticated:
        return False
    return photo.review.author_id == user.pk or user_can_moderate(user)


def review_photo_reported(*, review: Review, photo_id: str | None) -> ReviewPhoto | None:
    """The photo a report names (``?photo=<id>``): one of this review's public photos; None
    without one. A photo that is not (another review's, not shown, not a number): 404."""
    if photo_id is None:
        return None
    if not photo_id.isascii() or not photo_id.isdigit() or len(photo_id) > 18:
        raise Http404
    photo = ReviewPhoto.objects.public().filter(pk=int(photo_id), review=review).first()
    if photo is None:
        raise Http404
    return photo


@require_safe
def review_photo(request: HttpRequest, pk: int, size: str) -> HttpResponseBase:
    try:
        wanted = PhotoSize(size)
        photo = ReviewPhoto.objects.select_related("review").get(pk=pk)
    except (ValueError, ReviewPhoto.DoesNotExist) as exc:
        raise Http404 from exc
    if not photo_visible_to(photo, request.user):
        raise Http404
    public = photo.review.status == ReviewStatus.PUBLISHED and photo.ready_at is not None and photo.removed_at is None
    if photo.ready_at is None and wanted is not PhotoSize.FULL:
        raise Http404  # its sizes are not made yet
    # Public for minutes only: a moderator's removal must reach shared caches soon.
    return stored_file_response(
        default_storage,
        getattr(photo, wanted.value).name,
        public=public,
        max_age=MODERATED_MAX_AGE,
        must_revalidate=True,
    )
