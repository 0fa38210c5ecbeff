"""Review photos on the shopper's pages (templates/products/_customer_photos.html)."""

from __future__ import annotations

from django import template

from products.models import Product
from reviews.models import Review, ReviewPhoto, ReviewReport

register = template.Library()

# The product page's "customer photos" strip: the latest published photos (one query).
CUSTOMER_PHOTOS_SHOWN = 12


@register.simple_tag
def customer_photos(product: Product) -> list[ReviewPhoto]:
    """The newest ready photos of the product's published reviews, a review's in its order."""
    return list(
        ReviewPhoto.objects.public()
        .filter(review__product=product)
        .select_related("review")
        .order_by("-review__published_at", "review_id", "position")[:CUSTOMER_PHOTOS_SHOWN]
    )


@register.simple_tag
def review_photos_for_moderation(review: Review) -> list[ReviewPhoto]:
    """Every photo of a review in the moderation queue, ready or not, in their order (the
    queue's querysets prefetch them: desk.selectors.moderation). Moderators may open them
    all (reviews.photo_views)."""
    return list(review.photos.all())


@register.filter
def reported_photo_ids(reports: list[ReviewReport] | None) -> set[int]:
    """The photos named by a review's open reports (``review.open_reports`` in the desk)."""
    return {report.photo_id for report in reports or () if report.photo_id is not None}
