"""The rating chart of a notice, drawn on the server as SVG.

Pure Python (no Django): the view hands in the days, the threshold, the markers and the
words (already translated), and gets back SVG markup. No script and no ``style``
attribute (the site's Content-Security-Policy forbids inline styles): colours come from
presentation attributes and from classes styled in static/css/desk.css.

What is drawn, one column per day:

* the windowed average the gate computes that day (the counted reviews of the current
  revision in the window), as a line; drawn thin and dashed on days with fewer counted
  reviews than the policy's minimum, when the gate ignores the average; broken on days
  with no counted review;
* the threshold as a horizontal line;
* a marker for each gate event (flagged, recovered, withdrawn, improved, reinstated),
  each with its own shape as well as its colour;
* the number of reviews published each day, as bars under the plot.

Accessibility: ``role="img"``, an ``aria-label`` and a ``<title>`` naming the chart, a
``<desc>`` summarising it. Inside an image nothing is focusable (a screen reader reads
the image as one thing); the markers' ``<title>`` are tooltips for the mouse. The page
shows the same figures as a table and the events as a list.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from html import escape

__all__ = ["MARKER_KINDS", "ChartDay", "ChartMarker", "ChartText", "rating_axis", "rating_chart_svg", "series_summary"]

MARKER_KINDS = ("flagged", "recovered", "withdrawn", "improved", "reinstated")

# Geometry, in SVG user units (the chart scales to its container through viewBox).
WIDTH = 760
HEIGHT = 340
LEFT = 44
RIGHT = 60
TOP = 26
PLOT_HEIGHT = 190
GAP = 22
VOLUME_HEIGHT = 46
AXIS_LABELS = 18
LEGEND_TOP = TOP + PLOT_HEIGHT + GAP + VOLUME_HEIGHT + AXIS_LABELS + 14
RATING_MIN, RATING_MAX = 1, 5


@dataclass(frozen=True)
class ChartDay:
    day: date
    count: int  # counted reviews (current revision, in the window) at the end of the day
    total: int  # their rating sum
    volume: int = 0  # reviews published that day, any revision

    @property
    def average(self) -> Fraction | None:
        return Fraction(self.total, self.count) if self.count else None


@dataclass(frozen=True)
class ChartMarker:
    day: date
    kind: str  # one of MARKER_KINDS
    label: str  # what a screen reader and a tooltip say ("Flagged on 3 March 2026")


@dataclass(frozen=True)
class ChartText:
    """Every word the chart shows, translated by the caller."""

    title: str
    description: str
    average: str = "Windowed average"
    too_few: str = "Too few reviews to count"
    threshold: str = "Threshold"
    volume: str = "Reviews published per day"
    markers: dict[str, str] = field(
        default_factory=lambda: {
            "flagged": "Flagged",
            "recovered": "Recovered",
            "withdrawn": "Withdrawn",
            "improved": "Improved",
            "reinstated": "Reinstated",
        }
    )
    no_data: str = "No reviews in this period"


def _number(value: float) -> str:
    """Coordinates with at most two decimals, so the markup is short and stable."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _attrs(**attributes: object) -> str:
    parts = []
    for name, value in attributes.items():
        if value is None:
            continue
        parts.append(f'{name.rstrip("_").replace("_", "-")}="{escape(str(value), quote=True)}"')
    return " ".join(parts)


def rating_axis(averages: Sequence[float], threshold: float) -> tuple[float, float, float]:
    """The rating range drawn (lowest, highest, grid step): the averages and the threshold
    with a margin, on half stars, at least one star tall, within 1..5. Zooming in on the
    range that matters makes a drift of a tenth of a star visible."""
    values = [*averages, threshold]
    low = max(RATING_MIN, math.floor((min(values) - 0.25) * 2) / 2)
    high = min(RATING_MAX, math.ceil((max(values) + 0.25) * 2) / 2)
    if high - low < 1:
        high = min(RATING_MAX, low + 1)
        low = max(RATING_MIN, high - 1)
    if high - low <= 2:
        return low, high, 0.5
    return float(math.floor(low)), float(math.ceil(high)), 1.0  # whole stars for a tall axis


