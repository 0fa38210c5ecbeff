"""The rating chart of a notice, drawn on the server as SVG.

The view hands in the days, the threshold, the markers and the words (already
translated); small pure functions here lay the chart out (every coordinate, as the
short text the markup carries), and the template ``desk/_rating_chart.svg`` writes the
markup, Django escaping every text. No script and no ``style`` attribute (the site's
Content-Security-Policy forbids inline styles): colours come from presentation
attributes and from classes styled in static/css/desk.css.

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
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from gate.models import EVENT_KIND_LABELS
from gate.policy import EventKind

__all__ = [
    "ChartDay",
    "ChartFrame",
    "ChartMarker",
    "ChartText",
    "average_runs",
    "chart_frame",
    "date_labels",
    "grid_lines",
    "legend_entries",
    "marker_symbol",
    "placed_markers",
    "rating_axis",
    "rating_chart_svg",
    "series_summary",
    "volume_bars",
]

TEMPLATE = "desk/_rating_chart.svg"

# Geometry, in SVG user units (the chart scales to its container through viewBox).
WIDTH = 760
HEIGHT = 340
LEFT = 44
RIGHT = 60
TOP = 26
PLOT_WIDTH = WIDTH - LEFT - RIGHT
PLOT_HEIGHT = 190
GAP = 22
VOLUME_HEIGHT = 46
VOLUME_TOP = TOP + PLOT_HEIGHT + GAP
AXIS_LABELS = 18
LEGEND_TOP = TOP + PLOT_HEIGHT + GAP + VOLUME_HEIGHT + AXIS_LABELS + 14
RATING_MIN, RATING_MAX = 1, 5
# The legend's entries: a swatch, then the label at about this many units per character.
LEGEND_SWATCH, LEGEND_CHARACTER, LEGEND_PADDING, LEGEND_ROW = 26, 6.6, 16, 18

MARKER_COLOURS = {
    EventKind.FLAGGED: "#b35c00",
    EventKind.RECOVERED: "#176b35",
    EventKind.WITHDRAWN: "#a4161a",
    EventKind.IMPROVED: "#0b5cad",
    EventKind.REINSTATED: "#176b35",
}


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
    kind: str  # a gate.policy.EventKind value
    label: str  # what a screen reader and a tooltip say ("Flagged on 3 March 2026")


def _default_marker_words() -> dict[str, str]:
    return {kind.value: str(label) for kind, label in EVENT_KIND_LABELS.items()}


@dataclass(frozen=True)
class ChartText:
    """Every word the chart shows, translated by the caller."""

    title: str
    description: str
    average: str = "Windowed average"
    too_few: str = "Too few reviews to count"
    threshold: str = "Threshold"
    volume: str = "Reviews published per day"
    # The unit of the right-hand axis (the bars' scale), written beside its top value.
    volume_axis: str = "reviews per day"
    markers: dict[str, str] = field(default_factory=_default_marker_words)  # by EventKind value
    no_data: str = "No reviews in this period"


def coordinate(value: float) -> str:
    """Coordinates with at most two decimals, so the markup is short and stable."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _points(points: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{coordinate(x)},{coordinate(y)}" for x, y in points)


# --- Scales --------------------------------------------------------------------------------


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


@dataclass(frozen=True)
class ChartFrame:
    """Where a day and a rating are drawn: one column per day, the rating axis zoomed."""

    days: int
    low: float
    high: float
    grid_step: float

    @property
    def step(self) -> float:
        return PLOT_WIDTH / max(self.days, 1)

    def x(self, index: int) -> float:
        return LEFT + (index + 0.5) * self.step

    def y(self, rating: float) -> float:
        share = (rating - self.low) / (self.high - self.low)
        return TOP + PLOT_HEIGHT * (1 - share)


def chart_frame(days: Sequence[ChartDay], threshold: float) -> ChartFrame:
    low, high, grid_step = rating_axis([float(d.average) for d in days if d.average is not None], threshold)
    return ChartFrame(days=len(days), low=low, high=high, grid_step=grid_step)


# --- What is drawn -------------------------------------------------------------------------


@dataclass(frozen=True)
class GridLine:
    y: str
    label: str


def grid_lines(frame: ChartFrame, format_number: Callable[[float], str]) -> list[GridLine]:
    """A line per half star or star (see rating_axis), labelled on the rating axis."""
    ticks = [frame.low + k * frame.grid_step for k in range(round((frame.high - frame.low) / frame.grid_step) + 1)]
    return [GridLine(coordinate(frame.y(rating)), f"{format_number(rating)}★") for rating in ticks]


@dataclass(frozen=True)
class Bar:
    x: str
    y: str
    width: str
    height: str


