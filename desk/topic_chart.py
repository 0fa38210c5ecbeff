"""The topic page's chart, drawn on the server as SVG: one small panel per topic, a bar per
month for the topic's share of the month's tagged reviews (topics.figures), its average
rating written above the bar.

As desk.charts: the view hands in the months and the words (already translated); the pure
functions here lay the panels out (every coordinate as short text) and the template
``desk/_topic_chart.svg`` writes the markup, Django escaping every text. No script, no
``style`` attribute (the Content-Security-Policy forbids inline styles).

Accessibility: each panel is ``role="img"`` with an ``aria-label``, a ``<title>`` and a
``<desc>`` that states every month's figures; each bar's ``<title>`` is a tooltip. The page
shows the same figures as a table.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from desk.charts import coordinate
from topics.figures import TOPIC_KEYS, TopicMonth

TEMPLATE = "desk/_topic_chart.svg"

# Geometry of one panel, in SVG user units (it scales to its container through viewBox).
WIDTH = 760
HEIGHT = 190
LEFT = 48
RIGHT = 12
TOP = 36  # the topic's name, then the averages above the bars
PLOT_WIDTH = WIDTH - LEFT - RIGHT
PLOT_HEIGHT = 110
AXIS_Y = TOP + PLOT_HEIGHT
MONTH_LABEL_Y = AXIS_Y + 16
MAX_MONTH_LABELS = 12
# One colour for every panel: the panels are told apart by their names, not by colour.
BAR_COLOUR = "#0b5cad"


@dataclass(frozen=True)
class TopicChartText:
    """Every word a panel shows, translated by the caller."""

    title: Callable[[str], str]  # the panel's title, from the topic's name
    bar: Callable[[TopicMonth, str], str]  # a bar's tooltip and description, from the month and topic
    month: Callable[[TopicMonth], str]  # a month's short label on the axis
    stars: Callable[[Decimal], str]  # an average written above its bar
    percent: Callable[[float], str]  # a grid line's label
    no_data: str


def share_axis_top(months: Sequence[TopicMonth]) -> int:
    """The top of the share axis, shared by every panel so that they compare: the largest
    share rounded up to the next 10 (at least 10, at most 100)."""
    shares = [float(share) for month in months for key in TOPIC_KEYS if (share := month.counts.share(key)) is not None]
    return min(100, max(10, math.ceil(max(shares, default=0) / 10) * 10))


@dataclass(frozen=True)
class TopicBar:
    x: str
    y: str
    width: str
    height: str
    label_x: str
    label_y: str
    average: str  # the average above the bar ("" without reviews)
    title: str


@dataclass(frozen=True)
class AxisLabel:
    x: str
    text: str


@dataclass(frozen=True)
class TopicPanel:
    topic: str
    title: str
    description: str
    bars: tuple[TopicBar, ...]
    months: tuple[AxisLabel, ...]
    grid: tuple[tuple[str, str], ...]  # (y, label)
    empty: bool


def _step(months: Sequence[TopicMonth]) -> float:
    return PLOT_WIDTH / max(len(months), 1)


def month_labels(months: Sequence[TopicMonth], text: TopicChartText) -> tuple[AxisLabel, ...]:
    """A label under every month, or every second, third... so that at most 12 are written."""
    every = max(1, math.ceil(len(months) / MAX_MONTH_LABELS))
    step = _step(months)
    return tuple(
        AxisLabel(coordinate(LEFT + (index + 0.5) * step), text.month(month))
        for index, month in enumerate(months)
        if index % every == 0
    )


def topic_panel(topic: str, label: str, months: Sequence[TopicMonth], *, top: int, text: TopicChartText) -> TopicPanel:
    step = _step(months)
    width = max(step * 0.6, 1.0)
    bars = []
    for index, month in enumerate(months):
        share = month.counts.share(topic)
        if share is None:
            continue
        height = PLOT_HEIGHT * float(share) / top
        x = LEFT + (index + 0.5) * step
        average = month.counts.average(topic)
        bars.append(
            TopicBar(
                x=coordinate(x - width / 2),
                y=coordinate(AXIS_Y - height),
                width=coordinate(width),
                height=coordinate(height),
                label_x=coordinate(x),
                label_y=coordinate(AXIS_Y - height - 4),
                average="" if average is None else text.stars(average),
                title=text.bar(month, topic),
            )
        )
    grid = tuple((coordinate(AXIS_Y - PLOT_HEIGHT * value / top), text.percent(value)) for value in (0, top / 2, top))
    return TopicPanel(
        topic=topic,
        title=text.title(label),
        description=" ".join(text.bar(month, topic) for month in months),
        bars=tuple(bars),
        months=month_labels(months, text),
        grid=grid,
        # Bars of 0% are drawn flat: the panel says in words that nobody spoke of the topic.
        empty=not any(month.counts.reviews[topic] for month in months),
    )


def topic_chart_svgs(
    months: Sequence[TopicMonth], *, labels: dict[str, str], text: TopicChartText
) -> list[tuple[str, SafeString]]:
    """(topic key, its panel as an ``<svg>`` element) for every topic, in TopicKey's order."""
    top = share_axis_top(months)
    panels = []
    for key in TOPIC_KEYS:
        panel = topic_panel(key, labels[key], months, top=top, text=text)
        context = {
            "panel": panel,
            "view_box": f"0 0 {WIDTH} {HEIGHT}",
            "left": LEFT,
            "right": WIDTH - RIGHT,
            "axis_x": LEFT - 6,
            "axis_y": AXIS_Y,
            "month_y": MONTH_LABEL_Y,
            "colour": BAR_COLOUR,
            "middle": (coordinate(LEFT + PLOT_WIDTH / 2), coordinate(TOP + PLOT_HEIGHT / 2)),
            "no_data": text.no_data,
            "id_prefix": f"topic-chart-{key}",
        }
        panels.append((key, render_to_string(TEMPLATE, context)))
    return panels
