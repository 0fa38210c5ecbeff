"""Output shapes of the catalogue endpoints (they are read-only: no input serializers)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request

from gate.policy import average_of
from products.models import GATE_STATE_CHOICES, STARS, Category, Product, ProductImage

AVERAGE_HELP = _("Exact average rounded half-even to 4 decimals (as the gate reports it); null with no review.")


class HistogramSerializer(serializers.Serializer):
    """Published reviews per star: keys "1" to "5"."""

    def get_fields(self) -> dict[str, serializers.Field]:
        return {
            str(star): serializers.IntegerField(min_value=0, help_text=_("Reviews with %(n)d stars.") % {"n": star})
            for star in STARS
        }


class RatingFiguresSerializer(serializers.Serializer):
    average = serializers.DecimalField(
        max_digits=5, decimal_places=4, allow_null=True, coerce_to_string=False, help_text=AVERAGE_HELP
    )
    count = serializers.IntegerField(min_value=0)
    histogram = HistogramSerializer()


class ProductRatingSerializer(serializers.Serializer):
    current = RatingFiguresSerializer(
        help_text=_(
            "Published reviews of the current product revision: what the quality gate and the product page use."
        )
    )
    all_time = RatingFiguresSerializer(help_text=_("Every published review, earlier revisions included."))


def rating_figures(total: int, count: int, histogram: dict[int, int]) -> dict[str, Any]:
    return {
        "average": average_of(count=count, total=total),
        "count": count,
        "histogram": {str(star): histogram[star] for star in STARS},
    }


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["slug", "name"]


class ProductGateSerializer(serializers.Serializer):
    state = serializers.ChoiceField(source="gate_state", choices=GATE_STATE_CHOICES)
    flagged_on = serializers.DateField(
        allow_null=True, help_text=_("Day the product went below the threshold (flagged only).")
    )
    withdrawal_deadline = serializers.DateField(
        allow_null=True, help_text=_("Day it is withdrawn if still below (flagged only).")
    )
    withdrawn_on = serializers.DateField(
        allow_null=True, help_text=_("Day it was withdrawn from sale (withdrawn only).")
    )


def product_image_url(image: ProductImage, request: Request | None) -> str:
    """The image's address on this site (storefront serves it through the storage API)."""
    path = reverse("product_image", kwargs={"pk": image.pk})
    return request.build_absolute_uri(path) if request is not None else path


class ProductImageSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text=_("The image's address (absolute)."))

    class Meta:
        model = ProductImage
        fields = ["url", "alt_text", "width", "height"]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField())
    def get_url(self, image: ProductImage) -> str:
        return product_image_url(image, self.context.get("request"))


class ProductSerializer(serializers.ModelSerializer):
    category = CategorySerializer(allow_null=True)
    gate = ProductGateSerializer(source="*")
    rating = serializers.SerializerMethodField()
    image_url = serializers.SerializerMethodField(
        help_text=_(
            "The product's card picture: the first of `images`, else the picture's address elsewhere set on "
            "the product (older products); null when it has none."
        )
    )
    images = ProductImageSerializer(
        many=True, read_only=True, help_text=_("The product's pictures, in their order; the first is the card's.")
    )
    revision_started_at = serializers.DateTimeField(
        allow_null=True, help_text=_("Start of the current revision: the latest logged improvement.")
    )

    class Meta:
        model = Product
        fields = [
            "sku",
            "name",
            "brand",
            "category",
            "image_url",
            "images",
            "on_sale",
            "gate",
            "revision",
            "revision_started_at",
            "rating",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_image_url(self, product: Product) -> str | None:
        return _image_url(product, self.context.get("request"))

    @extend_schema_field(ProductRatingSerializer)
    def get_rating(self, product: Product) -> dict[str, Any]:
        return ProductRatingSerializer(
            {
                "current": rating_figures(product.current_sum, product.current_count, product.current_histogram),
                "all_time": rating_figures(product.all_time_sum, product.all_time_count, product.all_time_histogram),
            }
        ).data


# One instance each, unbound: their to_representation is DRF's own (time zone, `Z`, ISO
# format), so the plain representation below writes dates exactly as the fields would.
_DATE = serializers.DateField()
_DATETIME = serializers.DateTimeField()


def _date_text(value: Any) -> str | None:
    return None if value is None else _DATE.to_representation(value)


def _datetime_text(value: Any) -> str | None:
    return None if value is None else _DATETIME.to_representation(value)


def product_data(product: Product, request: Request | None) -> dict[str, Any]:
    """What ProductSerializer writes for `product`, built as plain data: the same keys in the
    same order, the same values (tests/api/test_product_plain_data.py compares the bytes).

    A list of 50 products through ProductSerializer builds a nested serializer and about
    thirty fields per product; this builds one dict (docs/performance.md). ProductSerializer
    stays the schema's description of it."""
    category = product.category
    return {
        "sku": product.sku,
        "name": str(product.name),
        "brand": product.brand,
        "category": None if category is None else {"slug": category.slug, "name": str(category.name)},
        "image_url": _image_url(product, request),
        "images": [
            {
                "url": product_image_url(image, request),
                "alt_text": image.alt_text,
                "width": image.width,
                "height": image.height,
            }
            for image in product.images.all()
        ],
        "on_sale": product.on_sale,
        "gate": {
            "state": str(product.gate_state),
            "flagged_on": _date_text(product.flagged_on),
            "withdrawal_deadline": _date_text(product.withdrawal_deadline),
            "withdrawn_on": _date_text(product.withdrawn_on),
        },
        "revision": product.revision,
        "revision_started_at": _datetime_text(product.revision_started_at),
        "rating": {
            "current": rating_figures(product.current_sum, product.current_count, product.current_histogram),
            "all_time": rating_figures(product.all_time_sum, product.all_time_count, product.all_time_histogram),
        },
        "updated_at": _datetime_text(product.updated_at),
    }


def _image_url(product: Product, request: Request | None) -> str | None:
    card = product.card_image
    if card is not None:
        return product_image_url(card, request)
    return product.image_url or None


class ProductDataSerializer(serializers.BaseSerializer):
    """Read-only: ProductSerializer's output through product_data (no field per row)."""

    def to_representation(self, instance: Product) -> dict[str, Any]:
        return product_data(instance, self.context.get("request"))


class RatingFeedItemSerializer(serializers.ModelSerializer):
    """One product in the syndication feed: flat and small, for nightly syncs."""

    gate_state = serializers.ChoiceField(choices=GATE_STATE_CHOICES)
    average = serializers.SerializerMethodField(help_text=AVERAGE_HELP)
    count = serializers.IntegerField(source="current_count", help_text=_("Current-revision published reviews."))
    all_time_average = serializers.SerializerMethodField()
    all_time_count = serializers.IntegerField()

    class Meta:
        model = Product
        fields = [
            "sku",
            "gate_state",
            "on_sale",
            "revision",
            "average",
            "count",
            "all_time_average",
            "all_time_count",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_average(self, product: Product) -> float | None:
        value = average_of(count=product.current_count, total=product.current_sum)
        return None if value is None else float(value)

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_all_time_average(self, product: Product) -> float | None:
        value = average_of(count=product.all_time_count, total=product.all_time_sum)
        return None if value is None else float(value)
