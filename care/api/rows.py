"""The rows of GET /api/v1/care-figures/: each case's facts and each recommend tally added
into the counts of its group (care.figures defines the figures; care.selectors reads the
facts). A group is a product, a category or a month (of the case's opening, of the review's
publication), in the shop's time zone."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone

from care.figures import CareCounts, CaseFacts, NpsCounts

NO_CATEGORY_KEY = "none"


@dataclass(frozen=True)
class ProductLabel:
    sku: str
    name: str
    category_id: int | None
    category_name: str


@dataclass
class CareFigureRow:
    """One group's figures (care_figure_rows' answer; CareFigureSerializer reads it)."""

    key: str
    label: str
    care: CareCounts = field(default_factory=CareCounts)
    nps: NpsCounts = field(default_factory=NpsCounts)


def month_key(day: date) -> str:
    return day.strftime("%Y-%m")


def care_figure_rows(
    *,
    group: str,
    cases: Iterable[tuple[int, CaseFacts]],
    nps: Iterable[tuple[int, date, int, int]],
    products: dict[int, ProductLabel],
    no_category: str,
    now: datetime,
) -> list[CareFigureRow]:
    """The groups with a case or a recommend answer, products and categories by name (then
    key), months in calendar order."""
    rows: dict[str, CareFigureRow] = {}

    def row_of(product_id: int, day: date) -> CareFigureRow:
        key, label = _group_of(group, products[product_id], day, no_category=no_category)
        if key not in rows:
            rows[key] = CareFigureRow(key=key, label=label)
        return rows[key]

    zone = timezone.get_default_timezone()
    for product_id, facts in cases:
        row_of(product_id, timezone.localdate(facts.opened_at, zone)).care.add(facts, now=now)
    for product_id, day, answer, count in nps:
        row_of(product_id, day).nps.add(answer, count)
    if group == "month":
        return sorted(rows.values(), key=lambda row: row.key)
    return sorted(rows.values(), key=lambda row: (row.label.casefold(), row.key))


def _group_of(group: str, product: ProductLabel, day: date, *, no_category: str) -> tuple[str, str]:
    if group == "month":
        return month_key(day), month_key(day)
    if group == "product":
        return product.sku, product.name
    if product.category_id is None:
        return NO_CATEGORY_KEY, no_category
    return str(product.category_id), product.category_name
