"""Thin Celery tasks of reviews' photos: each calls one service and is safe to repeat."""

from __future__ import annotations

import logging

from celery import shared_task

from core.db_unavailable import TASK_RETRY_ON_DATABASE_ERRORS
from reviews import photos

logger = logging.getLogger(__name__)


@shared_task(name="reviews.tasks.review_photo_sizes_task", ignore_result=True, **TASK_RETRY_ON_DATABASE_ERRORS)
def review_photo_sizes_task(photo_id: int) -> bool:
    """Queued when a review with photos commits: makes the photo's sizes, then it shows."""
    return photos.review_photo_sizes_make(photo_id=photo_id)


@shared_task(name="reviews.tasks.review_photo_sizes_sweep_task", ignore_result=True, **TASK_RETRY_ON_DATABASE_ERRORS)
def review_photo_sizes_sweep_task() -> int:
    """Every few minutes (beat): the photos whose task was lost (a broker outage) get their
    sizes. One broken photo (its file gone, unreadable) is logged and skipped: it must not
    keep the others waiting. Returns how many were made."""
    made = 0
    for photo_id in photos.review_photo_ids_unsized():
        try:
            made += photos.review_photo_sizes_make(photo_id=photo_id)
        except (OSError, ValueError, SyntaxError) as exc:  # a missing or corrupt file (Pillow, storage)
            logger.error("review photos: photo %s could not be sized, skipped: %s", photo_id, exc)
    return made


@shared_task(
    name="reviews.tasks.review_photos_expired_delete_task", ignore_result=True, **TASK_RETRY_ON_DATABASE_ERRORS
)
def review_photos_expired_delete_task() -> int:
    """Daily (beat): rejected and removed reviews' photos, once their appeal window closed."""
    return photos.review_photos_expired_delete()


def review_photo_sizes_queue(photo_id: int) -> None:
    """What reviews.photos.review_submit_with_photos calls on commit for each photo."""
    review_photo_sizes_task.delay(photo_id)
