"""How a product version is named on the desk: never by its internal number.

A product's revision number (0, 1, 2...; ``Product.revision``) is the gate's bookkeeping.
People read versions by when they started: revision 0 is the "original version", each later
one is the "version of 12 March 2026" (the day of the improvement that started it:
``gate.models.Improvement.day``). A later revision whose improvement is not found (data
imported without it) reads "later version" rather than a number.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from gate.models import Improvement
from products.models import Product

ORIGINAL_REVISION = 0


def version_label(revision: int, started: date | None, *, current: bool = False) -> str:
    """ "Original version", "Version of 12 March 2026", with "(current)" for the product's own."""
    if revision == ORIGINAL_REVISION:
        text = _("Original version")
    elif started is not None:
        text = _("Version of %(day)s") % {"day": date_format(started, "DATE_FORMAT")}
    else:
        text = _("Later version")
    return _("%(version)s (current)") % {"version": text} if current else text


def version_starts(product: Product) -> dict[int, date]:
    """The day each later revision of ``product`` started (one query)."""
    rows = Improvement.objects.filter(product=product).values_list("revision", "day")
    return dict(rows)


def version_labels(product: Product, *, mark_current: bool = False) -> dict[int, str]:
    """Every revision of ``product``, newest first, with its label."""
    starts = version_starts(product)
    return {
        revision: version_label(revision, starts.get(revision), current=mark_current and revision == product.revision)
        for revision in range(product.revision, -1, -1)
    }


def label_of(revision: int, labels: Mapping[int, str] | None) -> str:
    """The label of ``revision`` in ``labels`` (a page's version_labels), else without its date."""
    if labels and revision in labels:
        return labels[revision]
    return version_label(revision, None)
