"""Product images stored before the cleaning (products.images), re-encoded as it does now.

A ProductImage saved with a new file is cleaned by its save(); rows written before that
(as uploaded, under any name, with their EXIF and GPS position) are cleaned here, one by
one, by the ``product_images_reencode`` command. Safe to repeat: a file already cleaned
(a WebP of the picture alone, named .webp, no larger than the cleaning writes) is left
alone, so a second run, or a run beside another, changes nothing twice.
"""

from __future__ import annotations

import io
import logging
from enum import StrEnum
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from PIL import Image

from core.images import webp_is_clean
from products.images import LONGEST_SIDE, product_image_cleaned
from products.models import ProductImage
from products.page_version import page_version_bump

logger = logging.getLogger(__name__)


class Reencoded(StrEnum):
    CLEAN = "clean"  # already as the cleaning writes it: left alone
    REENCODED = "reencoded"  # (or would be, in a dry run)


def stored_image_is_clean(*, name: str, data: bytes) -> bool:
    """A stored file as the cleaning leaves it: named .webp, a WebP of the picture alone,
    at most LONGEST_SIDE pixels on its longest side."""
    if not name.lower().endswith(".webp") or not webp_is_clean(data):
        return False
    with Image.open(io.BytesIO(data)) as image:
        return max(image.size) <= LONGEST_SIDE


def product_image_ids() -> list[int]:
    return list(ProductImage.objects.order_by("pk").values_list("pk", flat=True))


def _delete_quietly(name: str) -> None:
    try:
        default_storage.delete(name)
    except OSError as exc:  # left to the storage's lifecycle rules, said in the log
        logger.warning("product images: could not delete %s: %s", name, exc)


def product_image_reencode(*, image_id: int, dry_run: bool = False) -> Reencoded:
    """Re-encodes one image's file if it is not clean yet: the new .webp file is written,
    the row names it (with its size) in one transaction, and the old file is deleted once
    that commits. Raises ValidationError when the stored file is not an image the cleaning
    accepts, OSError when it cannot be read: the row is then left as it was."""
    with transaction.atomic():
        image = ProductImage.objects.select_for_update().get(pk=image_id)
        old_name = image.image.name
        with image.image.open("rb") as stored:
            data = stored.read()
        if stored_image_is_clean(name=old_name, data=data):
            return Reencoded.CLEAN
        cleaned = product_image_cleaned(io.BytesIO(data))
        if dry_run:
            return Reencoded.REENCODED
        stem = PurePath(old_name).stem[:80] or "image"
        image.image.save(f"{stem}.webp", ContentFile(cleaned.content), save=False)
        new_name = image.image.name
        try:
            image.width, image.height = cleaned.width, cleaned.height
            image.save(update_fields=["image", "width", "height"])
            page_version_bump(image.product_id)  # the page and API name the new file
        except BaseException:
            _delete_quietly(new_name)
            raise
        transaction.on_commit(lambda: _delete_quietly(old_name), robust=True)
    return Reencoded.REENCODED
