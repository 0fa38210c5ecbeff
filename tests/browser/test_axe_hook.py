"""The axe-core hook itself (tests/browser/axe_hook.py) must be able to fail: a page with a
known violation is reported, whether the test leaves it by a navigation or ends on it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import PageWatch, _context, _contexts_close

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Served by a route of the test: an image without a text alternative (axe's image-alt,
# WCAG 1.1.1) on a page with no language (html-has-lang, WCAG 3.1.2).
BAD_URL = "http://axe-selftest.invalid/bad"
BAD_PAGE = (
    "<!doctype html><html><head><title>bad</title></head><body><main>"
    '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="10" height="10"></main></body></html>'
)


def _context_with_bad_page(browser: Any, watch: PageWatch) -> Any:
    context = _context(browser, watch)
    # Registered after the hook's route, so it answers the fake host first; the hook still
    # sees every other request (fallback), including the navigation that leaves this page.
    context.route(BAD_URL, lambda route: route.fulfill(status=200, content_type="text/html", body=BAD_PAGE))
    return context


def test_hook_reports_a_page_the_test_navigates_away_from(browser: Any, live_server: Any) -> None:
    watch = PageWatch()
    context = _context_with_bad_page(browser, watch)
    page = context.new_page()
    page.goto(BAD_URL)
    page.goto(f"{live_server.url}/about/reviews/")  # held until BAD_URL's check is in
    report = watch.axe.report()
    context.close()
    assert BAD_URL in watch.axe.checked
    assert "- image-alt (critical)" in report and f"at {BAD_URL}" in report and "element: img" in report
    assert "- html-has-lang (serious)" in report


def test_hook_reports_the_page_a_test_ends_on(browser: Any) -> None:
    watch = PageWatch()
    context = _context_with_bad_page(browser, watch)
    page = context.new_page()
    page.goto(BAD_URL)
    with pytest.raises(AssertionError, match=r"image-alt \(critical\)"):
        _contexts_close([context], watch)


def test_hook_checks_each_page_of_the_site_once_and_passes_a_clean_one(browser: Any, live_server: Any) -> None:
    watch = PageWatch()
    context = _context(browser, watch)
    page = context.new_page()
    page.goto(f"{live_server.url}/about/reviews/")
    page.goto(f"{live_server.url}/accounts/login/")
    page.goto(f"{live_server.url}/api/schema/?format=json")  # not HTML: not checked
    _contexts_close([context], watch)
    assert watch.axe.checked == [f"{live_server.url}/about/reviews/", f"{live_server.url}/accounts/login/"]


LATE_URL = "http://axe-selftest.invalid/late"
LATE_PAGE = (
    '<!doctype html><html lang="en"><head><title>late</title></head><body><main><p>Loading…</p></main>'
    "<script>window.addEventListener('load', () => setTimeout(() => {"
    "const img = document.createElement('img'); img.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';"
    "document.querySelector('main').append(img);}, 300));</script></body></html>"
)


def test_hook_checks_again_what_scripts_drew_after_load(browser: Any) -> None:
    watch = PageWatch()
    context = _context(browser, watch)
    context.route(LATE_URL, lambda route: route.fulfill(status=200, content_type="text/html", body=LATE_PAGE))
    page = context.new_page()
    page.goto(LATE_URL)
    page.locator("main img").wait_for(state="attached")
    with pytest.raises(AssertionError, match=r"image-alt \(critical\)"):
        _contexts_close([context], watch)
    assert watch.axe.checked == [LATE_URL, LATE_URL]  # at load (clean), then as the test left it
