"""The rating chart of a notice page and of a product's reviews page: the days and events
it draws (desk.selectors), the words it says in the active language, the SVG (desk.charts)
and the same figures as a table."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from core.elision import elide_before
from core.local_formats import average_text, date_text, threshold_text
from desk import selectors
from desk.charts import ChartDay, ChartMarker, ChartText, rating_chart_svg, series_summary
from desk.views.common import number_text
from gate.configured import threshold_decimal
from gate.models import EVENT_KIND_LABELS, GateEvent, WithdrawalNotice
from gate.policy import EventKind, GatePolicy
from products.models import Product

# A product's reviews page charts the last 90 days (a notice's page: from before its flag).
PRODUCT_CHART_DAYS = 90


def event_kind_label(kind: str) -> str:
    return str(EVENT_KIND_LABELS[EventKind(kind)])


def marker_label(event: GateEvent) -> str:
    """What a screen reader and a tooltip say of a gate event on the chart."""
    day_text = date_text(event.day, "DATE_FORMAT")
    if event.average is not None:
        # The gate's side of the event, whatever its 4-decimal average reads (core.gate_figures).
        below = {EventKind.FLAGGED: True, EventKind.WITHDRAWN: True, EventKind.RECOVERED: False}.get(
            EventKind(event.kind)
        )
        return _("%(event)s on %(day)s: average %(average)s over %(count)s counted reviews") % {
            "event": event_kind_label(event.kind),
            "day": day_text,
            "average": average_text(event.average, event.policy.get("threshold"), below=below),
            "count": event.count,
        }
    return _("%(event)s on %(day)s: a new version of the product starts") % {
        "event": event_kind_label(event.kind),
        "day": day_text,
    }


def _rounded(value: Any, threshold: Decimal) -> str:
    return average_text(value, threshold)


def chart_description(
    days: Sequence[ChartDay], markers: Sequence[ChartMarker], *, first: date, last: date, threshold: Decimal
) -> str:
    """The chart's ``<desc>``: the average's course against the threshold, then the events."""
    summary = series_summary(days)
    if summary["last_average"] is not None and summary["first_average"] is not None:
        description = _(
            "From %(first)s to %(last)s, the average the gate counts went from %(start)s to %(end)s "
            "(lowest %(low)s, highest %(high)s); the threshold is %(threshold)s. "
            "%(published)s reviews were published in the period."
        ) % {
            "first": date_text(first, "DATE_FORMAT"),
            "last": date_text(last, "DATE_FORMAT"),
            "start": _rounded(summary["first_average"], threshold),
            "end": _rounded(summary["last_average"], threshold),
            "low": _rounded(summary["lowest"], threshold),
            "high": _rounded(summary["highest"], threshold),
            "threshold": threshold_text(threshold),
            "published": summary["published"],
        }
    else:
        description = _("No review counted between %(first)s and %(last)s.") % {
            "first": date_text(first, "DATE_FORMAT"),
            "last": date_text(last, "DATE_FORMAT"),
        }
    if markers:
        description += " " + " ".join(marker.label + "." for marker in markers)
    return description


def chart_table(days: Sequence[ChartDay], events: Sequence[GateEvent], *, policy: GatePolicy) -> list[dict[str, Any]]:
    """The chart's figures day by day, newest first, with the events of each day."""
    events_by_day: dict[date, list[str]] = {}
    for event in events:
        events_by_day.setdefault(event.day, []).append(event_kind_label(event.kind))
    return [
        {
            "day": day.day,
            "count": day.count,
            "average": None if day.average is None else round(float(day.average), 2),
            "judged": day.count >= policy.min_reviews,
            "volume": day.volume,
            "events": events_by_day.get(day.day, []),
        }
        for day in reversed(days)
    ]


def notice_chart(notice: WithdrawalNotice, *, today: date, policy: GatePolicy) -> dict[str, Any]:
    """The notice's chart: from CHART_DAYS_BEFORE_FLAG days before the flag to today."""
    first, last = selectors.notice_chart_range(notice=notice, today=today)
    return rating_chart(notice.product, first=first, last=last, policy=policy)


def product_chart(product: Product, *, today: date, policy: GatePolicy) -> dict[str, Any]:
    """A product's chart without a notice (its reviews page, read by company readers too):
    the last PRODUCT_CHART_DAYS days."""
    first = today - timedelta(days=PRODUCT_CHART_DAYS - 1)
    return rating_chart(product, first=first, last=today, policy=policy)


def rating_chart(product: Product, *, first: date, last: date, policy: GatePolicy) -> dict[str, Any]:
    """The chart's SVG and table, and the period they cover."""
    days = selectors.product_chart_days(product=product, first=first, last=last, policy=policy)
    events = selectors.product_chart_events(product=product, first=first, last=last)
    markers = [ChartMarker(event.day, event.kind, marker_label(event)) for event in events]
    threshold = threshold_decimal(policy)
    text = ChartText(
        title=elide_before(_("Rating of %(name)s over time") % {"name": product.name}, [product.name]),
        description=chart_description(days, markers, first=first, last=last, threshold=threshold),
        average=_("Average the gate counts"),
        too_few=_("Fewer than %(n)s reviews: not judged") % {"n": policy.min_reviews},
        threshold=_("Threshold"),
        volume=_("Reviews published per day"),
        volume_axis=_("reviews per day"),
        markers={kind.value: str(label) for kind, label in EVENT_KIND_LABELS.items()},
        no_data=_("No reviews in this period"),
    )
    svg = rating_chart_svg(
        days,
        threshold=threshold,
        min_reviews=policy.min_reviews,
        markers=markers,
        text=text,
        format_day=lambda day: date_text(day, "CHART_DAY_FORMAT"),
        format_number=number_text,
        threshold_label=threshold_text(policy.threshold),
    )
    # The SVG comes from a template that escapes every text it is given.
    return {"svg": svg, "table": chart_table(days, events, policy=policy), "first": first, "last": last}
