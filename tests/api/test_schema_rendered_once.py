"""/api/schema/ is unthrottled, so it must be cheap: its bytes are rendered once per language
and format (YAML, JSON), not per request (issue 18, item 11)."""

from __future__ import annotations

from collections.abc import Iterator
from unittest import mock

import pytest
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer
from rest_framework.test import APIClient

from config.api_router import SchemaView

pytestmark = pytest.mark.django_db

JSON = "application/vnd.oai.openapi+json"


@pytest.fixture
def fresh_cache() -> Iterator[None]:
    with mock.patch.dict(SchemaView._built, clear=True), mock.patch.dict(SchemaView._rendered, clear=True):
        yield


def test_the_yaml_is_rendered_once_per_language(fresh_cache: None) -> None:
    client = APIClient()
    with mock.patch.object(
        OpenApiYamlRenderer, "render", autospec=True, side_effect=OpenApiYamlRenderer.render
    ) as render:
        first = client.get("/api/schema/")
        second = client.get("/api/schema/?version=x")
        assert render.call_count == 1
        assert first.content == second.content and b"openapi: 3" in first.content
        assert first["Content-Type"] == second["Content-Type"] == "application/vnd.oai.openapi; charset=utf-8"
        assert 'filename="' in second["Content-Disposition"]
        french = client.get("/api/schema/?lang=fr")
        client.get("/api/schema/?lang=fr")
        assert render.call_count == 2
        assert french.content != first.content


def test_the_json_is_rendered_once_and_apart_from_the_yaml(fresh_cache: None) -> None:
    client = APIClient()
    with mock.patch.object(
        OpenApiJsonRenderer, "render", autospec=True, side_effect=OpenApiJsonRenderer.render
    ) as render:
        client.get("/api/schema/")
        first = client.get("/api/schema/", HTTP_ACCEPT=JSON)
        second = client.get("/api/schema/", HTTP_ACCEPT=f"{JSON}; indent=8")
        third = client.get("/api/schema/?format=json")
        assert render.call_count == 1
        assert first.json()["openapi"].startswith("3") and first["Content-Type"] == JSON
        assert first.content == second.content == third.content


def test_a_browser_accept_header_gets_the_yaml(fresh_cache: None) -> None:
    response = APIClient().get("/api/schema/", HTTP_ACCEPT="text/html,*/*;q=0.8")
    assert response.status_code == 200 and b"openapi: 3" in response.content
