"""Published reviews: read by anyone; written, voted on and reported by a signed-in user
or an API key holding `write` (acting as its owner), and edited by their author, through
reviews.services. The recommend answer is written here and never read back (write-only)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from accounts.requests import acting_user
from core.api_errors import ErrorSerializer, error_body
from core.api_http import positive_pk_or_404
from core.errors import DomainError
from core.json_parser import StrictJSONParser
from core.ratelimit import rate_limit_action, rate_limit_api_refusal
from products.models import Product
from reviews import photo_edits, photos, reactions
from reviews.api.filters import ReviewFilter
from reviews.api.photo_input import (
    REVIEW_CHANGE_REQUEST,
    REVIEW_CREATE_REQUEST,
    invitation_token_sent,
    review_body_and_photos,
)
from reviews.api.selectors import review_list_api, review_published_api
from reviews.api.serializers import (
    ReportInputSerializer,
    ReportSerializer,
    ReviewChangeInputSerializer,
    ReviewCreatedSerializer,
    ReviewInputSerializer,
    ReviewSerializer,
    VoteInputSerializer,
    VoteSerializer,
)
from reviews.invitations import invitation_rate_limits
from reviews.models import Review, ReviewSource, ReviewStatus
from reviews.tasks import review_photo_sizes_queue
from reviews.verified import invitation_open

SKU_PARAMETER = OpenApiParameter(
    "product_sku", OpenApiTypes.STR, OpenApiParameter.PATH, description="The product's SKU."
)
REVIEW_EXAMPLE = {
    "id": 4211,
    "product": "B000123",
    "author_name": "Camille",
    "rating": 2,
    "title": "Soles wore out in a month",
    "body": "Comfortable at first, but the soles wore through after about 150 km of trails.",
    "language": "en",
    "verified_purchase": True,
    "revision": 1,
    "about_previous_version": False,
    "helpful_yes": 12,
    "helpful_no": 1,
    "created_at": "2026-02-14T18:03:11+01:00",
    "published_at": "2026-02-14T18:03:11+01:00",
    "brand_reply": {
        "body": "Thank you: the outsole compound was changed in March.",
        "created_at": "2026-03-20T10:00:00+01:00",
        "updated_at": "2026-03-20T10:00:00+01:00",
    },
}


@extend_schema_view(
    list=extend_schema(
        summary="A product's published reviews",
        parameters=[SKU_PARAMETER],
        examples=[OpenApiExample("A review", value=REVIEW_EXAMPLE, response_only=True, status_codes=["200"])],
    ),
    create=extend_schema(
        summary="Write a review of the product's current revision",
        description=(
            "Needs a signed-in user or an API key holding `write`; the review is its owner's. Same rules as the "
            "site: one review per product revision (409 `duplicate_review`), a title, at least 20 characters "
            "of text. Published at once, or `pending` while pre-moderation is on. The site's limit too, in one "
            "budget with it: 10 reviews or edits an hour per author, and 200 an hour per API key (429 `throttled`)."
            "\n\n**Through an invitation.** With `invitation_token` (the token of a review invitation's link) "
            "no credentials are needed: the token is the credential, and without one an anonymous request is "
            "401 as before. The review is the invited customer's (their account's when their address has "
            "one, with every rule of that account: an employee review, 403 `own_product`; otherwise a guest's, "
            "shown under `author_name` or the customer's first name), a **verified purchase**, source "
            "`invitation`, and it takes the same moderation, limits and burst rule as any other. The token "
            "names one product: another product's URL is 403 `invitation_invalid`. Refused tokens: 403 "
            "`invitation_invalid` (tampered, cut short, not ours), 410 `invitation_expired`, "
            "`invitation_used` (it already produced a review), `invitation_withdrawn` (order cancelled or "
            "refunded, customer erased), 403 `invitation_unsubscribed`."
            "\n\n**With photos.** Send `multipart/form-data`: a part `review` holding the same JSON object, and "
            "up to 5 parts `photos` (JPEG, PNG or WebP, at most 10 MB and 40 megapixels each; the request at "
            "most 51 MB, else 413). Each photo is decoded and re-encoded (WebP) without its EXIF or GPS data; "
            "a refused photo is 400 with `fields.photos` (one message per file) and nothing is stored. The "
            "answer's `photos` give each photo's sizes; `ready` turns true once its thumbnails are made (a task, "
            "seconds), and only ready photos of published reviews are listed. See docs/photos.md."
        ),
        parameters=[SKU_PARAMETER],
        request=REVIEW_CREATE_REQUEST,
        responses={
            201: ReviewCreatedSerializer,
            410: OpenApiResponse(
                ErrorSerializer,
                description="The invitation token was ours but is gone for good: expired, used or withdrawn.",
                examples=[
                    OpenApiExample(
                        "Used invitation",
                        value=error_body(
                            "invitation_used", "This review link was already used: a review was written with it."
                        ),
                        response_only=True,
                    )
                ],
            ),
        },
        examples=[
            OpenApiExample(
                "A review",
                value={
                    "rating": 4,
                    "title": "Light and grippy",
                    "body": "Did 300 km on wet trails.",
                    "language": "en",
                    "recommend": 9,
                },
                request_only=True,
            ),
            OpenApiExample(
                "Through an invitation (no credentials)",
                value={
                    "rating": 5,
                    "title": "Warm and light",
                    "body": "Three nights below zero and I slept well.",
                    "invitation_token": "eyJsaW5lIjo0Mn0:1t3x9Q:3bX…",
                    "author_name": "Camille",
                },
                request_only=True,
            ),
        ],
    ),
)
class ProductReviewViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = ReviewSerializer
    # JSON, or multipart with photos (reviews.api.photo_input; docs/photos.md).
    parser_classes = [StrictJSONParser, MultiPartParser]
    filterset_class = ReviewFilter

    def get_product(self) -> Product:
        if not hasattr(self, "_product"):
            self._product: Product = get_object_or_404(Product, sku=self.kwargs["product_sku"])
        return self._product

    def get_queryset(self) -> QuerySet[Review]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no URL kwargs
            return Review.objects.none()
        return review_list_api(product=self.get_product())

    def get_permissions(self) -> list[Any]:
        if self.action == "create":
            return [AuthenticatedOrInvitation(), *[p for p in super().get_permissions() if not _is_auth(p)]]
        return list(super().get_permissions())

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        product = self.get_product()
        body, uploads = review_body_and_photos(request)
        data = ReviewInputSerializer(data=body)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        token: str | None = fields.get("invitation_token")
        # The site's limit (core.ratelimit), taken once the input is valid and given back if
        # the service refuses the review (a duplicate, a rule). Through an invitation it
        # counts the link's author, as the invitation page does.
        if token is not None:
            invited = invitation_open(token, now=timezone.now(), product=product)
            taken = invitation_rate_limits(request, invited)
            author, language = None, fields.get("language") or invited.line.language
        else:
            taken = rate_limit_action(request, "review_post")
            author = acting_user(request)
            language = fields.get("language") or getattr(request.user, "language", "en")
        if taken.refused:
            raise rate_limit_api_refusal(taken)
        # Not given back when photos were sent, even if refused: reading them is the cost.
        refunded_on = () if photos.photos_count_against_limit(uploads) else (DomainError,)
        with taken.refunded_on(*refunded_on):
            review = photos.review_submit_with_photos(
                uploads=uploads,
                queue_sizes=review_photo_sizes_queue,
                product=product,
                author=author,
                rating=fields["rating"],
                title=fields["title"],
                body=fields["body"],
                language=language,
                # A name is the invited guest's alone: an account's review shows its own.
                author_name=fields.get("author_name", "") if token is not None else "",
                source=ReviewSource.API,
                invitation_token=token,
                recommend=fields.get("recommend"),
            )
        review.product = product
        location = reverse("review-detail", kwargs={"pk": review.pk}, request=request)
        return Response(
            ReviewCreatedSerializer(review, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": location},
        )


def _published_or_own(request: Request) -> QuerySet[Review]:
    """What a PATCH may name: any published review (a non-author then meets the service's
    403), and the caller's own that are not removed (pending, rejected: their edit page's)."""
    own = Q(author_id=request.user.pk) if request.user and request.user.is_authenticated else Q(pk__in=[])
    return (
        Review.objects.filter(Q(status=ReviewStatus.PUBLISHED) | own)
        .exclude(status=ReviewStatus.REMOVED)
        .select_related("product", "brand_reply")
    )


def _is_auth(permission: Any) -> bool:
    return isinstance(permission, permissions.IsAuthenticatedOrReadOnly)


class AuthenticatedOrInvitation(permissions.BasePermission):
    """Writing a review needs credentials, or an invitation token in the body (the token is
    the credential: reviews.services checks it). Without either: 401, as before."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.user and request.user.is_authenticated:
            return True
        return invitation_token_sent(request)  # JSON, or a multipart request's `review` part


