"""Swagger UI, as a reader sees it: public operations without a padlock, and the page still
working for a reader the API has throttled (issue 18, item 11)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _operation(page: Any, method: str, path: str) -> Any:
    summary = page.locator(f".opblock-{method} .opblock-summary").filter(
        has=page.locator(".opblock-summary-path", has_text=path)
    )
    return summary.filter(has=page.locator(f'[data-path="{path}"]')).first


def test_public_operations_have_no_padlock(live_server: Any, page: Any) -> None:
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/products/").first).to_be_visible()
    padlocks = {
        (method, path): _operation(page, method, path).locator(".authorization__btn").count()
        for method, path in [
            ("get", "/api/v1/products/"),
            ("get", "/api/v1/ratings/"),
            ("get", "/api/v1/products/{product_sku}/reviews/"),
            ("get", "/api/v1/gate/events/"),
            ("post", "/api/v1/products/{product_sku}/reviews/"),
            ("get", "/api/v1/gate/notices/"),
        ]
    }
    screenshot(page, "api-docs-padlocks", full_page=False)
    assert padlocks == {
        ("get", "/api/v1/products/"): 0,
        ("get", "/api/v1/ratings/"): 0,
        ("get", "/api/v1/products/{product_sku}/reviews/"): 0,
        ("get", "/api/v1/gate/events/"): 0,
        ("post", "/api/v1/products/{product_sku}/reviews/"): 1,
        ("get", "/api/v1/gate/notices/"): 1,
    }


def test_the_docs_load_their_schema_for_a_reader_the_api_throttled(live_server: Any, page: Any, settings: Any) -> None:
    settings.RATELIMIT_ENABLED = True
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "2/min"}}
    statuses = [page.request.get(f"{live_server.url}/api/v1/products/").status for _ in range(3)]
    assert statuses == [200, 200, 429]

    page.goto(f"{live_server.url}/api/docs/")
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/products/{sku}/").first).to_be_visible()
    expect(page.locator(".swagger-ui .errors-wrapper")).to_have_count(0)
    screenshot(page, "api-docs-when-throttled", full_page=False)
