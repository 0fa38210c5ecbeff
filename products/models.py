from __future__ import annotations

from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.db.models import F, Q, TextField, Value
from django.db.models.functions import Coalesce, Now, NullIf
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from modeltranslation.manager import MultilingualManager

from core.skus import SKU_MAX_LENGTH, is_valid_sku
from gate.policy import GateState, average_of
from products.images import image_size, product_image_check, product_image_cleaned
from products.indexes import NullsLastIndex

STARS = (1, 2, 3, 4, 5)

# core.skus.SKU_RULE in words a user reads in their language (the rule itself is core.skus').
SKU_RULE_TEXT = _("1 to %(max)d characters: ASCII letters, digits, “.”, “_” and “-”, starting with a letter or digit.")


def sku_rule_text() -> str:
    """The rule in the active language (a function: a lazy string's % would translate at import)."""
    return str(SKU_RULE_TEXT) % {"max": SKU_MAX_LENGTH}


def validate_sku(value: str) -> None:
    """The SKU rule of core.skus for ModelForms, the admin and full_clean (the imports and
    the API's URL patterns check the same rule through core.skus)."""
    if not is_valid_sku(value):
        raise ValidationError(
            _("“%(value)s” is not a valid SKU: a SKU is %(rule)s"),
            code="invalid_sku",
            params={"value": value[:80], "rule": sku_rule_text()},
        )


