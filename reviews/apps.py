from __future__ import annotations

from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Reviews"

    def ready(self) -> None:
        # Imported here, not at the top: these modules import models, which the app
        # registry must have loaded first (Django's rule for ready()); not to dodge a cycle.
        from accounts.events import email_verified  # noqa: PLC0415 - Django's ready(): models loaded first
        from orders.events import orders_anonymising  # noqa: PLC0415 - Django's ready(): models loaded first
        from reviews.photos import (  # noqa: PLC0415 - Django's ready(): models loaded first
            orders_anonymising_photos_delete,
            review_photo_signals_connect,
        )
        from reviews.services import email_verified_reviews_release  # noqa: PLC0415 - Django's ready(): models loaded first
        from reviews.staff import staff_signals_connect  # noqa: PLC0415 - Django's ready(): models loaded first

        # An account that confirms its address: the reviews that waited for it are
        # published (or held), inside the confirmation's transaction.
        email_verified.subscribe(email_verified_reviews_release)
        # An account that becomes staff later: its reviews become employee reviews.
        staff_signals_connect()
        # A photo's files go with its row (after commit), and with the author's deletion.
        review_photo_signals_connect()
        # A customer erased on request: their guest reviews' photos are deleted (not when
        # their orders merely pass the retention period).
        orders_anonymising.subscribe(orders_anonymising_photos_delete)
