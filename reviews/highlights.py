"""Which two reviews a product page shows side by side as its highlights: the rule, pure.

The rule (docs/shopper.md, "Review highlights"):

1. Candidates: published reviews of the product's current version that the figures count
   (an employee review is never one: it is counted nowhere) and that at least one shopper
   found helpful.
2. Positive: 4 or 5 stars. Critical: 1, 2 or 3 stars (as Amazon does: a 3-star review
   mostly says what falls short, and the critical side would otherwise rarely exist).
3. On each side, the most helpful: most "helpful" votes; between equals, fewer "not
   helpful" votes (for equal "helpful" votes that is also the higher Wilson lower bound of
   the helpful share), then the newer, then the later written (higher id). It is the first
   review the list shows sorted by "Most helpful" and filtered to that side's stars.
4. Both sides or none: one side alone would read as the shop's endorsement, not a contrast.

`reviews.selectors.review_highlights` loads at most one candidate per side in one query
and calls `highlights_choose`, which would choose the same from every review of the product.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

POSITIVE_RATINGS = frozenset({4, 5})
CRITICAL_RATINGS = frozenset({1, 2, 3})
MIN_HELPFUL_VOTES = 1
PUBLISHED = "published"


class HighlightCandidate(Protocol):
    @property
    def pk(self) -> int | None: ...
    @property
    def rating(self) -> int: ...
    @property
    def status(self) -> str: ...
    @property
    def employee(self) -> bool: ...
    @property
    def revision(self) -> int: ...
    @property
    def helpful_yes(self) -> int: ...
    @property
    def helpful_no(self) -> int: ...
    @property
    def created_at(self) -> datetime: ...


@dataclass(frozen=True)
class Highlights:
    positive: HighlightCandidate
    critical: HighlightCandidate


def highlight_eligible(review: HighlightCandidate, *, current_revision: int) -> bool:
    return (
        review.status == PUBLISHED
        and not review.employee
        and review.revision == current_revision
        and review.helpful_yes >= MIN_HELPFUL_VOTES
    )


def _rank(review: HighlightCandidate) -> tuple[int, int, datetime, int]:
    # max() of this key: more helpful votes, then fewer unhelpful, then newer, then higher id.
    return (review.helpful_yes, -review.helpful_no, review.created_at, review.pk or 0)


def highlights_choose(reviews: Iterable[HighlightCandidate], *, current_revision: int) -> Highlights | None:
    """The most helpful positive and critical reviews among `reviews`, or None unless both exist."""
    eligible = [review for review in reviews if highlight_eligible(review, current_revision=current_revision)]
    positives = [review for review in eligible if review.rating in POSITIVE_RATINGS]
    criticals = [review for review in eligible if review.rating in CRITICAL_RATINGS]
    if not positives or not criticals:
        return None
    return Highlights(positive=max(positives, key=_rank), critical=max(criticals, key=_rank))
