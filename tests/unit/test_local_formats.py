"""Numbers, percentages, dates and gate figures for people, in English and French
(core.local_formats and the builtin filters of core.templatetags.figures)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from django.template import engines
from django.utils import translation

from core.local_formats import average_text, date_text, number_text, numbers_grouped, percent_text, threshold_text

NNBSP = "\u202f"


def render(source: str, language: str, **context: object) -> str:
    with translation.override(language):
        return engines["django"].from_string(source).render(context)


@pytest.mark.parametrize(
    ("language", "percent", "number", "decimal"),
    [("en", "80.4%", "3,763", "2.5"), ("fr", f"80,4{NNBSP}%", f"3{NNBSP}763", "2,5")],
)
def test_numbers_and_percentages_in_each_language(language: str, percent: str, number: str, decimal: str) -> None:
    with translation.override(language):
        assert percent_text(Decimal("80.4")) == percent
        assert number_text(3763) == number
        assert number_text(Decimal("2.5")) == decimal


@pytest.mark.parametrize(
    ("language", "first", "second"),
    [("en", "Dec. 1, 2026", "Dec. 2, 2026"), ("fr", "1er décembre 2026", "2 décembre 2026")],
)
def test_the_first_of_the_month(language: str, first: str, second: str) -> None:
    with translation.override(language):
        assert date_text(datetime.date(2026, 12, 1)) == first
        assert date_text(datetime.date(2026, 12, 2)) == second
        assert date_text(datetime.date(2026, 12, 11)).startswith("11" if language == "fr" else "Dec. 11")


def test_the_date_filter_of_every_template_writes_1er_in_french() -> None:
    source = '{{ day|date:"DATE_FORMAT" }}|{{ day|date:"j F" }}|{{ day|date:"\\j j" }}'
    day = datetime.date(2026, 12, 1)
    assert render(source, "fr", day=day) == "1er décembre 2026|1er décembre|j 1er"
    assert render(source, "en", day=day) == "Dec. 1, 2026|1 December|j 1"


def test_the_date_filter_keeps_local_time_for_moments() -> None:
    # 23:30 UTC on 30 November is 1 December in Paris (TIME_ZONE).
    moment = datetime.datetime(2026, 11, 30, 23, 30, tzinfo=datetime.UTC)
    assert render('{{ at|date:"DATE_FORMAT" }}', "fr", at=moment) == "1er décembre 2026"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "2.99 below 3.0; 3.34 at 3.34"), ("fr", "2,99 below 3,0; 3,34 at 3,34")],
)
def test_gate_figures_in_templates(language: str, expected: str) -> None:
    source = (
        "{{ low|gate_average:3 }} below {{ 3|gate_threshold }}; "
        "{{ at|gate_average:third }} at {{ third|gate_threshold }}"
    )
    assert render(source, language, low=Decimal("2.9949"), at=Fraction(10, 3), third=Fraction(10, 3)) == expected


def test_threshold_as_pages_carry_it() -> None:
    # gate.configured.threshold_decimal gives 10/3 as a 28-digit Decimal; emails a string.
    assert threshold_text(Decimal(10) / Decimal(3)) == "3.34"
    assert threshold_text("10/3") == "3.34"
    assert threshold_text("3.0") == "3.0"
    assert average_text(Decimal("3.3333"), "10/3", below=False) == "3.34"


def test_default_threshold_is_the_one_in_force(settings) -> None:  # type: ignore[no-untyped-def]
    settings.GATE_THRESHOLD = "3.0"
    assert average_text(Decimal("2.9949")) == "2.99"
    assert render("{{ x|rating }}/{{ n|rating }}", "en", x=Decimal("2.9949"), n=4) == "2.99/4"


def test_percent_filter_and_number_filter_in_french() -> None:
    assert render("{{ p|percent }} {{ p|percent:1 }} {{ n|number }}", "fr", p=Decimal("80.44"), n=3763) == (
        f"80,44{NNBSP}% 80,4{NNBSP}% 3{NNBSP}763"
    )


def test_machine_dates_stay_iso_on_the_first_in_french() -> None:
    # <time datetime="{{ at|date:'c' }}">, <input type="date" value="{{ day|date:'Y-m-d' }}">
    moment = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)
    assert render("{{ at|date:'c' }}|{{ at|date:'Y-m-d' }}", "fr", at=moment) == "2026-12-01T10:00:00+01:00|2026-12-01"


@pytest.mark.parametrize(
    ("language", "labels"),
    [
        ("en", ["Sept. 5", "Oct. 1", "June 3", "July 4", "Dec. 7"]),
        ("fr", ["5 sept.", "1er oct.", "3 juin", "4 juil.", "7 déc."]),
    ],
)
def test_chart_days_are_written_with_the_language_s_own_month_abbreviations(language: str, labels: list[str]) -> None:
    days = [datetime.date(2026, 9, 5), datetime.date(2026, 10, 1), datetime.date(2026, 6, 3)]
    days += [datetime.date(2026, 7, 4), datetime.date(2026, 12, 7)]
    with translation.override(language):
        assert [date_text(day, "CHART_DAY_FORMAT") for day in days] == labels


def test_numbers_in_a_message_are_grouped_where_the_message_takes_text() -> None:
    message = "At most %(max)s characters (%(id)d): %(title)s"
    with translation.override("fr"):
        grouped = numbers_grouped({"max": 5000, "id": 1234, "title": "x", "flag": True}, message=message)
        assert grouped == {"max": "5\u202f000", "id": 1234, "title": "x", "flag": True}
        assert message % grouped == "At most 5\u202f000 characters (1234): x"


def test_a_message_formatting_its_own_number_never_fails() -> None:
    # Django's own length messages, and older ones of ours, say %(limit_value)d.
    message = "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d)."
    grouped = numbers_grouped({"limit_value": 5000, "show_value": 5001}, message=message)
    assert message % grouped == "Ensure this value has at most 5000 characters (it has 5001)."


def test_every_lazy_help_text_renders_in_each_language() -> None:
    from care.views import EFFORT_MESSAGE, ReplyForm, _effort_choices
    from reviews.forms import ReviewForm

    for language in ("en", "fr"):
        with translation.override(language):
            assert "%" not in str(EFFORT_MESSAGE)
            assert all("%" not in str(label) for _, label in _effort_choices())
            for form in (ReplyForm(closing=False), ReplyForm(closing=True), ReviewForm()):
                assert all("%(" not in str(field.help_text) for field in form.fields.values())


@pytest.mark.parametrize(
    ("average", "halves"),
    [(Decimal("2.98"), 5), (Decimal("2.9999"), 5), (3, 6), (Decimal("3.24"), 6), (Decimal("3.5"), 7), (5, 10), (0, 0)],
)
def test_stars_fill_never_shows_more_than_the_average(average: Decimal | int, halves: int) -> None:
    html = engines["django"].from_string('{% include "partials/stars.html" with average=a %}').render({"a": average})
    assert f"stars-w{halves}\"" in html
