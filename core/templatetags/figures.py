"""The site's figures in templates: gate averages, percentages, numbers and dates.

A builtin library (TEMPLATES OPTIONS "builtins"), so every template, emails included, has
these filters without ``{% load %}``, and its ``date`` replaces Django's: "1er décembre" in
French wherever a date is written. Each filter calls ``core.local_formats``.

    {{ figures.average|gate_average:threshold }}   2.99 (never 3.0 below a threshold of 3)
    {{ threshold|gate_threshold }}                 3.0; 3.34 for 10/3
    {{ product.current_average|rating }}           a review's 4, or an average by the rule
    {{ bar.percent|percent }}                      80.4% / 80,4 %
    {{ share|percent:1 }}                          one decimal
    {{ total|number }}                             3,763 / 3 763
    {{ day|date:"DATE_FORMAT" }}                   December 1, 2026 / 1er décembre 2026
    {{ name|name_ending_sentence }}.               "Marc L." once, not "Marc L.."
    {% elide name %}{% blocktranslate %}Photos by {{ name }}{% endblocktranslate %}{% endelide %}
                                                   "Photos d’Alex" (core.elision)
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.template.base import FilterExpression, Parser, Token
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

from core import names
from core.elision import elide_before
from core.local_formats import average_text, date_text, number_text, percent_text, threshold_text

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def date(value: Any, arg: str | None = None) -> str:
    """Django's ``date`` filter, with the language's first of the month ("1er")."""
    return date_text(value, arg)


@register.filter
def gate_average(average: Any, threshold: Any = None) -> str:
    """An average beside the gate's threshold (by default the one in force): 1 decimal, or
    2 where 1 would cross it."""
    return average_text(average, threshold)


@register.filter
def gate_average_below(average: Any, threshold: Any = None) -> str:
    """An average the gate judged below the threshold (a flag, a withdrawal): never shown
    at or above it, even when its 4-decimal rounding reached it."""
    return average_text(average, threshold, below=True)


@register.filter
def gate_average_not_below(average: Any, threshold: Any = None) -> str:
    """An average the gate judged at or above the threshold (a recovery)."""
    return average_text(average, threshold, below=False)


@register.filter
def rating(value: Any) -> str:
    """A rating out of 5 for people: a review's whole stars as they are ("4"), an average
    by the gate's rule ("2.99", never "3.0" below a threshold of 3)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return number_text(value)
    return average_text(value)


@register.filter
def half_stars(value: Any) -> int:
    """How many half stars a rating fills, 0 to 10, rounded DOWN: stars never show more than
    the average (2.98 fills five halves, not six: three full stars would read as 3.0 beside
    "rated below 3.0"); a review's whole stars fill exactly."""
    halves = int(Decimal(str(value)) * 2)  # int() truncates: down, for ratings (never negative)
    return max(0, min(10, halves))


@register.filter
def gate_threshold(threshold: Any = None) -> str:
    """The threshold as shown beside averages: 3.0, 3.5; 3.34 for 10/3 (rounded up)."""
    return threshold_text(threshold)


@register.filter
def percent(value: Any, decimals: Any = None) -> str:
    """A percentage in the active language: "80.4%" / "80,4 %"."""
    return percent_text(value, None if decimals is None else int(decimals))


@register.filter
def number(value: Any, decimals: Any = None) -> str:
    """A number in the active language: "3,763" / "3 763"."""
    return number_text(value, None if decimals is None else int(decimals))


@register.filter
def name_ending_sentence(value: Any) -> str:
    """A person's name followed by the sentence's full stop, without a double one:
    "{{ name|name_ending_sentence }}." writes "Marc L." for "Marc L."."""
    return names.name_ending_sentence(value)


class ElideNode(template.Node):
    def __init__(self, nodelist: template.NodeList, words: list[FilterExpression]) -> None:
        self.nodelist = nodelist
        self.words = words

    def render(self, context: template.Context) -> str:
        text = self.nodelist.render(context)
        words = [word.resolve(context) for word in self.words]
        # The words are looked for as the block wrote them: escaped, where it escapes.
        shown = [conditional_escape(word) if context.autoescape else str(word) for word in words if word is not None]
        elided = elide_before(text, shown)
        return mark_safe(elided) if isinstance(text, SafeData) else elided  # noqa: S308  # nosec B308, B703  # safe text, only an apostrophe added


@register.tag
def elide(parser: Parser, token: Token) -> ElideNode:
    """``{% elide name other %}…{% endelide %}``: the block's text with French elision before
    the given values ("de Alex" -> "d’Alex"), for a translated sentence that interpolates
    them (core.elision). Unchanged in English."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% elide %} takes the values the block interpolates")
    nodelist = parser.parse(("endelide",))
    parser.delete_first_token()
    return ElideNode(nodelist, [parser.compile_filter(bit) for bit in bits[1:]])
