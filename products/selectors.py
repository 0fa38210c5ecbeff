"""Reads of the catalogue, shaped for the pages and the API."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.db.models import QuerySet

from gate.policy import average_of
from products.models import STARS, Category, Product
from products.translated import localized


def product_list_public() -> QuerySet[Product]:
    """In name order as the shopper reads the names (their language, else English), with
    categories (one join) and images (one query for the page)."""
    return Product.objects.select_related("category").prefetch_related("images").order_by(localized("name").asc(), "pk")


def product_get_public(*, sku: str) -> Product:
    """The product with this SKU and its images (raises Product.DoesNotExist)."""
    return Product.objects.select_related("category").prefetch_related("images").get(sku=sku)


def category_list() -> QuerySet[Category]:
    return Category.objects.order_by(localized("name").asc())


@dataclass(frozen=True)
class StarBar:
    stars: int
    count: int
    percent: int  # of the figures' count, rounded to the nearest whole percent


@dataclass(frozen=True)
class RatingFigures:
    average: Decimal | None
    count: int
    bars: tuple[StarBar, ...]  # 5 stars first, as shoppers read a histogram
    total: int = 0  # the sum of the ratings

    @property
    def exact_average(self) -> Fraction | None:
        """The average as an exact fraction, for the display rule beside the gate's threshold
        (``core.gate_figures``): 10/3 is at a threshold of 10/3, its 4 decimals are not."""
        return Fraction(self.total, self.count) if self.count else None


@dataclass(frozen=True)
class RatingSummary:
    current: RatingFigures  # the current revision: what the gate and the JSON-LD use
    all_time: RatingFigures  # every published review, earlier versions included
    has_previous_versions: bool


def _figures(total: int, count: int, histogram: dict[int, int]) -> RatingFigures:
    def percent(n: int) -> int:
        return (n * 100 + count // 2) // count if count else 0

    bars = tuple(StarBar(star, histogram[star], percent(histogram[star])) for star in reversed(STARS))
    return RatingFigures(average=average_of(count=count, total=total), count=count, bars=bars, total=total)


def product_rating_summary(product: Product) -> RatingSummary:
    """From the figures stored on the product: no query."""
    return RatingSummary(
        current=_figures(product.current_sum, product.current_count, product.current_histogram),
        all_time=_figures(product.all_time_sum, product.all_time_count, product.all_time_histogram),
        has_previous_versions=product.revision > 0,
    )