class Category(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    # The manager django-modeltranslation would install (products/translation.py), named
    # here so that type checkers know it.
    objects: MultilingualManager[Category] = MultilingualManager()

    # The per-language columns django-modeltranslation adds (products/translation.py),
    # declared for type checkers only: English is required, other languages may be empty.
    name_en: str
    name_fr: str | None

    class Meta:
        ordering = ["name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name


CURRENT_HISTOGRAM = tuple(f"current_{star}_star" for star in STARS)
ALL_TIME_HISTOGRAM = tuple(f"all_time_{star}_star" for star in STARS)


# The states are gate.policy's (their one definition); these are their names on the pages.
# The state is stored on the product so every page and API filter reads it without a join.
GATE_STATE_LABELS = {
    GateState.ACTIVE: _("Active"),
    GateState.FLAGGED: _("Flagged"),
    GateState.WITHDRAWN: _("Withdrawn"),
}
GATE_STATE_CHOICES = [(state.value, GATE_STATE_LABELS[state]) for state in GateState]


# A product's name as a French page shows it (its French name, else its English one): the
# ordering expression of products.translated.localized, and its index's (Product.Meta).
NAME_FR_SHOWN = Coalesce(
    NullIf(F("name_fr"), Value(""), output_field=TextField()), F("name_en"), output_field=TextField()
)


class Product(models.Model):
    """A catalogue product, identified publicly by its SKU.

    The rating figures are derived from published reviews and kept in the same transaction
    as every change to them (see reviews.services); `recompute_ratings` rebuilds them.
    `on_sale` belongs to the quality gate: only gate.services changes it.
    """

    # No database check of the rule: products stored before it (legacy SKUs, reported by
    # migration 0003) must keep working until renamed; every way in validates it instead.
    sku = models.CharField(
        _("SKU"),
        max_length=SKU_MAX_LENGTH,
        unique=True,
        validators=[validate_sku],
        help_text=lazy(sku_rule_text, str)(),
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="products", null=True, blank=True)
    brand = models.CharField(_("brand"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    image_url = models.URLField(_("image URL"), blank=True)
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="managed_products",
        blank=True,
        verbose_name=_("product managers"),
    )
    on_sale = models.BooleanField(_("on sale"), default=True, editable=False)

    # The quality gate's state of the product: written only by gate.services.
    gate_state = models.CharField(
        _("gate state"), max_length=16, choices=GATE_STATE_CHOICES, default=GateState.ACTIVE, editable=False
    )
    flagged_on = models.DateField(_("flagged on"), null=True, blank=True, editable=False)
    withdrawal_deadline = models.DateField(_("withdrawal date"), null=True, blank=True, editable=False)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True, editable=False)

    # The product revision: a logged improvement starts a new one (see GATE_SPEC.md).
    revision = models.PositiveIntegerField(_("revision"), default=0, editable=False)
    revision_started_at = models.DateTimeField(_("revision started at"), null=True, blank=True, editable=False)

    # Derived figures of published reviews: current revision, then all time.
    current_count = models.PositiveIntegerField(default=0, editable=False)
    current_sum = models.PositiveIntegerField(default=0, editable=False)
    current_1_star = models.PositiveIntegerField(default=0, editable=False)
    current_2_star = models.PositiveIntegerField(default=0, editable=False)
    current_3_star = models.PositiveIntegerField(default=0, editable=False)
    current_4_star = models.PositiveIntegerField(default=0, editable=False)
    current_5_star = models.PositiveIntegerField(default=0, editable=False)
    all_time_count = models.PositiveIntegerField(default=0, editable=False)
    all_time_sum = models.PositiveIntegerField(default=0, editable=False)
    all_time_1_star = models.PositiveIntegerField(default=0, editable=False)
    all_time_2_star = models.PositiveIntegerField(default=0, editable=False)
    all_time_3_star = models.PositiveIntegerField(default=0, editable=False)
    all_time_4_star = models.PositiveIntegerField(default=0, editable=False)
    all_time_5_star = models.PositiveIntegerField(default=0, editable=False)
    # Stored (not computed per query) so the catalogue can sort and filter by it with an index.
    current_average = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True, editable=False)

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    # What the product page and its figures show, versioned: raised by
    # products.page_version.page_version_bump in the transaction of every change that alters
    # them (docs/performance.md, "Caching"). Cached pages and ETags are keyed by the pair;
    # the moment also tells two products that reused a SKU or a restored database apart.
    # Defaults in the database too: a row written outside the ORM (a bulk load, an ETL, the
    # bench's seed) gets a version, not a NOT NULL error.
    page_version = models.PositiveBigIntegerField(_("page version"), default=0, db_default=0, editable=False)
    page_changed_at = models.DateTimeField(_("page changed at"), default=timezone.now, db_default=Now(), editable=False)

    objects: MultilingualManager[Product] = MultilingualManager()  # as Category's
    name_en: str  # the per-language columns, as Category's
    name_fr: str | None
    description_en: str
    description_fr: str | None

    class Meta:
        ordering = ["name"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        permissions = [
            ("manage_own_products", "Can act as product manager on the products they manage"),
            ("manage_all_products", "Can act on every product (quality director)"),
            ("read_every_product", "Can read every product's reviews and figures, read only (company reader)"),
        ]
        indexes = [
            models.Index(fields=["category", "name"], name="products_product_cat_name"),
            models.Index(fields=["current_average"], name="products_product_cur_avg"),
            models.Index(fields=["gate_state"], name="products_product_gate_state"),
            # An index per list ordering (products.selectors, products.filters.catalogue_sort,
            # the API's ?ordering=): the top rows of a page are read from the index instead
            # of sorting the whole catalogue. The name is the one the page shows: English,
            # or in French its own name falling back to English, the very expression of
            # products.translated.localized (the planner matches expressions, not meanings).
            # A descending or tie-broken variant is served by a backward scan or by an
            # incremental sort on the index's prefix (tests/integration/products/test_list_indexes.py).
            models.Index(F("name_en"), F("id"), name="products_product_name_en_id"),
            models.Index(NAME_FR_SHOWN, F("id"), name="products_product_name_fr_id"),
            NullsLastIndex(
                F("current_average").desc(nulls_last=True),
                F("current_count").desc(),
                F("name_en"),
                F("id"),
                name="products_product_by_rating",
            ),
            models.Index(F("current_count").desc(), F("name_en"), F("id"), name="products_product_by_count"),
            models.Index(fields=["all_time_count", "id"], name="products_product_all_time_cnt"),
            models.Index(fields=["created_at", "id"], name="products_product_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(gate_state="active", flagged_on__isnull=True, withdrawn_on__isnull=True)
                | Q(
                    gate_state="flagged",
                    flagged_on__isnull=False,
                    withdrawal_deadline__isnull=False,
                    withdrawn_on__isnull=True,
                )
                | Q(gate_state="withdrawn", withdrawn_on__isnull=False),
                name="products_product_gate_state_dates",
            ),
            models.CheckConstraint(
                condition=Q(on_sale=True) | Q(gate_state="withdrawn"),
                name="products_product_off_sale_only_when_withdrawn",
            ),
            models.CheckConstraint(
                condition=Q(current_count__lte=F("all_time_count")),
                name="products_product_current_within_all_time",
            ),
            models.CheckConstraint(
                condition=Q(current_sum__gte=F("current_count")) & Q(current_sum__lte=F("current_count") * 5),
                name="products_product_current_sum_in_range",
            ),
            models.CheckConstraint(
                condition=Q(all_time_sum__gte=F("all_time_count")) & Q(all_time_sum__lte=F("all_time_count") * 5),
                name="products_product_all_time_sum_in_range",
            ),
            models.CheckConstraint(
                condition=Q(
                    current_count=F("current_1_star")
                    + F("current_2_star")
                    + F("current_3_star")
                    + F("current_4_star")
                    + F("current_5_star")
                ),
                name="products_product_current_histogram_adds_up",
            ),
            models.CheckConstraint(
                condition=Q(
                    all_time_count=F("all_time_1_star")
                    + F("all_time_2_star")
                    + F("all_time_3_star")
                    + F("all_time_4_star")
                    + F("all_time_5_star")
                ),
                name="products_product_all_time_histogram_adds_up",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.sku})"

    @property
    def current_histogram(self) -> dict[int, int]:
        return {star: getattr(self, f"current_{star}_star") for star in STARS}

    @property
    def all_time_histogram(self) -> dict[int, int]:
        return {star: getattr(self, f"all_time_{star}_star") for star in STARS}

    @property
    def card_image(self) -> ProductImage | None:
        """The first uploaded image (reads a prefetch of ``images`` when there is one);
        None leaves the catalogue card to ``image_url``, the fallback."""
        images = list(self.images.all())
        return images[0] if images else None

    @property
    def all_time_average(self) -> Decimal | None:
        return average_of(count=self.all_time_count, total=self.all_time_sum)


PRODUCT_IMAGE_ALT_MAX_LENGTH = 200


class ProductImage(models.Model):
    """One of a product's pictures, set in the admin; the first (lowest position) is the
    catalogue card's. Public: served by storefront at /products/images/<id>/.

    Product.image_url stays as the fallback for products without an uploaded image: it is
    an address elsewhere (a brand's CDN), which a migration cannot copy in without fetching
    arbitrary URLs at deploy time.
    """

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    # No width_field/height_field: Django would read the stored file on every load of a row
    # whose size is unknown (storage round trips on every page, S3 included). save() sets them.
    image = models.ImageField(_("image"), upload_to="products/%Y/%m/", max_length=200)
    # Set by save() from the cleaned picture, or read once from a file stored before it.
    width = models.PositiveIntegerField(editable=False, null=True, blank=True)
    height = models.PositiveIntegerField(editable=False, null=True, blank=True)
    alt_text = models.CharField(
        _("alternative text"),
        max_length=PRODUCT_IMAGE_ALT_MAX_LENGTH,
        help_text=_("What the picture shows, for shoppers who cannot see it (read by screen readers)."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("product image")
        verbose_name_plural = _("product images")
        indexes = [models.Index(fields=["product", "position", "id"], name="products_productimage_order")]
        constraints = [
            models.CheckConstraint(condition=~Q(alt_text=""), name="products_productimage_alt_present"),
        ]

    def __str__(self) -> str:
        return self.alt_text

    def save(self, *args: Any, **kwargs: Any) -> None:
        """A new file is stored cleaned (products.images): re-encoded as WebP from its pixels
        alone, no EXIF or GPS, named .webp whatever it was called."""
        if self.image and not self.image._committed:
            cleaned = product_image_cleaned(self.image)
            stem = PurePath(self.image.name or "image").stem[:80] or "image"
            self.image.save(f"{stem}.webp", ContentFile(cleaned.content), save=False)
            self.width, self.height = cleaned.width, cleaned.height
        elif self.image and self.width is None:
            # Stored through FieldFile.save() (the demo's pictures) or before the cleaning.
            with self.image.open("rb") as stored:
                self.width, self.height = image_size(stored)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        """A new file must be a JPEG, PNG or WebP image, judged from its content (the
        admin's form calls this; ImageField alone would take a GIF, a BMP, a TIFF)."""
        super().clean()
        if self.image and not self.image._committed:
            try:
                product_image_check(self.image)
            except ValidationError as exc:
                raise ValidationError({"image": exc.messages}) from exc