def volume_bars(days: Sequence[ChartDay], frame: ChartFrame) -> list[Bar]:
    """A bar per day with reviews published, as tall as its share of the busiest day."""
    top_volume = max((day.volume for day in days), default=0)
    if not top_volume:
        return []
    width = max(frame.step * 0.7, 1.0)
    bottom = VOLUME_TOP + VOLUME_HEIGHT
    bars = []
    for i, day in enumerate(days):
        if day.volume:
            height = VOLUME_HEIGHT * day.volume / top_volume
            bars.append(
                Bar(
                    coordinate(frame.x(i) - width / 2),
                    coordinate(bottom - height),
                    coordinate(width),
                    coordinate(height),
                )
            )
    return bars


@dataclass(frozen=True)
class DateLabel:
    x: str
    anchor: str
    text: str


def date_labels(days: Sequence[ChartDay], frame: ChartFrame, format_day: Callable[[date], str]) -> list[DateLabel]:
    """The first and last day, and about five in between."""
    count = len(days)
    if not count:
        return []
    wanted = sorted({0, count - 1, *(round(k * (count - 1) / 5) for k in range(1, 5))}) if count > 1 else [0]
    labels = []
    for position, i in enumerate(wanted):
        anchor = "start" if position == 0 else "end" if i == count - 1 else "middle"
        x = LEFT if anchor == "start" else LEFT + PLOT_WIDTH if anchor == "end" else frame.x(i)
        labels.append(DateLabel(coordinate(x), anchor, format_day(days[i].day)))
    return labels


@dataclass(frozen=True)
class AverageRun:
    """Consecutive days with an average, all judged or all under the minimum count."""

    points: tuple[tuple[float, float], ...]
    judged: bool

    @property
    def dot(self) -> tuple[str, str] | None:
        """A lone day is a dot (a line needs two points)."""
        if len(self.points) != 1:
            return None
        x, y = self.points[0]
        return coordinate(x), coordinate(y)

    @property
    def polyline(self) -> str:
        return _points(self.points)


def average_runs(days: Sequence[ChartDay], frame: ChartFrame, min_reviews: int) -> list[AverageRun]:
    """The average line, split where a day has no average (a gap) and where the minimum
    count is crossed (the boundary point is shared, so the line has no gap there)."""
    runs: list[AverageRun] = []
    run: list[tuple[float, float]] = []
    judged: bool | None = None
    for i, day in enumerate(days):
        average = day.average
        if average is None:
            if run:
                runs.append(AverageRun(tuple(run), bool(judged)))
            run, judged = [], None
            continue
        enough = day.count >= min_reviews
        if judged is not None and enough != judged:
            runs.append(AverageRun(tuple(run), judged))
            run = [run[-1]]
        judged = enough
        run.append((frame.x(i), frame.y(float(average))))
    if run:
        runs.append(AverageRun(tuple(run), bool(judged)))
    return runs


@dataclass(frozen=True)
class MarkerSymbol:
    """Each kind has its own shape as well as its own colour (colour alone is not enough):
    flagged a triangle pointing down (a warning), withdrawn a square (off the shelf),
    improved a diamond (a new revision), reinstated a diamond in a ring (new revision,
    back on sale), recovered a dot."""

    shape: str  # polygon, square, ring (a polygon in a ring) or dot
    colour: str
    cx: str
    cy: str
    points: str = ""  # the polygon's
    corner: tuple[str, str] = ("", "")  # the square's top left


def marker_symbol(kind: EventKind, x: float, y: float) -> MarkerSymbol:
    colour, cx, cy = MARKER_COLOURS[kind], coordinate(x), coordinate(y)
    if kind == EventKind.FLAGGED:
        return MarkerSymbol("polygon", colour, cx, cy, points=_points([(x - 6, y - 5), (x + 6, y - 5), (x, y + 6)]))
    if kind == EventKind.WITHDRAWN:
        return MarkerSymbol("square", colour, cx, cy, corner=(coordinate(x - 5), coordinate(y - 5)))
    if kind == EventKind.IMPROVED:
        return MarkerSymbol("polygon", colour, cx, cy, points=_points([(x, y - 6), (x + 6, y), (x, y + 6), (x - 6, y)]))
    if kind == EventKind.REINSTATED:
        return MarkerSymbol("ring", colour, cx, cy, points=_points([(x, y - 4), (x + 4, y), (x, y + 4), (x - 4, y)]))
    return MarkerSymbol("dot", colour, cx, cy)


def _kind(value: str) -> EventKind:
    """A marker's kind; an unknown one is drawn as a flag."""
    try:
        return EventKind(value)
    except ValueError:
        return EventKind.FLAGGED


@dataclass(frozen=True)
class PlacedMarker:
    kind: EventKind
    label: str
    x: str
    colour: str
    symbol: MarkerSymbol