@extend_schema_view(
    retrieve=extend_schema(
        summary="One published review",
        examples=[OpenApiExample("A review", value=REVIEW_EXAMPLE, response_only=True, status_codes=["200"])],
    ),
)
class ReviewViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ReviewSerializer

    def get_parsers(self) -> list[Any]:
        # An edit may add photos (multipart, reviews.api.photo_input); votes and reports stay JSON.
        if self.request is not None and self.request.method == "PATCH":
            return [StrictJSONParser(), MultiPartParser()]
        return list(super().get_parsers())

    def get_queryset(self) -> QuerySet[Review]:
        if self.action == "partial_update":
            return _published_or_own(self.request)
        return review_published_api()

    @extend_schema(
        summary="Edit your review",
        description=(
            "Only the review's author (signed in, or an API key holding `write`). Another's published review is "
            "403 `permission_denied`; another's unpublished review (pending or rejected) and any removed review "
            "are 404. The author may edit their own pending or rejected review: 200, and it waits for a "
            "moderator (`status` `pending`). Each field given replaces the stored one; a field left out keeps "
            "the value stored when the edit is applied, so an edit saved meanwhile is not undone. `recommend` "
            "absent keeps the stored answer, `null` clears it; the answer is write-only, never given back. A "
            "body with none of `rating`, `title`, `body`, `language`, `recommend` (`{}`) is 400 `invalid` "
            '"Send at least one field to change." and changes nothing. Same rules and limit as writing a '
            "review; with pre-moderation the edited review waits for a moderator again (`status`)."
            "\n\n**Photos.** `remove_photos` lists ids of this review's photos to remove (another review's id: "
            "400 `fields.remove_photos`). To add photos send `multipart/form-data`: an optional part `review` "
            "holding the JSON object and up to 5 parts `photos` (same rules as a new review's photos; the "
            "request at most 51 MB, else 413). The photos kept and added are at most 5 (else 400 "
            "`fields.photos`). A refused photo refuses the whole edit: nothing changes, nothing is stored. "
            "Adding photos is an edit like a text edit (with pre-moderation the review waits for a moderator); "
            "removing photos alone is not. A removed photo's files are deleted once the edit is saved."
        ),
        request=REVIEW_CHANGE_REQUEST,
        responses={200: ReviewCreatedSerializer},
        examples=[
            OpenApiExample("Change the rating", value={"rating": 3}, request_only=True),
            OpenApiExample("Clear the recommend answer", value={"recommend": None}, request_only=True),
            OpenApiExample("Remove two photos", value={"remove_photos": [311, 312]}, request_only=True),
        ],
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        review = self.get_object()
        body, uploads = review_body_and_photos(request, review_part_required=False)
        data = ReviewChangeInputSerializer(data=body, context={"adds_photos": bool(uploads)})
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        taken = rate_limit_action(request, "review_post")  # one budget with posts and the site's edits
        if taken.refused:
            raise rate_limit_api_refusal(taken)
        # As on a new review: an attempt with photos keeps its count even when refused.
        refunded_on = () if photos.photos_count_against_limit(uploads) else (DomainError,)
        # A field not sent is left out (UNCHANGED), resolved from the row the service locks:
        # the review read above may already be stale (another edit committed since).
        changes = {
            name: fields[name] for name in ("rating", "title", "body", "language", "recommend") if name in fields
        }
        with taken.refunded_on(*refunded_on):
            edited = photo_edits.review_edit_with_photos(
                review=review,
                author=acting_user(request),
                uploads=uploads,
                remove_ids=fields.get("remove_photos", []),
                queue_sizes=review_photo_sizes_queue,
                **changes,
            )
        edited.product = review.product
        return Response(ReviewCreatedSerializer(edited, context={"request": request}).data)

    def get_object(self) -> Review:
        self.kwargs["pk"] = positive_pk_or_404(self.kwargs["pk"])
        return super().get_object()

    @extend_schema(
        summary="Vote on whether a review was helpful",
        description="One vote per user and review; voting again replaces it. Not on your own review (403).",
        request=VoteInputSerializer,
        responses={200: VoteSerializer},
        examples=[OpenApiExample("Helpful", value={"helpful": True}, request_only=True)],
    )
    @action(detail=True, methods=["post"], url_path="votes", url_name="votes")
    def votes(self, request: Request, pk: str) -> Response:
        review = self.get_object()
        data = VoteInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        taken = rate_limit_action(request, "vote")
        if taken.refused:
            raise rate_limit_api_refusal(taken)
        with taken.refunded_on(DomainError):
            vote = reactions.review_vote(
                review=review, voter=acting_user(request), helpful=data.validated_data["helpful"]
            )
        counts = Review.objects.values("helpful_yes", "helpful_no").get(pk=review.pk)
        return Response(VoteSerializer({"review": review.pk, "helpful": vote.helpful, **counts}).data)

    @extend_schema(
        summary="Report a review to the moderators",
        description=(
            "The review stays published until a moderator decides. One open report per user and review "
            "(409 `duplicate_report`)."
        ),
        request=ReportInputSerializer,
        responses={201: ReportSerializer},
        examples=[OpenApiExample("Off topic", value={"reason": "off_topic", "comment": ""}, request_only=True)],
    )
    @action(detail=True, methods=["post"], url_path="reports", url_name="reports")
    def reports(self, request: Request, pk: str) -> Response:
        review = self.get_object()
        data = ReportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        taken = rate_limit_action(request, "report")
        if taken.refused:
            raise rate_limit_api_refusal(taken)
        with taken.refunded_on(DomainError):
            report = reactions.review_report(
                review=review,
                reporter=acting_user(request),
                reason=data.validated_data["reason"],
                comment=data.validated_data["comment"],
            )
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)