def series_summary(days: Sequence[ChartDay]) -> dict[str, Fraction | int | date | None]:
    """Figures a caller needs to write the chart's description: first and last average,
    lowest and highest, and the reviews published in the period."""
    averages = [day.average for day in days if day.average is not None]
    return {
        "first_day": days[0].day if days else None,
        "last_day": days[-1].day if days else None,
        "first_average": averages[0] if averages else None,
        "last_average": averages[-1] if averages else None,
        "lowest": min(averages) if averages else None,
        "highest": max(averages) if averages else None,
        "published": sum(day.volume for day in days),
    }


def rating_chart_svg(
    days: Sequence[ChartDay],
    *,
    threshold: Fraction | Decimal | float,
    min_reviews: int,
    markers: Sequence[ChartMarker] = (),
    text: ChartText,
    format_day: Callable[[date], str] = date.isoformat,
    format_number: Callable[[float], str] = lambda value: f"{value:g}",
    id_prefix: str = "rating-chart",
) -> str:
    """The chart as an ``<svg>`` element (a string of markup, every text escaped)."""
    plot_width = WIDTH - LEFT - RIGHT
    n = max(len(days), 1)
    step = plot_width / n
    index = {day.day: i for i, day in enumerate(days)}

    def x_of(i: int) -> float:
        return LEFT + (i + 0.5) * step

    low, high, grid_step = rating_axis([float(d.average) for d in days if d.average is not None], float(threshold))

    def y_of(rating: float) -> float:
        share = (rating - low) / (high - low)
        return TOP + PLOT_HEIGHT * (1 - share)

    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    out: list[str] = [
        "<svg "
        + _attrs(
            xmlns="http://www.w3.org/2000/svg",
            viewBox=f"0 0 {WIDTH} {HEIGHT}",
            class_="rating-chart",
            role="img",
            aria_label=text.title,
            aria_describedby=desc_id,
            preserveAspectRatio="xMidYMid meet",
        )
        + ">",
        f'<title id="{escape(title_id)}">{escape(text.title)}</title>',
        f'<desc id="{escape(desc_id)}">{escape(text.description)}</desc>',
    ]

    # Grid and rating axis: a line per half star or star (see rating_axis).
    out.append('<g class="chart-grid" aria-hidden="true">')
    ticks = [low + k * grid_step for k in range(round((high - low) / grid_step) + 1)]
    for rating in ticks:
        y = _number(y_of(rating))
        out.append(f'<line x1="{LEFT}" x2="{LEFT + plot_width}" y1="{y}" y2="{y}" stroke="#e3e7eb" stroke-width="1"/>')
        out.append(
            f'<text x="{LEFT - 8}" y="{y}" text-anchor="end" dominant-baseline="middle" '
            f'class="chart-axis" font-size="12" fill="#56616b">{escape(format_number(rating))}★</text>'
        )
    out.append("</g>")

    # Volume bars under the plot.
    volume_top = TOP + PLOT_HEIGHT + GAP
    top_volume = max((day.volume for day in days), default=0)
    out.append('<g class="chart-volume" aria-hidden="true">')
    out.append(
        f'<line x1="{LEFT}" x2="{LEFT + plot_width}" y1="{volume_top + VOLUME_HEIGHT}" '
        f'y2="{volume_top + VOLUME_HEIGHT}" stroke="#c4c9cf" stroke-width="1"/>'
    )
    if top_volume:
        bar_width = max(step * 0.7, 1.0)
        for i, day in enumerate(days):
            if not day.volume:
                continue
            height = VOLUME_HEIGHT * day.volume / top_volume
            out.append(
                f'<rect x="{_number(x_of(i) - bar_width / 2)}" y="{_number(volume_top + VOLUME_HEIGHT - height)}" '
                f'width="{_number(bar_width)}" height="{_number(height)}" fill="#9fb7d0" class="chart-bar"/>'
            )
        out.append(
            f'<text x="{LEFT + plot_width + 6}" y="{volume_top + 4}" font-size="11" fill="#56616b" '
            f'dominant-baseline="hanging" class="chart-axis">{escape(format_number(top_volume))}</text>'
        )
    out.append("</g>")

    # Date labels: the first and last day, and about five in between.
    out.append('<g class="chart-dates" aria-hidden="true">')
    if days:
        label_y = volume_top + VOLUME_HEIGHT + AXIS_LABELS - 4
        count = len(days)
        wanted = sorted({0, count - 1, *(round(k * (count - 1) / 5) for k in range(1, 5))}) if count > 1 else [0]
        for position, i in enumerate(wanted):
            anchor = "start" if position == 0 else "end" if i == count - 1 else "middle"
            label_x = LEFT if anchor == "start" else LEFT + plot_width if anchor == "end" else x_of(i)
            out.append(
                f'<text x="{_number(label_x)}" y="{label_y}" text-anchor="{anchor}" font-size="11" fill="#56616b" '
                f'class="chart-axis">{escape(format_day(days[i].day))}</text>'
            )
    out.append("</g>")

    # The threshold.
    threshold_value = float(threshold)
    y_threshold = _number(y_of(threshold_value))
    out.append(
        f'<g class="chart-threshold"><line x1="{LEFT}" x2="{LEFT + plot_width}" y1="{y_threshold}" '
        f'y2="{y_threshold}" stroke="#a4161a" stroke-width="2" stroke-dasharray="6 4"/>'
        f'<text x="{LEFT + plot_width + 6}" y="{y_threshold}" dominant-baseline="middle" font-size="12" '
        f'fill="#a4161a" class="chart-threshold-label">{escape(format_number(threshold_value))}</text></g>'
    )

    # The average: runs of consecutive days with an average, split where the minimum
    # count is crossed (the boundary point is shared, so the line has no gap).
    out.append('<g class="chart-average" aria-hidden="true">')
    run: list[tuple[float, float]] = []
    run_enough: bool | None = None

    def flush() -> None:
        if len(run) == 1:
            cx, cy = run[0]
            out.append(
                f'<circle cx="{_number(cx)}" cy="{_number(cy)}" r="2.5" '
                + ('fill="#0b5cad" class="chart-line"/>' if run_enough else 'fill="#7f8a94" class="chart-line-few"/>')
            )
        elif run:
            points = " ".join(f"{_number(px)},{_number(py)}" for px, py in run)
            if run_enough:
                out.append(
                    f'<polyline points="{points}" fill="none" stroke="#0b5cad" stroke-width="2.5" class="chart-line"/>'
                )
            else:
                out.append(
                    f'<polyline points="{points}" fill="none" stroke="#7f8a94" stroke-width="1.5" '
                    f'stroke-dasharray="3 3" class="chart-line-few"/>'
                )

    for i, day in enumerate(days):
        average = day.average
        if average is None:
            flush()
            run, run_enough = [], None
            continue
        point = (x_of(i), y_of(float(average)))
        enough = day.count >= min_reviews
        if run_enough is not None and enough != run_enough:
            flush()
            run = [run[-1]]
        run_enough = enough
        run.append(point)
    flush()
    if not any(day.count for day in days):
        out.append(
            f'<text x="{LEFT + plot_width / 2}" y="{TOP + PLOT_HEIGHT / 2}" text-anchor="middle" font-size="14" '
            f'fill="#56616b">{escape(text.no_data)}</text>'
        )
    out.append("</g>")

    # Event markers: a vertical line and a symbol at the top, each with its own title.
    out.append('<g class="chart-markers">')
    for marker in markers:
        if marker.day not in index:
            continue
        kind = marker.kind if marker.kind in MARKER_KINDS else "flagged"
        at = x_of(index[marker.day])
        x = _number(at)
        out.append(
            f'<g class="chart-marker chart-marker-{kind}">'
            f"<title>{escape(marker.label)}</title>"
            f'<line x1="{x}" x2="{x}" y1="{TOP}" y2="{TOP + PLOT_HEIGHT}" stroke="{_MARKER_COLOURS[kind]}" '
            f'stroke-width="1.5" stroke-dasharray="2 3"/>'
            f"{_symbol(kind, at, TOP - 10)}</g>"
        )
    out.append("</g>")

    # Legend, in the SVG so the chart explains itself when saved or printed.
    out.append(f'<g class="chart-legend" aria-hidden="true" transform="translate({LEFT} {LEGEND_TOP})">')
    legend_x = 0.0
    entries: list[tuple[str, str]] = [
        ('<line x1="0" x2="18" y1="0" y2="0" stroke="#0b5cad" stroke-width="2.5"/>', text.average),
        (
            '<line x1="0" x2="18" y1="0" y2="0" stroke="#7f8a94" stroke-width="1.5" stroke-dasharray="3 3"/>',
            text.too_few,
        ),
        (
            '<line x1="0" x2="18" y1="0" y2="0" stroke="#a4161a" stroke-width="2" stroke-dasharray="6 4"/>',
            text.threshold,
        ),
        ('<rect x="4" y="-6" width="10" height="12" fill="#9fb7d0"/>', text.volume),
    ]
    present = [kind for kind in MARKER_KINDS if any(marker.kind == kind for marker in markers)]
    entries.extend((_symbol(kind, 9, 0), text.markers.get(kind, kind)) for kind in present)
    row_y = 0.0
    for swatch, label in entries:
        width = 26 + 6.6 * len(label) + 16
        if legend_x + width > WIDTH - LEFT:
            legend_x, row_y = 0.0, row_y + 18
        out.append(
            f'<g transform="translate({_number(legend_x)} {_number(row_y)})">{swatch}'
            f'<text x="24" y="0" dominant-baseline="middle" font-size="12" fill="#1d2329">{escape(label)}</text></g>'
        )
        legend_x += width
    out.append("</g>")
    out.append("</svg>")
    return "".join(out)


