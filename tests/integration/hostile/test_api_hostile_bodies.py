"""Every API operation of the OpenAPI schema x every hostile body, field and parameter.

The caller is a read_write key of a user holding every role, so each request reaches the
parser and the serializers. Outcome: never a 5xx; every 4xx in the API's error shape;
the whole-body attacks and odd numbers refused (400, or 413 over the size limit).
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import Client

from tests.integration.hostile.conftest import World, sent
from tests.integration.hostile.payloads import (
    HOSTILE_NUMBERS,
    HOSTILE_TEXTS,
    ApiOperation,
    api_operations,
    base_body,
    body_field_types,
    field_variants,
    json_bytes,
    query_parameter_types,
    whole_body_payloads,
)

pytestmark = pytest.mark.django_db

OPERATIONS = api_operations()
WRITES = [op for op in OPERATIONS if op.method in {"post", "put", "patch", "delete"}]
# Tallies of outcomes, by status, for docs/reliability.md (printed by test_figures_printed).
OUTCOMES: Counter[int] = Counter()
TRIED: Counter[str] = Counter()


def assert_error_shape(response: HttpResponse, what: str) -> dict[str, Any]:
    assert response["Content-Type"].startswith("application/json"), what
    body = json.loads(response.content)
    error = body["error"]
    assert isinstance(error["code"], str) and error["code"], what
    assert isinstance(error["message"], str) and error["message"], what
    assert isinstance(error["fields"], dict), what
    return body  # type: ignore[no-any-return]


def names_field(body: dict[str, Any], name: str) -> bool:
    return any(key == name or key.startswith(f"{name}.") for key in body["error"]["fields"])


def checked(response: HttpResponse, what: str, *, refused: bool = False) -> HttpResponse:
    OUTCOMES[response.status_code] += 1
    what = what if len(what) < 200 else what[:200] + "…"
    assert response.status_code < 500, f"{what}: {response.status_code} {response.content[:300]!r}"
    if response.status_code >= 400 or refused:
        assert 400 <= response.status_code < 500, f"{what}: {response.status_code} accepted"
        assert_error_shape(response, what)
    return response


def api_url(op: ApiOperation, world: World, query: str = "") -> str:
    path = op.path.format(**world.api_path_values(op.path))
    return path + (f"?{query}" if query else "")


def send(client: Client, op: ApiOperation, url: str, body: bytes | None, **extra: Any) -> Any:
    extra.setdefault("content_type", "application/json")
    data = body if body is not None else b""
    return sent(lambda: client.generic(op.method.upper(), url, data, **extra))


@pytest.fixture
def key_client(world: World) -> Client:
    return Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Api-Key {world.key}")


@pytest.mark.slow
@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.label)
def test_hostile_query_parameters_are_refused_in_the_error_shape(op: ApiOperation, world: World, key_client: Client):
    for name, variant, value, refused in field_variants(query_parameter_types(op)):
        values = value if isinstance(value, list) else [value]
        query = "&".join(f"{name}={quote(item, safe='')}" for item in values)
        what = f"{op.label} ?{name}={variant}"
        TRIED[op.label] += 1
        response = checked(send(key_client, op, api_url(op, world, query), None), what, refused=refused)
        if refused:
            assert response.status_code == 400, what
            assert names_field(assert_error_shape(response, what), name), what
    # Malformed percent-encoding and raw bytes that are not UTF-8, in every parameter.
    for name in [*query_parameter_types(op), "page"]:
        for raw in ("%FF%FE", "%C0%AF", "%ED%A0%80", "%00"):
            TRIED[op.label] += 1
            checked(send(key_client, op, api_url(op, world, f"{name}={raw}"), None), f"{op.label} ?{name}={raw}")


@pytest.mark.slow
@pytest.mark.parametrize("op", [op for op in OPERATIONS if "{id}" in op.path], ids=lambda op: op.label)
def test_ids_in_other_scripts_are_not_found(op: ApiOperation, world: World, key_client: Client) -> None:
    for digits in [*HOSTILE_NUMBERS.values(), "٣", "0", "-1"]:
        url = op.path.replace("{id}", quote(digits, safe="")).format(
            **world.api_path_values(op.path.replace("{id}", ""))
        )
        TRIED[op.label] += 1
        what = f"{op.label} id={digits[:40]!r}"
        response = checked(send(key_client, op, url, b"{}"), what)
        # Never read as an id: not found, or the body refused before the lookup.
        assert response.status_code in (400, 404), f"{what}: {response.status_code}"


@pytest.mark.slow
@pytest.mark.parametrize("op", WRITES, ids=lambda op: op.label)
def test_hostile_whole_bodies_are_refused(op: ApiOperation, world: World, key_client: Client) -> None:
    limit = settings.API_JSON_BODY_MAX_BYTES
    for variant, (body, extra) in whole_body_payloads().items():
        what = f"{op.label} body={variant}"
        TRIED[op.label] += 1
        response = checked(send(key_client, op, api_url(op, world), body, **extra), what)
        header = extra.get("CONTENT_LENGTH")
        if header is not None and not header.isascii():
            assert response.status_code == 400, what
            continue
        declared = int(header) if header else len(body)
        if declared > limit:
            assert response.status_code == 413, what
            assert assert_error_shape(response, what)["error"]["code"] == "request_too_large"
        elif op.method != "delete" and "requestBody" in op.operation and variant != "bom_prefixed":
            # Every other whole-body attack is refused by the parser (400) on operations
            # that read a body; `approve` and DELETE read none and answer on their own.
            assert response.status_code == 400, what


@pytest.mark.slow
@pytest.mark.parametrize("op", [op for op in WRITES if body_field_types(op)], ids=lambda op: op.label)
def test_hostile_values_in_each_body_field(op: ApiOperation, world: World, key_client: Client) -> None:
    for name, variant, value, refused in field_variants(body_field_types(op)):
        body = {**base_body(op), name: value}
        what = f"{op.label} {name}={variant}"
        TRIED[op.label] += 1
        response = checked(send(key_client, op, api_url(op, world), json_bytes(body)), what, refused=refused)
        if refused:
            assert response.status_code == 400, what
            assert names_field(assert_error_shape(response, what), name), what
    # A lone surrogate (valid JSON, not UTF-8) in each text field.
    for name, kind in body_field_types(op).items():
        if kind == "string":
            raw = json_bytes(base_body(op))[:-1] + f', "{name}": "\\udfff"}}'.encode()
            TRIED[op.label] += 1
            checked(send(key_client, op, api_url(op, world), raw), f"{op.label} {name}=lone surrogate")


def test_the_schema_gives_every_kind_of_operation() -> None:
    """The generated tests above attack what the schema lists: it must list the writes."""
    labels = {op.label for op in OPERATIONS}
    assert {"POST /api/v1/products/{product_sku}/reviews/", "POST /api/v1/webhooks/"} <= labels
    assert len(WRITES) >= 7
    assert all(body_field_types(op) for op in WRITES if "requestBody" in op.operation)


@pytest.mark.slow
def test_figures_printed() -> None:
    """Run last in the module (with -s): the figures of docs/reliability.md."""
    print(f"\nAPI hostile: {len(OPERATIONS)} operations, {sum(TRIED.values())} requests; by status: {dict(OUTCOMES)}")
    print(f"texts {len(HOSTILE_TEXTS)}, numbers {len(HOSTILE_NUMBERS)}, whole bodies {len(whole_body_payloads())}")
