"""Template level: the withdrawal notice never puts "below 3.0" beside an average of "3.0"
(nor "below 3.34" beside "3.34" under a threshold of 10/3), in either language."""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction
from types import SimpleNamespace

from django.template.loader import render_to_string
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from gate.configured import threshold_decimal
from gate.policy import GatePolicy


def _notice(average: Decimal, threshold: Fraction, language: str) -> tuple[str, str]:
    gate = SimpleNamespace(
        withdrawn=True,
        withdrawn_on=None,
        threshold=threshold_decimal(GatePolicy.build(threshold=threshold)),
        window_days=365,
        min_reviews=25,
        grace_days=30,
        withdrawal_average=average,
        withdrawal_count=31,
    )
    with translation.override(language):
        html = render_to_string("products/_gate_notice.html", {"gate": gate, "product": None})
    stated = re.search(r"(?:below|sous|inférieure? à) ([0-9.,]+)", html)
    counted = re.search(r'<p class="gate-counted-average">.*? ([0-9]+[.,][0-9]+) ', html, re.S)
    assert stated is not None and counted is not None, html
    return stated.group(1), counted.group(1)


def _number(text: str) -> Fraction:
    return Fraction(text.replace(",", "."))


@settings(max_examples=60, deadline=None)
@given(
    average=st.decimals(min_value=Decimal("2.9"), max_value=Decimal("3.3333"), places=4),
    threshold=st.sampled_from([Fraction(3), Fraction(10, 3)]),
    language=st.sampled_from(["en", "fr"]),
)
def test_rated_below_never_sits_beside_the_threshold(average: Decimal, threshold: Fraction, language: str) -> None:
    if average >= threshold:
        average = Decimal("2.9999")
    stated, counted = _notice(average, threshold, language)
    assert _number(counted) < _number(stated), (stated, counted)


def test_the_example_of_the_issue() -> None:
    assert _notice(Decimal("2.9900"), Fraction(3), "en") == ("3.0", "2.99")
    assert _notice(Decimal("3.3300"), Fraction(10, 3), "fr")[1] == "3,3"
