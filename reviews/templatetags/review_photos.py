"""Review photos on the shopper's pages (templates/products/_customer_photos.html)."""

from __future__ import annotations

from django import template

from products.models import Product
from reviews.models import ReviewPhoto

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
