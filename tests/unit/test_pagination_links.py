"""templates/partials/pagination.html, shared by every paginated list: numbered pages with
gaps, each link keeping the list's query string (no database)."""

from __future__ import annotations

import re

import pytest
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory


def render(query: str, *, pages: int, number: int, fragment: str = "") -> str:
    request = RequestFactory().get(f"/list/?{query}")
    page = Paginator(range(pages * 10), 10).get_page(number)
    return render_to_string("partials/pagination.html", {"page": page, "fragment": fragment}, request=request)


def items(html: str) -> list[str]:
    """Each list item as the shopper reads it: its text, "[n]" for the current page, "(…)" for a gap."""
    out = []
    for item in re.findall(r"<li[^>]*>(.*?)</li>", html, re.S):
        text = re.sub(r"<[^>]+>", "", item).replace("Page ", "").strip()
        if 'aria-current="page"' in item:
            text = f"[{text}]"
        elif "<a " not in item:
            text = f"({text})"
        out.append(text)
    return out


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (1, ["[1]", "2", "3", "(…)", "20", "Next page", "Last page"]),
        (4, ["First page", "Previous page", "1", "2", "3", "[4]", "5", "6", "(…)", "20", "Next page", "Last page"]),
        (
            10,
            [
                "First page",
                "Previous page",
                "1",
                "(…)",
                "8",
                "9",
                "[10]",
                "11",
                "12",
                "(…)",
                "20",
                "Next page",
                "Last page",
            ],
        ),
        (20, ["First page", "Previous page", "1", "(…)", "18", "19", "[20]"]),
    ],
)
def test_numbered_pages_with_gaps_first_previous_next_last(number: int, expected: list[str]) -> None:
    assert items(render("", pages=20, number=number)) == expected


def test_every_link_keeps_the_filters_and_the_search() -> None:
    html = render("q=caf%C3%A9+cr%C3%A8me&stars=4&verified=on&page=10", pages=20, number=10, fragment="#reviews")
    hrefs = re.findall(r'href="([^"]+)"', html)
    assert len(hrefs) == 11
    for href in hrefs:
        assert re.fullmatch(r"\?q=caf%C3%A9\+cr%C3%A8me&amp;stars=4&amp;verified=on&amp;page=\d+#reviews", href), href


def test_gaps_are_not_links_and_the_current_page_is_marked_once() -> None:
    html = render("", pages=20, number=10)
    assert html.count('aria-current="page"') == 1
    assert (
        re.findall(r'<li class="pagination-gap"><span>…</span></li>', html)
        == ['<li class="pagination-gap"><span>…</span></li>'] * 2
    )
    assert re.search(r'<nav class="pagination" aria-label="Pages">', html)
    assert "Page 10 of 20" in html


def test_a_single_page_shows_no_navigation() -> None:
    assert render("", pages=1, number=1).strip() == ""
