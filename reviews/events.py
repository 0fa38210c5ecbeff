"""What reviews announces to the apps above it (core.events; docs/architecture.md).

reviews may not import the gate, customer care or topics; they learn of a review's changes
by subscribing to ``review_changed`` in their ``AppConfig.ready()``. Facts are published
by reviews.services inside the transaction of the change. Imported history publishes
nothing (an import sends nothing).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from core.events import Topic


class ReviewChange(enum.StrEnum):
    PUBLISHED = "published"  # it became public (on submission, or released by a moderator)
    EDITED = "edited"  # its author changed it and it stays public
    UNPUBLISHED = "unpublished"  # it stopped being public (held again, rejected, removed, deleted)


@dataclass(frozen=True)
class ReviewChanged:
    change: ReviewChange
    review_id: int
    product_id: int
    rating: int
    previous_rating: int  # the rating before an edit; the same as ``rating`` otherwise
    at: datetime


review_changed: Topic[ReviewChanged] = Topic("reviews.review_changed")
