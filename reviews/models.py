from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from products.models import Product
from reviews.photo_rules import MAX_PHOTOS_PER_REVIEW

# A review written here (the form and the API state these limits to the writer).
TITLE_MAX_LENGTH = 120
BODY_MIN_LENGTH = 20
BODY_MAX_LENGTH = 5000
# A review as stored: what real platforms accept, so that an imported history is kept whole
# (public exports have titles of 250 characters and texts of 11,000 and more).
STORED_TITLE_MAX_LENGTH = 500
STORED_BODY_MAX_LENGTH = 50_000
# The brand's answer is always written here, so it keeps one limit.
BRAND_REPLY_MAX_LENGTH = 5000
REPORT_COMMENT_MAX_LENGTH = 1000
# The moderator's own words in a rejection's statement of reasons (required for "other").
DECISION_NOTE_MAX_LENGTH = 2000  # a burst's statement (desk.bursts) is kept as its note
AUTHOR_NAME_MAX_LENGTH = 60
# "How likely are you to recommend this product to a friend?": 0 to 10, optional (NPS).
RECOMMEND_MIN, RECOMMEND_MAX = 0, 10
# The languages a review may be written in (the site's).
LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Pending moderation")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")
    REMOVED = "removed", _("Removed")


class ReasonCode(models.TextChoices):
    """Why a review is not (or no longer) published, and why a shopper reports one.

    The same published list serves moderators and reporters (see /about/reviews/).
    """

    SPAM = "spam", _("Spam or advertising")
    OFFENSIVE = "offensive", _("Offensive or abusive language")
    PERSONAL_DATA = "personal_data", _("Contains personal data")
    OFF_TOPIC = "off_topic", _("Not about the product")
    FAKE = "fake", _("Fake or conflict of interest")
    AUTHOR_DELETED = "author_deleted", _("Deleted by its author")
    OTHER = "other", _("Other")
    # Why a pending review waits (the site sets them, nobody reports with them):
    # a burst of reviews on its product, held for a moderator (reviews.bursts);
    BURST = "burst", _("Held: an unusual burst of reviews on this product")
    # its author has not yet confirmed their email address (accounts.email_verified).
    EMAIL_UNVERIFIED = "email_unverified", _("Waiting for the author's email confirmation")


# Reasons the site gives a held review; never a shopper's report or a moderator's verdict.
HOLD_REASONS = (ReasonCode.BURST, ReasonCode.EMAIL_UNVERIFIED)
REPORT_REASONS = [c for c in ReasonCode if c is not ReasonCode.AUTHOR_DELETED and c not in HOLD_REASONS]

# The published moderation rules: what each reason code means (shown on /about/reviews/).
REASON_DESCRIPTIONS: dict[str, Promise] = {
    ReasonCode.SPAM: _("Advertising, links to other sites, or the same text posted again and again."),
    ReasonCode.OFFENSIVE: _("Insults, threats, hateful or obscene language, about anyone."),
    ReasonCode.PERSONAL_DATA: _(
        "Names, email addresses, phone numbers, addresses or order numbers of anyone, the author included."
    ),
    ReasonCode.OFF_TOPIC: _("Not about the product itself: delivery, the shop, prices, or another product."),
    ReasonCode.FAKE: _(
        "Not a genuine customer experience: written by or for the brand or a competitor, paid for, "
        "or posted under several accounts."
    ),
    ReasonCode.OTHER: _("Anything else against the law or these rules, explained by the reporter."),
}


class ReviewSource(models.TextChoices):
    SITE = "site", _("Written on the site")
    API = "api", _("Sent through the API")
    INVITATION = "invitation", _("Written after an invitation")
    IMPORT = "import", _("Imported history")


# The one definition of a **counted** review (docs/gate.md): published and not an employee
# review. Every figure (the product's stored figures, their recounts, the gate's day engine,
# the desk's KPIs and charts, what shoppers and the API are shown) counts these and only
# these. Column -> value, so the ORM (counted_q) and the set-based SQL of reviews.ratings
# read the same pairs.
COUNTED_FIELDS: dict[str, str | bool] = {"status": ReviewStatus.PUBLISHED.value, "employee": False}