def placed_markers(markers: Sequence[ChartMarker], days: Sequence[ChartDay], frame: ChartFrame) -> list[PlacedMarker]:
    """The markers of the days drawn, each on its day: a line and a symbol at the top."""
    index = {day.day: i for i, day in enumerate(days)}
    placed = []
    for marker in markers:
        if marker.day in index:
            kind = _kind(marker.kind)
            at = frame.x(index[marker.day])
            placed.append(
                PlacedMarker(
                    kind, marker.label, coordinate(at), MARKER_COLOURS[kind], marker_symbol(kind, at, TOP - 10)
                )
            )
    return placed


@dataclass(frozen=True)
class LegendEntry:
    x: str
    y: str
    swatch: str  # average, too_few, threshold, volume, or marker (then ``symbol``)
    label: str
    symbol: MarkerSymbol | None = None


def legend_entries(text: ChartText, markers: Sequence[ChartMarker]) -> list[LegendEntry]:
    """The legend, in the SVG so the chart explains itself when saved or printed: the
    lines and bars, then the kinds of marker shown, wrapped to the chart's width."""
    entries: list[tuple[str, str, MarkerSymbol | None]] = [
        ("average", text.average, None),
        ("too_few", text.too_few, None),
        ("threshold", text.threshold, None),
        ("volume", text.volume, None),
    ]
    shown = {str(marker.kind) for marker in markers}
    entries.extend(
        ("marker", text.markers.get(kind.value, kind.value), marker_symbol(kind, 9, 0))
        for kind in EventKind
        if kind.value in shown
    )
    placed = []
    x = y = 0.0
    for swatch, label, symbol in entries:
        width = LEGEND_SWATCH + LEGEND_CHARACTER * len(label) + LEGEND_PADDING
        if x + width > WIDTH - LEFT:
            x, y = 0.0, y + LEGEND_ROW
        placed.append(LegendEntry(coordinate(x), coordinate(y), swatch, label, symbol))
        x += width
    return placed


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


# --- The markup ----------------------------------------------------------------------------


def rating_chart_context(
    days: Sequence[ChartDay],
    *,
    threshold: Fraction | Decimal | float,
    min_reviews: int,
    markers: Sequence[ChartMarker] = (),
    text: ChartText,
    format_day: Callable[[date], str] = date.isoformat,
    format_number: Callable[[float], str] = lambda value: f"{value:g}",
    id_prefix: str = "rating-chart",
    threshold_label: str | None = None,
) -> dict[str, Any]:
    """What the template draws: the words, and every position laid out above."""
    frame = chart_frame(days, float(threshold))
    top_volume = max((day.volume for day in days), default=0)
    return {
        "text": text,
        "title_id": f"{id_prefix}-title",
        "desc_id": f"{id_prefix}-desc",
        "view_box": f"0 0 {WIDTH} {HEIGHT}",
        "left": LEFT,
        "right": LEFT + PLOT_WIDTH,
        "axis_x": LEFT - 8,
        "side_x": LEFT + PLOT_WIDTH + 6,
        "top": TOP,
        "plot_bottom": TOP + PLOT_HEIGHT,
        "grid": grid_lines(frame, format_number),
        "volume_axis_y": VOLUME_TOP + VOLUME_HEIGHT,
        "volume_label_y": VOLUME_TOP + 4,
        # The right axis's unit, in the gap above the bars, ending at the chart's right edge.
        "volume_unit_x": WIDTH - 4,
        "volume_unit_y": VOLUME_TOP - 6,
        "bars": volume_bars(days, frame),
        "top_volume": format_number(top_volume) if top_volume else None,
        "date_y": VOLUME_TOP + VOLUME_HEIGHT + AXIS_LABELS - 4,
        "dates": date_labels(days, frame, format_day),
        "threshold_y": coordinate(frame.y(float(threshold))),
        # The view passes the threshold as pages write it (10/3 reads 3.34, never 3.3333333).
        "threshold_label": threshold_label if threshold_label is not None else format_number(float(threshold)),
        "runs": average_runs(days, frame, min_reviews),
        "no_data": not any(day.count for day in days),
        # Written as before (a float's own text): the middle of the plot.
        "middle": (f"{LEFT + PLOT_WIDTH / 2}", f"{TOP + PLOT_HEIGHT / 2}"),
        "markers": placed_markers(markers, days, frame),
        "legend_at": f"{LEFT} {LEGEND_TOP}",
        "legend": legend_entries(text, markers),
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
    threshold_label: str | None = None,
) -> SafeString:
    """The chart as an ``<svg>`` element (markup in which every text is escaped)."""
    context = rating_chart_context(
        days,
        threshold=threshold,
        min_reviews=min_reviews,
        markers=markers,
        text=text,
        format_day=format_day,
        format_number=format_number,
        id_prefix=id_prefix,
        threshold_label=threshold_label,
    )
    return render_to_string(TEMPLATE, context)
