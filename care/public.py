"""What shoppers are shown of customer care and the recommend answers (issue 16, items 4 and
7): the transparency page's service figures month by month, and a product's Net Promoter
Score. Figures only, over groups: no case, customer or single recommend answer is ever
public. care.figures defines every figure; this module only reads the facts and groups them.

Service figures of a month (in TIME_ZONE):

* **answered publicly**: the counted reviews published that month that carry the brand's
  public reply (whenever it was written), as a share of the counted reviews published that month;
* **contacted within the target**: care.figures' share over the cases opened that month
  (a case still inside its target and not yet contacted does not count yet);
* **median time to first contact**: care.figures' median, in hours, over the contacted cases
  opened that month.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, DateField
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import number_format

from care.figures import CareCounts, NpsCounts, share_percent
from care.selectors import case_facts
from core.period_query import local_midnight
from products.models import Product
from reviews.models import Review

PUBLIC_MONTHS = 12


@dataclass
class MonthServiceFigures:
    """One month of the transparency page's service figures."""

    month: date  # its first day
    reviews: int = 0  # counted reviews published that month
    answered: int = 0  # of those, the ones with a brand reply
    care: CareCounts = field(default_factory=CareCounts)

    @property
    def answered_share(self) -> Decimal | None:
        return share_percent(self.answered, self.reviews)

    # Below PUBLIC_FIGURES_MIN_COUNT cases, a month's care figures describe one or two
    # people whose reviews are public beside them: "too few to publish" instead.
    @property
    def in_time_public(self) -> bool:
        return self.care.due >= settings.PUBLIC_FIGURES_MIN_COUNT

    @property
    def median_public(self) -> bool:
        return self.care.contacted >= settings.PUBLIC_FIGURES_MIN_COUNT


def month_start(day: date, *, months_back: int = 0) -> date:
    """The first day of ``day``'s month, ``months_back`` months earlier."""
    index = day.year * 12 + day.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1)


def service_figures_by_month(*, now: datetime | None = None, months: int = PUBLIC_MONTHS) -> list[MonthServiceFigures]:
    """The last ``months`` calendar months through the current one (counted so far), newest
    first, every month listed even without data; two queries."""
    now = now or timezone.now()
    zone = timezone.get_default_timezone()
    this_month = month_start(timezone.localdate(now, zone))
    firsts = [month_start(this_month, months_back=back) for back in range(months)]
    by_month = {first: MonthServiceFigures(month=first) for first in firsts}
    start, end = local_midnight(firsts[-1]), local_midnight(month_start(this_month, months_back=-1))
    for _product_id, facts in case_facts(product_ids=None, opened_from=start, opened_to=end):
        by_month[month_start(timezone.localdate(facts.opened_at, zone))].care.add(facts, now=now)
    reviews = (
        Review.objects.counted()
        .filter(published_at__gte=start, published_at__lt=end)
        .annotate(month=TruncMonth("published_at", output_field=DateField(), tzinfo=zone))
        .values("month")
        .annotate(reviews=Count("pk"), answered=Count("brand_reply"))
        .values_list("month", "reviews", "answered")
        .order_by()
    )
    for month, count, answered in reviews:
        figures = by_month[month]
        figures.reviews, figures.answered = count, answered
    return [by_month[first] for first in firsts]


def product_nps(product: Product) -> NpsCounts:
    """The Net Promoter Score of the product's counted reviews of its current version (as
    the rating the page shows): one query, summed per answer by the database."""
    counts = NpsCounts()
    answers = (
        Review.objects.counted()
        .filter(product=product, revision=product.revision, recommend__isnull=False)
        .values("recommend")
        .annotate(n=Count("pk"))
        .values_list("recommend", "n")
        .order_by()
    )
    for answer, count in answers:
        if answer is not None:  # filtered out above: the column's type says nullable
            counts.add(answer, count)
    return counts


def nps_signed(score: Decimal) -> str:
    """The score as shoppers read it: ``+20``, ``-12.5``, ``0`` (a whole score without its
    ``.0``; the decimal point as the language writes it)."""
    decimals = 0 if score == score.to_integral_value() else 1
    text = number_format(abs(score), decimal_pos=decimals)
    if score > 0:
        return f"+{text}"
    return f"-{text}" if score < 0 else text