def counted_q(prefix: str = "") -> Q:
    """The counted reviews as a Q object; ``prefix`` reaches them through a relation
    (``counted_q("reviews__")`` on products)."""
    return Q(**{f"{prefix}{column}": value for column, value in COUNTED_FIELDS.items()})


class ReviewQuerySet(models.QuerySet["Review"]):
    def published(self) -> ReviewQuerySet:
        """What shoppers may read (employee reviews included, labelled)."""
        return self.filter(status=ReviewStatus.PUBLISHED)

    def counted(self) -> ReviewQuerySet:
        """What every figure counts: published and not an employee review (docs/gate.md)."""
        return self.filter(counted_q())


class Review(models.Model):
    """A customer's review of one product revision.

    `status` moves only through reviews.services (which also keeps the product's derived
    figures in step); `published_at` is the moment the gate dates the review by.
    """

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="reviews")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviews",
    )
    # Display name shown to shoppers: the account's name, an invited guest's or an import's.
    author_name = models.CharField(_("display name"), max_length=AUTHOR_NAME_MAX_LENGTH)
    rating = models.PositiveSmallIntegerField(_("rating"))
    # The optional recommend answer (0-10): counted in the Net Promoter Score, never shown
    # one by one to anyone but its author and the staff who work on the product.
    recommend = models.PositiveSmallIntegerField(_("likelihood to recommend"), null=True, blank=True)
    # Sized for what is stored (imports included); a review written here is held to the
    # shorter TITLE_MAX_LENGTH / BODY_MAX_LENGTH by reviews.services.
    title = models.CharField(_("title"), max_length=STORED_TITLE_MAX_LENGTH, blank=True)
    body = models.TextField(_("text"), max_length=STORED_BODY_MAX_LENGTH, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="en")
    revision = models.PositiveIntegerField(_("product revision"), default=0)
    status = models.CharField(_("status"), max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.PENDING)
    status_reason = models.CharField(_("reason code"), max_length=32, choices=ReasonCode.choices, blank=True)
    # Set by reviews.services alone, by the rule of docs/invitations.md: written through an
    # invitation link, or by an account whose confirmed address has a delivered, unrefunded
    # order of the product from before the review. Never by an import.
    verified_purchase = models.BooleanField(_("verified purchase"), default=False)
    # The order line whose invitation link produced this review: the link is then used.
    order_line = models.ForeignKey(
        "orders.OrderLine",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviews",
        editable=False,
        verbose_name=_("invitation's order line"),
    )
    source = models.CharField(max_length=16, choices=ReviewSource.choices, default=ReviewSource.SITE)
    # Written by staff (a role other than shopper, or Django's is_staff) as the account was
    # when it submitted: shown as "Employee review" and counted nowhere (FTC 16 CFR 465).
    # Never set by an import; never changes afterwards.
    employee = models.BooleanField(_("employee review"), default=False, editable=False)
    # An importer's own id (CSV `review_id`): a re-import adds nothing twice.
    external_id = models.CharField(max_length=100, null=True, blank=True, unique=True)
    helpful_yes = models.PositiveIntegerField(default=0, editable=False)
    helpful_no = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("written at"), db_index=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        permissions = [("moderate_review", "Can moderate reviews and handle reports")]
        indexes = [
            models.Index(fields=["product", "status", "-created_at"], name="reviews_review_prod_status"),
            # The gate's figures: with `rating` in the key, count and sum come from the index
            # alone (an index-only scan), a quarter of the cost (docs/performance-gate-db.md).
            # `employee` last: the counted filter (COUNTED_FIELDS) is read from the index too.
            models.Index(
                fields=["product", "revision", "status", "published_at", "rating", "employee"],
                name="reviews_review_gate",
            ),
            models.Index(fields=["status", "published_at"], name="reviews_review_status_pub"),
            # The product page's and the API's other orderings (reviews.selectors.REVIEW_SORTS,
            # reviews.api.filters): "helpful" exactly; "highest" is this rating index read
            # backwards, "lowest" and the API's `rating` its prefix with an incremental sort.
            # Two indexes, not four: each costs every review insert a write.
            models.Index(
                fields=["product", "status", "-helpful_yes", "helpful_no", "-created_at", "-id"],
                name="reviews_review_prod_helpful",
            ),
            models.Index(fields=["product", "status", "rating", "created_at", "id"], name="reviews_review_prod_rating"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1) & Q(rating__lte=5), name="reviews_review_rating_1_to_5"),
            models.CheckConstraint(
                condition=Q(recommend__isnull=True)
                | (Q(recommend__gte=RECOMMEND_MIN) & Q(recommend__lte=RECOMMEND_MAX)),
                name="reviews_review_recommend_0_to_10",
            ),
            # One review per invitation link (a used link is refused before this backstop).
            models.UniqueConstraint(
                fields=["order_line"], condition=Q(order_line__isnull=False), name="reviews_review_one_per_order_line"
            ),
            # A review through an invitation is a verified purchase, always.
            models.CheckConstraint(
                condition=Q(order_line__isnull=True) | Q(verified_purchase=True),
                name="reviews_review_invited_is_verified",
            ),
            models.UniqueConstraint(
                fields=["product", "author", "revision"],
                condition=Q(author__isnull=False) & ~Q(status="removed"),
                name="reviews_review_one_per_author_revision",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="reviews_review_published_has_date",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "published"]) | ~Q(status_reason=""),
                name="reviews_review_unpublished_has_reason",
            ),
            models.CheckConstraint(condition=~Q(author_name=""), name="reviews_review_author_name_present"),
            # A TextField's max_length binds forms only, and SQLite ignores a varchar's: the
            # database holds both lengths itself (in characters, on SQLite and PostgreSQL).
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("title"), STORED_TITLE_MAX_LENGTH),
                name="reviews_review_title_within_stored_length",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("body"), STORED_BODY_MAX_LENGTH),
                name="reviews_review_body_within_stored_length",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating}★ {self.title or '(untitled)'} on {self.product_id}"

    def is_about_previous_version(self, product: Product | None = None) -> bool:
        return self.revision < (product or self.product).revision


