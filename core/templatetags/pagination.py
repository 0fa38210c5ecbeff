"""The numbered page links of every paginated list (templates/partials/pagination.html)."""

from __future__ import annotations

from django import template
from django.core.paginator import Page

register = template.Library()

# Around the current page, and at each end: "1 … 4 5 [6] 7 8 … 20" fits a phone's width.
PAGES_ON_EACH_SIDE = 2
PAGES_ON_ENDS = 1


@register.simple_tag
def page_links(page: Page) -> list[int | str]:
    """The page numbers to link, with the paginator's ELLIPSIS where numbers are left out."""
    return list(
        page.paginator.get_elided_page_range(page.number, on_each_side=PAGES_ON_EACH_SIDE, on_ends=PAGES_ON_ENDS)
    )
