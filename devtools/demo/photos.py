"""The demo's pictures, drawn with Pillow at seeding (no file is copied from anywhere).

Each demo product gets one simple picture (its category's colour, a shape, its name) as
its first ProductImage; a few published reviews of the demo get photos, stored and sized
through reviews.photos as an upload would be (the sizes made at once: no worker needed).
Found again by what exists: a product with an image or a review with photos is left
alone, so a second run writes nothing. About 0.5 s for the whole demo.
"""

from __future__ import annotations

import hashlib
import io
from collections import Counter

from django.core.files.base import ContentFile
from django.db.models import Exists, OuterRef
from django.utils import timezone
from PIL import Image, ImageDraw

from devtools.demo.plan import DemoPlan
from products.models import Product, ProductImage
from reviews import photos
from reviews.models import Review, ReviewPhoto, ReviewStatus

IMAGE_SIZE = (640, 480)
PHOTO_SIZE = (800, 600)
# Reviews of the demo that show photos: the most helpful positive ones, a few products.
REVIEWS_WITH_PHOTOS = 6
PHOTOS_PER_REVIEW = (2, 1, 3)


def _colour(key: str, shift: int = 0) -> tuple[int, int, int]:
    digest = hashlib.sha256(f"{key}:{shift}".encode()).digest()
    return (60 + digest[0] % 160, 60 + digest[1] % 160, 60 + digest[2] % 160)


def _drawing(key: str, label: str, size: tuple[int, int], shape: int = 0) -> bytes:
    """A plain picture: a two-tone background, a shape, and a label when given."""
    image = Image.new("RGB", size, _colour(key))
    draw = ImageDraw.Draw(image)
    width, height = size
    draw.rectangle((0, height * 2 // 3, width, height), fill=_colour(key, 1))
    box = (width // 4, height // 5, width * 3 // 4, height * 4 // 5)
    if shape % 3 == 0:
        draw.ellipse(box, fill=_colour(key, 2), outline="white", width=6)
    elif shape % 3 == 1:
        draw.rounded_rectangle(box, radius=40, fill=_colour(key, 2), outline="white", width=6)
    else:
        draw.polygon([(width // 2, box[1]), (box[2], box[3]), (box[0], box[3])], fill=_colour(key, 2))
    if label:
        draw.text((24, 24), label[:40], fill="white", font_size=32)
    out = io.BytesIO()
    image.save(out, format="WEBP", quality=80)
    return out.getvalue()


def _product_images_write(products: list[Product], created: Counter[str]) -> None:
    without = [p for p in products if not ProductImage.objects.filter(product=p).exists()]
    for product in without:
        # The picture's text in each language, as the product's name; the drawing holds its
        # SKU only, which reads the same in both.
        image = ProductImage(
            product=product,
            alt_text=product.name_en,
            alt_text_en=product.name_en,
            alt_text_fr=product.name_fr,
            position=0,
        )
        content = ContentFile(_drawing(product.sku, product.sku, IMAGE_SIZE))
        image.image.save(f"{product.sku.lower()}.webp", content, save=True)
        created["product images"] += 1


def _review_photos_write(created: Counter[str], product_ids: list[int]) -> None:
    has_photos = ReviewPhoto.objects.filter(review=OuterRef("pk"))
    if Review.objects.filter(product_id__in=product_ids).filter(Exists(has_photos)).exists():
        return  # seeded before
    chosen = list(
        Review.objects.filter(product_id__in=product_ids, status=ReviewStatus.PUBLISHED, rating__gte=4)
        .exclude(body="")
        .order_by("-helpful_yes", "pk")[:REVIEWS_WITH_PHOTOS]
    )
    now = timezone.now()
    for n, review in enumerate(chosen):
        count = PHOTOS_PER_REVIEW[n % len(PHOTOS_PER_REVIEW)]
        drawings = [_drawing(f"{review.pk}-{i}", "", PHOTO_SIZE, shape=i + n) for i in range(count)]
        prepared = [photos.PreparedPhoto(content=d, width=PHOTO_SIZE[0], height=PHOTO_SIZE[1]) for d in drawings]
        written: list[str] = []
        for photo in photos.review_photos_store(review=review, photos=prepared, now=now, written=written):
            photos.review_photo_sizes_make(photo_id=photo.pk, now=now)
            created["review photos"] += 1


def demo_photos_write(plan: DemoPlan, *, created: Counter[str]) -> None:
    products = list(Product.objects.filter(sku__in=[spec.sku for spec in plan.products]).order_by("sku"))
    _product_images_write(products, created)
    _review_photos_write(created, [p.pk for p in products])
