"""Closing the loop: whether the phrases an improvement says it addresses are said less
in the low-rated reviews of the new revision than in those of the one it replaced."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum

from core.phrases import LOW_RATINGS, phrase_matches
from desk.selectors.reviews import review_text
from gate.models import Improvement
from gate.policy import average_of
from reviews.models import Review


@dataclass(frozen=True)
class LoopRow:
    """How often an addressed phrase is said in the low-rated reviews, before and after."""

    phrase: str
    before: int
    before_total: int
    after: int
    after_total: int

    @staticmethod
    def _share(count: int, total: int) -> Decimal | None:
        return None if not total else (Decimal(100 * count) / total).quantize(Decimal("0.1"))

    @property
    def before_share(self) -> Decimal | None:
        return self._share(self.before, self.before_total)

    @property
    def after_share(self) -> Decimal | None:
        return self._share(self.after, self.after_total)

    @property
    def verdict(self) -> str:
        """fixed: no longer said; better / same / worse; too_early: no low-rated review yet."""
        after, before = self.after_share, self.before_share
        if after is None:
            return "too_early"
        if before is None:
            return "same"
        if self.after == 0 and self.before > 0:
            return "fixed"
        if after < before:
            return "better"
        return "worse" if after > before else "same"


@dataclass(frozen=True)
class LoopSummary:
    improvement: Improvement
    rows: list[LoopRow]
    before_reviews: int
    before_average: Decimal | None
    after_reviews: int
    after_average: Decimal | None


def _low_texts(product_id: int, revision: int) -> list[str]:
    rows = (
        Review.objects.counted()
        .filter(product_id=product_id, revision=revision, rating__in=list(LOW_RATINGS))
        .values_list("title", "body")
    )
    return [review_text(title, body) for title, body in rows]


def _revision_figures(improvement: Improvement) -> dict[int, tuple[int, int]]:
    """(count, sum) of the counted reviews of the revision before and of the new one."""
    rows = (
        Review.objects.counted()
        .filter(
            product_id=improvement.product_id,
            revision__in=[improvement.revision - 1, improvement.revision],
        )
        .order_by()
        .values_list("revision")
        .annotate(n=Count("id"), total=Sum("rating"))
        .values_list("revision", "n", "total")
    )
    return {revision: (n, total or 0) for revision, n, total in rows}


def closing_the_loop(*, improvement: Improvement) -> LoopSummary:
    """For each phrase the improvement says it addresses: its frequency in the low-rated
    reviews of the new revision against the revision it replaced."""
    before_texts = _low_texts(improvement.product_id, improvement.revision - 1)
    after_texts = _low_texts(improvement.product_id, improvement.revision)
    rows = [
        LoopRow(
            phrase=phrase,
            before=sum(phrase_matches(text, phrase) for text in before_texts),
            before_total=len(before_texts),
            after=sum(phrase_matches(text, phrase) for text in after_texts),
            after_total=len(after_texts),
        )
        for phrase in improvement.addressed_phrases
    ]
    figures = _revision_figures(improvement)
    before = figures.get(improvement.revision - 1, (0, 0))
    after = figures.get(improvement.revision, (0, 0))
    return LoopSummary(
        improvement=improvement,
        rows=rows,
        before_reviews=before[0],
        before_average=average_of(count=before[0], total=before[1]),
        after_reviews=after[0],
        after_average=average_of(count=after[0], total=after[1]),
    )
