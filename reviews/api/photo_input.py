"""A review with photos through the API: a multipart request of two kinds of parts.

- ``review``: the same JSON object as a JSON request's body, as one part (so its types stay
  JSON's: a rating is a number, not the string a form field would make it);
- ``photos``: up to 5 files, the part repeated (JPEG, PNG or WebP, 10 MB each; what each
  file is, is decided by decoding it, never by its name or its part's content type).

A JSON body is read as before, with no photos.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers
from rest_framework.exceptions import ParseError
from rest_framework.request import Request

from core.json_parser import StrictJSONParser
from reviews.api.serializers import ReviewChangeInputSerializer, ReviewInputSerializer
from reviews.photo_rules import MAX_PHOTOS_PER_REVIEW

MULTIPART = "multipart/form-data"


def review_body_and_photos(request: Request, *, review_part_required: bool = True) -> tuple[Any, list[UploadedFile]]:
    """The review's fields and its photo files, from a JSON or a multipart request. An edit
    (PATCH) may send photos alone: its ``review`` part is then optional (``{}``)."""
    if not (request.content_type or "").startswith(MULTIPART):
        return request.data, []
    part = request.data.get("review")
    if part is None and not review_part_required:
        return {}, list(request.FILES.getlist("photos"))
    if not isinstance(part, str):
        raise ParseError(_("A multipart review needs a “review” part holding the review's JSON object."))
    body = StrictJSONParser().parse(io.BytesIO(part.encode("utf-8")))
    if body is None and not review_part_required:
        body = {}  # an edit's optional part sent as JSON null: no field to change, as when left out
    return body, list(request.FILES.getlist("photos"))


def invitation_token_sent(request: Request) -> bool:
    """Whether the body names an invitation token (the credential of an invited review):
    in a JSON body, or in a multipart request's ``review`` part. A body that cannot be read
    names none (the request is then refused as unauthenticated, before it is read again)."""
    try:
        body, _photos = review_body_and_photos(request)
    except ParseError:
        return False
    return isinstance(body, Mapping) and isinstance(body.get("invitation_token"), str)


class ReviewMultipartSchema(serializers.Serializer):
    """The multipart request as the schema shows it (review_body_and_photos reads it)."""

    review = serializers.JSONField(
        help_text=gettext_lazy("The review as a JSON object: the same fields as the JSON request.")
    )
    photos = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        max_length=MAX_PHOTOS_PER_REVIEW,
        help_text=gettext_lazy(
            "Up to 5 photos (the part repeated): JPEG, PNG or WebP, at most 10 MB each, 40 megapixels at most; "
            "the whole request at most 51 MB. Each is decoded and re-encoded (WebP), location and camera data "
            "removed. A refused photo refuses the review (400, field `photos`): nothing is stored."
        ),
    )


REVIEW_CREATE_REQUEST = {"application/json": ReviewInputSerializer, MULTIPART: ReviewMultipartSchema}


class ReviewChangeMultipartSchema(serializers.Serializer):
    """An edit's multipart request as the schema shows it (review_body_and_photos reads it)."""

    review = serializers.JSONField(
        required=False,
        help_text=gettext_lazy(
            "Optional: the edit as a JSON object, the same fields as the JSON request (`remove_photos` included)."
        ),
    )
    photos = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        max_length=MAX_PHOTOS_PER_REVIEW,
        help_text=gettext_lazy(
            "Photos to add (the part repeated), after those the review keeps: at most 5 in all. Same rules as a "
            "new review's photos. A refused photo refuses the whole edit (400, field `photos`): nothing changes."
        ),
    )


REVIEW_CHANGE_REQUEST = {"application/json": ReviewChangeInputSerializer, MULTIPART: ReviewChangeMultipartSchema}
