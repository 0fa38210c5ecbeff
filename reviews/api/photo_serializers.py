"""Review photos in the API: each photo's sizes with their addresses and dimensions.

The addresses are this site's (reviews.photo_views), which serve a photo only to who may
see its review; the dimensions follow from the stored photo by reviews.photo_rules.size_plan.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from reviews.models import Review, ReviewPhoto
from reviews.photo_rules import Dimensions, PhotoSize, size_plan


class PhotoSizeSerializer(serializers.Serializer):
    url = serializers.URLField(help_text=_("The file's address (absolute)."))
    width = serializers.IntegerField(min_value=1)
    height = serializers.IntegerField(min_value=1)


class PhotoSizesSerializer(serializers.Serializer):
    thumb = PhotoSizeSerializer(required=False, help_text=_("At most 320 pixels on its longest side."))
    large = PhotoSizeSerializer(required=False, help_text=_("At most 1,024 pixels on its longest side."))
    full = PhotoSizeSerializer(help_text=_("At most 2,048 pixels on its longest side."))


class ReviewPhotoSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField(min_value=0, help_text=_("Its place among the review's photos, from 0."))
    ready = serializers.BooleanField(
        help_text=_(
            "Whether its sizes are made (a task does it within seconds). Until then only `full` is given, and "
            "only to the review's author; published reviews list ready photos only."
        )
    )
    sizes = PhotoSizesSerializer()


def review_photo_data(photo: ReviewPhoto, request: Any, *, position: int | None = None) -> dict[str, Any]:
    """``position``: its place among the photos the answer lists (a photo a moderator took
    down keeps its stored position, but is neither listed nor counted)."""
    plan = size_plan(Dimensions(photo.width, photo.height))
    available = list(PhotoSize) if photo.ready_at is not None else [PhotoSize.FULL]
    sizes = {}
    for size in available:
        path = reverse("review_photo", kwargs={"pk": photo.pk, "size": size.value})
        url = request.build_absolute_uri(path) if request is not None else path
        sizes[size.value] = {"url": url, "width": plan[size].width, "height": plan[size].height}
    shown_at = photo.position if position is None else position
    return {"id": photo.pk, "position": shown_at, "ready": photo.ready_at is not None, "sizes": sizes}


def review_photos_data(review: Review, request: Any, *, only_ready: bool) -> list[dict[str, Any]]:
    """A listed review's ready photos (prefetched as ``ready_photos`` by its selector), or
    every photo of a review just written or edited, for its author (ready or not, but never
    one taken down or withdrawn: removed_at)."""
    photos = getattr(review, "ready_photos", None) if only_ready else None
    if photos is None:
        queryset = review.photos.all()
        photos = list(queryset.ready() if only_ready else queryset.filter(removed_at__isnull=True))
    return [review_photo_data(photo, request, position=index) for index, photo in enumerate(photos)]


PHOTOS_FIELD_SCHEMA = extend_schema_field(ReviewPhotoSerializer(many=True))