@dataclass(frozen=True)
class WrittenLengths:
    """The longest title and text an author may send, on the site or through the API."""

    title_max: int
    body_max: int


def written_lengths(review: Review | None = None) -> WrittenLengths:
    """A new review's limits; editing `review`, never less than it already holds.

    Only a review with an author can be edited, and authors write through the form or the
    API, so today an editable review is never longer than these; imported reviews (up to
    STORED_TITLE_MAX_LENGTH / STORED_BODY_MAX_LENGTH) have no author and no one edits them.
    Should the written limits ever be lowered, an author can still correct an older, longer
    review without having to cut it, but cannot make it longer than it is.
    """
    if review is None:
        return WrittenLengths(title_max=TITLE_MAX_LENGTH, body_max=BODY_MAX_LENGTH)
    return WrittenLengths(
        title_max=max(TITLE_MAX_LENGTH, len(review.title)), body_max=max(BODY_MAX_LENGTH, len(review.body))
    )


class ReviewStatusChange(models.Model):
    """Append-only history of a review's status: who moved it, when, and why."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=16, choices=ReviewStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=ReviewStatus.choices)
    reason = models.CharField(max_length=32, choices=ReasonCode.choices, blank=True)
    # The moderator's explanation sent in the statement of reasons (EU DSA Art. 17): required
    # when the reason is "other", optional with a published reason (reviews.services.review_reject).
    note = models.TextField(blank=True, max_length=DECISION_NOTE_MAX_LENGTH)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["changed_at", "id"]


class ReviewVote(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_votes")
    helpful = models.BooleanField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("review vote")
        verbose_name_plural = _("review votes")
        constraints = [
            models.UniqueConstraint(fields=["review", "voter"], name="reviews_reviewvote_one_per_voter"),
        ]


class ReviewReport(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="review_reports"
    )
    reason = models.CharField(max_length=32, choices=ReasonCode.choices)
    comment = models.TextField(blank=True, max_length=REPORT_COMMENT_MAX_LENGTH)
    created_at = models.DateTimeField()
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A report about one of the review's photos (reviews.services checks it is this review's).
    photo = models.ForeignKey(
        "ReviewPhoto",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("reported photo"),
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("review report")
        verbose_name_plural = _("review reports")
        constraints = [
            models.UniqueConstraint(
                fields=["review", "reporter"],
                condition=Q(handled_at__isnull=True),
                name="reviews_reviewreport_one_open_per_reporter",
            ),
            models.CheckConstraint(
                condition=~Q(reason="author_deleted"), name="reviews_reviewreport_reason_reportable"
            ),
            models.CheckConstraint(
                condition=~Q(reason="other") | ~Q(comment=""), name="reviews_reviewreport_other_explained"
            ),
        ]


class BrandReply(models.Model):
    """The brand's one public answer to a review, written by a product manager."""

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="brand_reply")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="brand_replies")
    body = models.TextField(max_length=BRAND_REPLY_MAX_LENGTH)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        # Django's default plural adds an "s": "brand replys".
        verbose_name = _("brand reply")
        verbose_name_plural = _("brand replies")
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="reviews_brandreply_body_present"),
        ]