_MARKER_COLOURS = {
    "flagged": "#b35c00",
    "recovered": "#176b35",
    "withdrawn": "#a4161a",
    "improved": "#0b5cad",
    "reinstated": "#176b35",
}


def _polygon(points: Sequence[tuple[float, float]], colour: str) -> str:
    joined = " ".join(f"{_number(px)},{_number(py)}" for px, py in points)
    return f'<polygon points="{joined}" fill="{colour}"/>'


def _symbol(kind: str, x: float, y: float) -> str:
    """Each kind has its own shape as well as its own colour (colour alone is not enough)."""
    colour = _MARKER_COLOURS[kind]
    cx, cy = _number(x), _number(y)
    if kind == "flagged":  # a triangle pointing down: a warning
        return _polygon([(x - 6, y - 5), (x + 6, y - 5), (x, y + 6)], colour)
    if kind == "withdrawn":  # a square: off the shelf
        return f'<rect x="{_number(x - 5)}" y="{_number(y - 5)}" width="10" height="10" fill="{colour}"/>'
    if kind == "improved":  # a diamond: a new revision
        return _polygon([(x, y - 6), (x + 6, y), (x, y + 6), (x - 6, y)], colour)
    if kind == "reinstated":  # a diamond in a ring: new revision, back on sale
        ring = f'<circle cx="{cx}" cy="{cy}" r="7" fill="none" stroke="{colour}" stroke-width="1.5"/>'
        return ring + _polygon([(x, y - 4), (x + 4, y), (x, y + 4), (x - 4, y)], colour)
    return f'<circle cx="{cx}" cy="{cy}" r="5" fill="{colour}"/>'  # recovered: a dot
