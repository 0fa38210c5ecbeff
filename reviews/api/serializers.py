"""Review endpoints' shapes: input serializers check types and lengths only; every rule
(one review per revision, what can be voted on or reported) is reviews.services'."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from products.models import Product
from reviews.models import (
    BODY_MAX_LENGTH,
    BODY_MIN_LENGTH,
    REPORT_REASONS,
    TITLE_MAX_LENGTH,
    BrandReply,
    Review,
    ReviewReport,
)

REPORT_REASON_CHOICES = [(reason.value, reason.label) for reason in REPORT_REASONS]
COMMENT_MAX_LENGTH = 1000


class BrandReplySerializer(serializers.ModelSerializer):
    class Meta:
        model = BrandReply
        fields = ["body", "created_at", "updated_at"]
        read_only_fields = fields


class ReviewSerializer(serializers.ModelSerializer):
    product: serializers.SlugRelatedField[Product] = serializers.SlugRelatedField(
        slug_field="sku", read_only=True, help_text=_("The product's SKU.")
    )
    about_previous_version = serializers.SerializerMethodField(
        help_text=_("Written about an earlier revision, before the latest improvement (not in the current figures).")
    )
    brand_reply = serializers.SerializerMethodField(help_text=_("The brand's public answer, if any."))

    class Meta:
        model = Review
        fields = [
            "id",
            "product",
            "author_name",
            "rating",
            "title",
            "body",
            "language",
            "verified_purchase",
            "revision",
            "about_previous_version",
            "helpful_yes",
            "helpful_no",
            "created_at",
            "published_at",
            "brand_reply",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.BooleanField())
    def get_about_previous_version(self, review: Review) -> bool:
        return review.is_about_previous_version()

    @extend_schema_field(BrandReplySerializer(allow_null=True))
    def get_brand_reply(self, review: Review) -> dict[str, Any] | None:
        reply = getattr(review, "brand_reply", None)
        return BrandReplySerializer(reply).data if reply is not None else None


class ReviewCreatedSerializer(ReviewSerializer):
    """A new review, with its status: `pending` while it waits for a moderator."""

    class Meta(ReviewSerializer.Meta):
        fields = [*ReviewSerializer.Meta.fields, "status"]
        read_only_fields = fields


class ReviewInputSerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    title = serializers.CharField(max_length=TITLE_MAX_LENGTH)
    body = serializers.CharField(min_length=BODY_MIN_LENGTH, max_length=BODY_MAX_LENGTH)
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES, required=False, help_text=_("Defaults to the author's language.")
    )


class VoteInputSerializer(serializers.Serializer):
    helpful = serializers.BooleanField(help_text=_("true: the review helped you; false: it did not."))


class VoteSerializer(serializers.Serializer):
    review = serializers.IntegerField(help_text=_("The review's id."))
    helpful = serializers.BooleanField(help_text=_("Your vote (a later vote replaces it)."))
    helpful_yes = serializers.IntegerField(min_value=0)
    helpful_no = serializers.IntegerField(min_value=0)


class ReportInputSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=REPORT_REASON_CHOICES)
    comment = serializers.CharField(
        max_length=COMMENT_MAX_LENGTH,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Required when the reason is `other`."),
    )


class ReportSerializer(serializers.ModelSerializer):
    review: serializers.PrimaryKeyRelatedField[Review] = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = ReviewReport
        fields = ["id", "review", "reason", "comment", "created_at"]
        read_only_fields = fields
