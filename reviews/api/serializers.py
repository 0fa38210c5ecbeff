"""Review endpoints' shapes: input serializers check types and lengths only; every rule
(one review per revision, what can be voted on or reported) is reviews.services'."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import RegexValidator
from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from core.api_fields import StrictBooleanField, StrictCharField, StrictIntegerField
from core.text_safety import validate_display_name, validate_display_text, validate_written_text
from products.models import Product
from reviews.api.photo_serializers import PHOTOS_FIELD_SCHEMA, review_photos_data
from reviews.forms import interpolate_lazy
from reviews.models import (
    AUTHOR_NAME_MAX_LENGTH,
    BODY_MAX_LENGTH,
    BODY_MIN_LENGTH,
    RECOMMEND_MAX,
    RECOMMEND_MIN,
    REPORT_COMMENT_MAX_LENGTH,
    REPORT_REASONS,
    STORED_BODY_MAX_LENGTH,
    STORED_TITLE_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    BrandReply,
    ReasonCode,
    Review,
    ReviewReport,
)
from reviews.photo_rules import MAX_PHOTOS_PER_REVIEW

REPORT_REASON_CHOICES = [(reason.value, reason.label) for reason in REPORT_REASONS]
# What a comment may hold, as patterns the schema gives: never a NUL character (DRF refuses
# it: PostgreSQL cannot store it) and, for an `other` report, at least one character that is
# not a space, as str.strip() reads spaces (the serializer and the service strip the comment
# before the service checks that the report explains itself). Those spaces are spelled out:
# `\s` in a schema's pattern is ECMA-262's, another set (it leaves out \x1c-\x1f and \x85).
STRIPPED_SPACES = r"\t\n\x0b\x0c\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
# Not blank: drf-spectacular gives a blank comment as its own alternative beside this one.
COMMENT_WITHOUT_NUL = r"^[^\x00]+$"
COMMENT_SAYS_SOMETHING = rf"^[^\x00]*[^\x00{STRIPPED_SPACES}][^\x00]*$"


def _grouped_number(value: int) -> str:
    return number_format(value, force_grouping=True)


# "50,000" (or "50 000"), in the language the schema is rendered in.
grouped_number_lazy = lazy(_grouped_number, str)


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
    photos = serializers.SerializerMethodField(
        help_text=_("The customer's photos, in their order, with the address and dimensions of each size.")
    )
    # A listed review shows its ready photos; a review just written shows all of them to its author.
    only_ready_photos = True

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
            "employee",
            "revision",
            "about_previous_version",
            "helpful_yes",
            "helpful_no",
            "created_at",
            "published_at",
            "brand_reply",
            "photos",
        ]
        read_only_fields = fields
        # A review read may be longer than one written here: imported history is kept whole.
        extra_kwargs = {
            "employee": {
                "help_text": _(
                    "Written by the shop's staff (an employee review, shown labelled): never counted "
                    "in a product's figures or by the quality gate."
                )
            },
            "title": {
                "help_text": interpolate_lazy(
                    _(
                        "Reviews written through the site or the API have titles of at most %(written)s "
                        "characters; imported history keeps titles of up to %(stored)s characters."
                    ),
                    {
                        "written": grouped_number_lazy(TITLE_MAX_LENGTH),
                        "stored": grouped_number_lazy(STORED_TITLE_MAX_LENGTH),
                    },
                )
            },
            "body": {
                "help_text": interpolate_lazy(
                    _(
                        "Reviews written through the site or the API have texts of at most %(written)s "
                        "characters; imported history keeps texts of up to %(stored)s characters."
                    ),
                    {
                        "written": grouped_number_lazy(BODY_MAX_LENGTH),
                        "stored": grouped_number_lazy(STORED_BODY_MAX_LENGTH),
                    },
                )
            },
        }

    @extend_schema_field(serializers.BooleanField())
    def get_about_previous_version(self, review: Review) -> bool:
        return review.is_about_previous_version()

    @PHOTOS_FIELD_SCHEMA
    def get_photos(self, review: Review) -> list[dict[str, Any]]:
        return review_photos_data(review, self.context.get("request"), only_ready=self.only_ready_photos)

    @extend_schema_field(BrandReplySerializer(allow_null=True))
    def get_brand_reply(self, review: Review) -> dict[str, Any] | None:
        reply = getattr(review, "brand_reply", None)
        return BrandReplySerializer(reply).data if reply is not None else None


class ReviewCreatedSerializer(ReviewSerializer):
    """A review just written (or edited: one shape, one status enum in the schema), with its
    status: `pending` while it waits, and why in `status_reason`."""

    status_reason = serializers.CharField(
        read_only=True,
        help_text=_(
            "Why a pending review waits: empty for a moderator's check, `email_unverified` until the "
            "author confirms their email address, `burst` when the product receives an unusual number "
            "of reviews (held for a moderator)."
        ),
    )

    only_ready_photos = False

    class Meta(ReviewSerializer.Meta):
        fields = [*ReviewSerializer.Meta.fields, "status", "status_reason"]
        read_only_fields = fields


# A signed invitation token (orders.links) is well under this; anything longer is not one.
INVITATION_TOKEN_MAX_LENGTH = 500
RECOMMEND_MESSAGE = _("Answer from 0 (not at all likely) to 10 (extremely likely), or leave it blank.")


def recommend_field(help_text: Any) -> StrictIntegerField:
    """The optional recommend answer: a JSON whole number 0-10 or null. Write-only: an
    individual answer is never in any representation the API gives back."""
    return StrictIntegerField(
        min_value=RECOMMEND_MIN,
        max_value=RECOMMEND_MAX,
        required=False,
        allow_null=True,
        write_only=True,
        help_text=help_text,
        error_messages={"min_value": RECOMMEND_MESSAGE, "max_value": RECOMMEND_MESSAGE},
    )


class ReviewInputSerializer(serializers.Serializer):
    rating = StrictIntegerField(min_value=1, max_value=5)
    title = StrictCharField(max_length=TITLE_MAX_LENGTH, validators=[validate_display_text])
    body = StrictCharField(min_length=BODY_MIN_LENGTH, max_length=BODY_MAX_LENGTH, validators=[validate_written_text])
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES,
        required=False,
        help_text=_("Defaults to the author's language (through an invitation, the customer's)."),
    )
    recommend = recommend_field(
        _(
            "Optional: how likely the author is to recommend the product to a friend, from 0 (not at all "
            "likely) to 10 (extremely likely); null or absent: no answer. Write-only: never published, never "
            "in any answer of the API; counted in the product's Net Promoter Score."
        )
    )
    invitation_token = StrictCharField(
        required=False,
        max_length=INVITATION_TOKEN_MAX_LENGTH,
        help_text=_(
            "The token of a review invitation's link (the last part of /invitations/<token>/). It is the "
            "credential: no API key or session needed. The review is then the invited customer's (their "
            "account's if their address has one), a verified purchase. A refused token answers 403 "
            "`invitation_invalid`, 410 `invitation_expired`, `invitation_used` or `invitation_withdrawn`, "
            "or 403 `invitation_unsubscribed`."
        ),
    )
    author_name = StrictCharField(
        required=False,
        max_length=AUTHOR_NAME_MAX_LENGTH,
        validators=[validate_display_name],
        help_text=_(
            "Only with `invitation_token`, for a customer without an account: the name shown with the "
            "review. Defaults to the customer's first name. Ignored without a token: an account's review "
            "shows the account's name."
        ),
    )


NOTHING_TO_CHANGE_MESSAGE = _("Send at least one field to change.")


class ReviewChangeInputSerializer(serializers.Serializer):
    """An author's edit (PATCH): each field given replaces the stored one, the others stay.
    A body with none of them is refused: it would re-save the review and announce an edit
    (with pre-moderation, send a published review back to the moderators) for nothing."""

    rating = StrictIntegerField(min_value=1, max_value=5, required=False)
    title = StrictCharField(max_length=TITLE_MAX_LENGTH, validators=[validate_display_text], required=False)
    body = StrictCharField(
        min_length=BODY_MIN_LENGTH,
        max_length=BODY_MAX_LENGTH,
        validators=[validate_written_text],
        required=False,
    )
    language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False)
    recommend = recommend_field(
        _(
            "Optional: the author's answer from 0 (not at all likely) to 10 (extremely likely) to how likely "
            "they are to recommend the product to a friend; null clears it; absent keeps the stored answer. "
            "Write-only: never in any answer of the API."
        )
    )

    remove_photos = serializers.ListField(
        child=StrictIntegerField(min_value=1),
        required=False,
        max_length=MAX_PHOTOS_PER_REVIEW,
        help_text=_(
            "Optional: the ids of this review's photos to remove (their files are deleted). An id that is not "
            "one of this review's photos is 400 with `fields.remove_photos`, and nothing changes. Removing "
            "photos alone does not send the review back to moderation; adding photos (multipart `photos`) "
            "is an edit like a text edit."
        ),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # Photos sent alone (multipart, no review part) are a change too.
        if not attrs and not self.context.get("adds_photos"):
            raise serializers.ValidationError(NOTHING_TO_CHANGE_MESSAGE, code="invalid")
        return attrs


class VoteInputSerializer(serializers.Serializer):
    helpful = StrictBooleanField(help_text=_("true: the review helped you; false: it did not."))


class VoteSerializer(serializers.Serializer):
    review = serializers.IntegerField(help_text=_("The review's id."))
    helpful = serializers.BooleanField(help_text=_("Your vote (a later vote replaces it)."))
    helpful_yes = serializers.IntegerField(min_value=0)
    helpful_no = serializers.IntegerField(min_value=0)


class ReportInputSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=REPORT_REASON_CHOICES)
    comment = StrictCharField(
        max_length=REPORT_COMMENT_MAX_LENGTH,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Required when the reason is `other`."),
    )


# The request body as the schema describes it: the rule "`other` needs a comment" is
# reviews.services', and one flat object cannot say it, so the schema gives the two shapes
# a report can take (see ReportInputSchema). ReportInputSerializer still reads the body.
@extend_schema_serializer(component_name="ReportListed")
class ReportWithListedReasonSchema(serializers.Serializer):
    reason = serializers.ChoiceField(
        choices=[(code, label) for code, label in REPORT_REASON_CHOICES if code != ReasonCode.OTHER]
    )
    comment = serializers.CharField(
        max_length=REPORT_COMMENT_MAX_LENGTH,
        required=False,
        allow_blank=True,
        validators=[RegexValidator(COMMENT_WITHOUT_NUL)],
        help_text=_("Optional."),
    )


@extend_schema_serializer(component_name="ReportOther")
class ReportWithOtherReasonSchema(serializers.Serializer):
    reason = serializers.ChoiceField(choices=[(ReasonCode.OTHER.value, ReasonCode.OTHER.label)])
    comment = serializers.CharField(
        max_length=REPORT_COMMENT_MAX_LENGTH,
        validators=[RegexValidator(COMMENT_SAYS_SOMETHING)],
        help_text=_("Required: what is wrong with the review (not only spaces)."),
    )


class ReportInputSchema(OpenApiSerializerExtension):
    """ReportInputSerializer as the schema gives it: one of the two shapes, told apart by
    `reason` (required in both, so the body is required)."""

    target_class = ReportInputSerializer

    def map_serializer(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        listed = auto_schema.resolve_serializer(ReportWithListedReasonSchema(), direction).ref
        other = auto_schema.resolve_serializer(ReportWithOtherReasonSchema(), direction).ref
        return {
            "oneOf": [listed, other],
            "discriminator": {
                "propertyName": "reason",
                "mapping": {
                    code: (other if code == ReasonCode.OTHER else listed)["$ref"]
                    for code, _label in REPORT_REASON_CHOICES
                },
            },
            "required": ["reason"],
        }


class ReportSerializer(serializers.ModelSerializer):
    review: serializers.PrimaryKeyRelatedField[Review] = serializers.PrimaryKeyRelatedField(read_only=True)
    # A report's reason is never `author_deleted` (a database constraint): the same list as
    # the request's, so the schema has one ReportReasonEnum.
    reason = serializers.ChoiceField(choices=REPORT_REASON_CHOICES, read_only=True)

    class Meta:
        model = ReviewReport
        fields = ["id", "review", "reason", "comment", "created_at"]
        read_only_fields = fields
