"""The API's documentation renders in a real browser under its Content-Security-Policy:
the page fixture fails the test on any CSP violation or JavaScript error."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_swagger_ui_renders_the_schema_from_local_files(live_server: Any, page: Any) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("reviewgate API")
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/products/{sku}/").first).to_be_visible()
    assert all(url.startswith(live_server.url) or url.startswith("data:") for url in requested), requested


REDOCLY_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


def test_redoc_renders_the_schema_from_local_files(live_server: Any, context: Any, watch: Any) -> None:
    # Redoc's bundle always tries to show its vendor's logo from a CDN; the docs' policy
    # blocks it (the image hides itself on error), so no request leaves for a third party.
    # That one violation is expected; the `page` fixture would fail on it, hence a bare page.
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{live_server.url}/api/redoc/")
    expect(page.locator("h1", has_text="reviewgate API")).to_be_visible(timeout=20_000)
    expect(page.get_by_text("List products with their rating summary and gate state").first).to_be_attached()
    violations = page.evaluate("window.__cspViolations")
    assert set(violations) <= {f"img-src {REDOCLY_LOGO}"}, violations
    outside = [url for url in requested if not url.startswith((live_server.url, "data:", "blob:"))]
    assert set(outside) <= {REDOCLY_LOGO}, outside
    assert watch.errors == [] and watch.dialogs == []