class ReviewPhotoQuerySet(models.QuerySet["ReviewPhoto"]):
    def ready(self) -> ReviewPhotoQuerySet:
        """The photos that may be shown: every size exists (the thumbnail task has run) and
        no moderator took the photo down (removed_at: its author and moderators alone may
        still open it, reviews.photo_views)."""
        return self.filter(ready_at__isnull=False, removed_at__isnull=True)

    def public(self) -> ReviewPhotoQuerySet:
        """What anyone may see: ready photos of published reviews."""
        return self.ready().filter(review__status=ReviewStatus.PUBLISHED)


class ReviewPhoto(models.Model):
    """A customer's photo of a review, stored re-encoded and stripped (reviews.photos).

    Never public by its storage address: every size is served by reviews.views.review_photo,
    which checks the review's visibility, so a held, rejected or removed review's photos are
    seen by its author and moderators alone. The names carry a random part all the same.
    """

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="photos")
    position = models.PositiveSmallIntegerField(_("position"))
    # FULL is written at upload; LARGE and THUMB by reviews.tasks.review_photo_sizes_task.
    full = models.FileField(_("photo"), max_length=200)
    large = models.FileField(max_length=200, blank=True)
    thumb = models.FileField(max_length=200, blank=True)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    created_at = models.DateTimeField()
    ready_at = models.DateTimeField(null=True, blank=True)
    # A moderator's takedown of this photo alone (desk.photo_takedown), the review staying:
    # never shown again, its author emailed the statement of reasons (reason and note, as a
    # rejection's ReviewStatusChange); its files go after the appeal window
    # (reviews.photos.review_photos_expired_delete).
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    removed_reason = models.CharField(_("removal reason"), max_length=32, choices=ReasonCode.choices, blank=True)
    removed_note = models.TextField(_("note to the author"), blank=True, max_length=DECISION_NOTE_MAX_LENGTH)

    objects = ReviewPhotoQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("review photo")
        verbose_name_plural = _("review photos")
        constraints = [
            models.UniqueConstraint(fields=["review", "position"], name="reviews_reviewphoto_one_per_position"),
            models.CheckConstraint(
                condition=Q(position__lt=MAX_PHOTOS_PER_REVIEW), name="reviews_reviewphoto_at_most_five"
            ),
            models.CheckConstraint(
                condition=Q(ready_at__isnull=True) | (~Q(large="") & ~Q(thumb="")),
                name="reviews_reviewphoto_ready_has_sizes",
            ),
            models.CheckConstraint(
                condition=Q(removed_at__isnull=True, removed_reason="", removed_note="")
                | (Q(removed_at__isnull=False) & ~Q(removed_reason="")),
                name="reviews_reviewphoto_removed_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"photo {self.position + 1} of review {self.review_id}"

    def number_shown(self) -> int:
        """Its number as the review shows its photos, 1 first (the strip, the gallery, the edit
        form): photos taken down or withdrawn before it keep their stored position but are not
        shown, so they are not counted."""
        earlier = ReviewPhoto.objects.filter(
            review_id=self.review_id, position__lt=self.position, removed_at__isnull=True
        )
        return 1 + earlier.count()
