"""A rating as stars, written by Python: `{% stars average size="small" show_text=True %}`.

templates/partials/stars.html was this markup as a template, included once per review and
per product card: an include and three translation tags each time, most of a product
page's rendering (docs/performance.md). The tag writes the same characters
(tests/integration/site/test_review_list_rendering.py compares them with the template it
replaced), and the partial now calls it, so the markup has this one definition.

`average` None: "No reviews yet". The fill is rounded down to a half star (`half_stars`):
it never shows more than the average. Empty stars are outlines (☆), filled ones solid (★)
in a colour of 3:1 against white and against the outline: told apart by shape, not colour
alone. The text is inside the image role, so a screen reader reads the label once.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from core.templatetags.figures import half_stars, rating

register = template.Library()


@register.simple_tag(name="stars")
def stars_tag(average: Any, size: Any = "", show_text: Any = False) -> SafeString:
    # As {% blocktranslate %} does: the message as translated, each value escaped into it.
    if average is None:
        none = conditional_escape(gettext("No reviews yet"))
        return mark_safe(f'<span class="stars-none">{none}</span>')  # noqa: S308  # nosec B308, B703  # escaped above
    label = gettext("Rated %(avg)s out of 5") % {"avg": conditional_escape(rating(average))}
    size_class = f" stars-{conditional_escape(size)}" if size else ""
    text = ""
    if show_text:
        written = gettext("%(rating)s/5") % {"rating": conditional_escape(floatformat(average, "-1"))}
        text = f' <span class="stars-text">{written}</span>'
    return mark_safe(  # noqa: S308  # nosec B308, B703  # every value above is escaped
        f'<span class="stars{size_class}" role="img" aria-label="{label}"><span class="stars-track" '
        f'aria-hidden="true">☆☆☆☆☆<span class="stars-fill stars-w{half_stars(average)}">★★★★★</span></span>'
        f"{text}</span>"
    )
