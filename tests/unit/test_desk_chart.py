"""desk.charts without a database: the SVG is well-formed, accessible, CSP-clean and
draws what the gate saw."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from fractions import Fraction

import pytest

from desk.charts import (
    MARKER_COLOURS,
    ChartDay,
    ChartMarker,
    ChartText,
    average_runs,
    chart_frame,
    legend_entries,
    marker_symbol,
    placed_markers,
    rating_axis,
    rating_chart_svg,
    series_summary,
)
from gate.policy import EventKind

SVG = "{http://www.w3.org/2000/svg}"
START = date(2026, 3, 1)


def days(points: list[tuple[int, int, int]]) -> list[ChartDay]:
    """(count, total, volume) per day from START."""
    return [
        ChartDay(START + timedelta(days=i), count, total, volume) for i, (count, total, volume) in enumerate(points)
    ]


def parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)  # noqa: S314 - the chart module's own output


def text(**extra: object) -> ChartText:
    return ChartText(title="Rating of Tent <2>", description="The average fell & stayed low.", **extra)  # type: ignore[arg-type]


def render(series: list[ChartDay], **options: object) -> ET.Element:
    options.setdefault("threshold", Fraction(3))
    options.setdefault("min_reviews", 5)
    options.setdefault("text", text())
    return parse(rating_chart_svg(series, **options))  # type: ignore[arg-type]


def polyline_points(element: ET.Element) -> list[tuple[float, float]]:
    return [tuple(map(float, pair.split(","))) for pair in element.get("points", "").split()]  # type: ignore[misc]


def test_the_svg_is_an_accessible_image_with_title_and_description_escaped() -> None:
    svg = render(days([(10, 30, 2)] * 5))
    assert svg.tag == f"{SVG}svg"
    assert svg.get("role") == "img"
    assert svg.get("aria-label") == "Rating of Tent <2>"
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert title is not None and title.text == "Rating of Tent <2>"
    assert desc is not None and desc.text == "The average fell & stayed low."
    assert svg.get("aria-describedby") == desc.get("id")
    assert svg.get("viewBox")


def test_no_style_attribute_and_no_script_anywhere() -> None:
    markup = rating_chart_svg(
        days([(10, 30, 2), (0, 0, 0), (3, 6, 1)]),
        threshold=3,
        min_reviews=5,
        markers=[ChartMarker(START, "flagged", "Flagged")],
        text=text(),
    )
    assert "style=" not in markup
    assert "<script" not in markup
    assert "javascript:" not in markup


def test_a_user_supplied_label_cannot_inject_markup() -> None:
    evil = '"/><script>alert(1)</script><g x="'
    markup = rating_chart_svg(
        days([(10, 30, 1)]),
        threshold=3,
        min_reviews=5,
        markers=[ChartMarker(START, "flagged", evil)],
        text=ChartText(title=evil, description=evil),
    )
    assert "<script>" not in markup
    parse(markup)  # still well-formed


def test_the_threshold_line_sits_at_the_threshold_on_the_rating_axis() -> None:
    svg = render(days([(10, 40, 1)] * 3), threshold=Fraction(7, 2))
    threshold = svg.find(f".//{SVG}g[@class='chart-threshold']/{SVG}line")
    average = svg.find(f".//{SVG}polyline[@class='chart-line']")
    assert threshold is not None and average is not None
    y_threshold = float(threshold.get("y1", "0"))
    y_average = polyline_points(average)[0][1]
    assert y_threshold == float(threshold.get("y2", "0"))
    assert y_average < y_threshold  # 4.0 is above 3.5: higher on the page


def test_days_without_counted_reviews_break_the_line() -> None:
    svg = render(days([(10, 30, 0), (10, 30, 0), (0, 0, 0), (10, 30, 0), (10, 30, 0)]))
    lines = svg.findall(f".//{SVG}polyline[@class='chart-line']")
    assert [len(polyline_points(line)) for line in lines] == [2, 2]


def test_days_under_the_minimum_count_are_drawn_as_not_judged_and_join_the_judged_line() -> None:
    svg = render(days([(3, 9, 0), (4, 12, 0), (5, 15, 0), (6, 18, 0)]), min_reviews=5)
    few = svg.findall(f".//{SVG}polyline[@class='chart-line-few']")
    judged = svg.findall(f".//{SVG}polyline[@class='chart-line']")
    assert len(few) == 1 and len(judged) == 1
    assert polyline_points(few[0])[-1] == polyline_points(judged[0])[0]  # no gap at the boundary


def test_a_lone_day_with_an_average_is_a_dot() -> None:
    svg = render(days([(0, 0, 0), (6, 12, 1), (0, 0, 0)]))
    assert svg.findall(f".//{SVG}circle[@class='chart-line']")


def test_markers_are_drawn_on_their_day_with_their_own_shape_and_title() -> None:
    series = days([(10, 25, 1)] * 10)
    markers = [
        ChartMarker(START + timedelta(days=2), "flagged", "Flagged on 3 March"),
        ChartMarker(START + timedelta(days=6), "withdrawn", "Withdrawn on 7 March"),
        ChartMarker(START + timedelta(days=8), "reinstated", "Reinstated on 9 March"),
        ChartMarker(START + timedelta(days=40), "recovered", "Outside the range"),
    ]
    svg = render(series, markers=markers)
    drawn = svg.findall(f".//{SVG}g[@class='chart-markers']/{SVG}g")
    assert [g.get("class") for g in drawn] == [
        "chart-marker chart-marker-flagged",
        "chart-marker chart-marker-withdrawn",
        "chart-marker chart-marker-reinstated",
    ]
    assert [g.findtext(f"{SVG}title") for g in drawn] == [
        "Flagged on 3 March",
        "Withdrawn on 7 March",
        "Reinstated on 9 March",
    ]
    xs = [float(g.find(f"{SVG}line").get("x1", "0")) for g in drawn]  # type: ignore[union-attr]
    assert xs == sorted(xs) and len(set(xs)) == 3
    shapes = [sorted(child.tag.removeprefix(SVG) for child in g if child.tag != f"{SVG}title") for g in drawn]
    assert len({tuple(shape) for shape in shapes}) == 3  # told apart by shape, not by colour alone


def test_volume_bars_are_proportional_to_the_reviews_published() -> None:
    svg = render(days([(10, 30, 1), (10, 30, 0), (10, 30, 4)]))
    bars = svg.findall(f".//{SVG}rect[@class='chart-bar']")
    assert len(bars) == 2
    heights = [float(bar.get("height", "0")) for bar in bars]
    assert heights[1] == pytest.approx(4 * heights[0])


def test_an_empty_period_says_so() -> None:
    markup = rating_chart_svg(days([(0, 0, 0)] * 3), threshold=3, min_reviews=5, text=text(no_data="Nothing here"))
    assert "Nothing here" in markup
    parse(markup)
    parse(rating_chart_svg([], threshold=3, min_reviews=5, text=text()))


def test_dates_and_numbers_are_written_by_the_callers_formatters() -> None:
    markup = rating_chart_svg(
        days([(10, 28, 1)] * 12),
        threshold=Fraction(5, 2),
        min_reviews=5,
        text=text(),
        format_day=lambda day: f"D{day.day}",
        format_number=lambda value: f"N{value}",
    )
    assert "D1<" in markup and "D12<" in markup
    assert re.search(r">N2\.5<", markup)


@pytest.mark.parametrize(
    ("averages", "threshold", "expected"),
    [
        ([2.8, 3.1], 3.0, (2.5, 3.5, 0.5)),
        ([1.2, 4.9], 3.0, (1.0, 5.0, 1.0)),
        ([], 3.0, (2.5, 3.5, 0.5)),
        ([4.9, 5.0], 3.0, (2.0, 5.0, 1.0)),
        ([1.0], 1.5, (1.0, 2.0, 0.5)),
    ],
)
def test_the_rating_axis_zooms_on_the_averages_and_the_threshold(
    averages: list[float], threshold: float, expected: tuple[float, float, float]
) -> None:
    assert rating_axis(averages, threshold) == expected


def test_series_summary_gives_first_last_and_extremes() -> None:
    summary = series_summary(days([(0, 0, 1), (10, 40, 2), (10, 25, 0), (10, 30, 3)]))
    assert summary["first_average"] == Fraction(4)
    assert summary["last_average"] == Fraction(3)
    assert summary["lowest"] == Fraction(5, 2)
    assert summary["highest"] == Fraction(4)
    assert summary["published"] == 6


# --- The layout, without markup -------------------------------------------------------------


def test_the_average_line_breaks_at_a_gap_and_shares_the_point_where_the_minimum_is_crossed() -> None:
    series = days([(3, 9, 0), (6, 18, 0), (0, 0, 0), (6, 18, 0), (0, 0, 0), (6, 18, 0), (6, 18, 0)])
    runs = average_runs(series, chart_frame(series, 3.0), min_reviews=5)
    assert [(len(run.points), run.judged) for run in runs] == [(1, False), (2, True), (1, True), (2, True)]
    assert runs[0].points[-1] == runs[1].points[0]
    assert runs[2].dot is not None and runs[1].dot is None


def test_every_gate_event_kind_has_a_colour_and_a_shape_of_its_own() -> None:
    assert set(MARKER_COLOURS) == set(EventKind)
    shapes = {(symbol.shape, symbol.points.count(",")) for symbol in (marker_symbol(kind, 0, 0) for kind in EventKind)}
    assert len(shapes) == len(EventKind)


def test_markers_outside_the_days_are_left_out_and_an_unknown_kind_is_drawn_as_a_flag() -> None:
    series = days([(10, 30, 0)] * 3)
    markers = [ChartMarker(START, "mystery", "?"), ChartMarker(START + timedelta(days=9), "withdrawn", "late")]
    placed = placed_markers(markers, series, chart_frame(series, 3.0))
    assert [(marker.kind, marker.label) for marker in placed] == [(EventKind.FLAGGED, "?")]


def test_the_legend_names_the_kinds_of_marker_shown_in_the_gates_order_and_wraps() -> None:
    markers = [ChartMarker(START, "withdrawn", "w"), ChartMarker(START, "flagged", "f")]
    entries = legend_entries(text(average="A" * 60), markers)
    assert [entry.label for entry in entries][-2:] == ["Flagged", "Withdrawn"]
    assert len({entry.y for entry in entries}) > 1


def test_the_right_axis_names_its_unit_inside_the_chart() -> None:
    """The bars' scale (the right axis) reads "12" and, above it, "reviews per day"."""
    svg = render(days([(10, 30, 2), (10, 30, 12)]), text=text(volume_axis="reviews per day"))
    [unit] = [t for t in svg.iter(f"{SVG}text") if "chart-axis-unit" in (t.get("class") or "")]
    assert unit.text == "reviews per day"
    assert unit.get("text-anchor") == "end"
    width = float((svg.get("viewBox") or "").split()[2])
    assert float(unit.get("x") or 0) <= width  # ends inside the drawing
    volume_top = [t for t in svg.iter(f"{SVG}text") if t.text == "12"]
    assert volume_top and float(unit.get("y") or 0) < float(volume_top[0].get("y") or 0)
