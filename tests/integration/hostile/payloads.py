"""Hostile values and bodies, and the API operations and site routes they are thrown at.

Nothing here lists endpoints by hand: the API's operations come from its OpenAPI schema
(drf-spectacular, as /api/schema/ serves it) and the site's routes from the URL
configuration, so a route added tomorrow is attacked by the same tests.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator

# Every non-ASCII character Python reads as a decimal digit (int() takes them all), one
# per script block, plus characters isdigit() says yes to that int() refuses ("²", "①").
UNICODE_DIGITS_SAMPLE = ("²", "①", "٣", "੩", "߂", "３", "𝟘", "᭓")


def all_unicode_decimals() -> tuple[str, ...]:
    """Every character outside ASCII that int() reads as a digit (about 700)."""
    return tuple(chr(code) for code in range(0x80, 0x110000) if unicodedata.decimal(chr(code), None) is not None)


NUL = "a\x00b"
RLO_UNPAIRED = "Great\u202e tent"
ISOLATE_UNPAIRED = "Great \u2067tent"
ZERO_WIDTH = ("in\u200bvisible", "zero\u200cwidth", "join\u200der", "word\u2060joiner", "\ufeffbom")
LONE_SURROGATE_JSON = '"\\ud800"'  # valid JSON, not encodable as UTF-8 (nor storable)

HOSTILE_TEXTS: dict[str, str] = {
    "nul": NUL,
    "rlo_unpaired": RLO_UNPAIRED,
    "isolate_unpaired": ISOLATE_UNPAIRED,
    **{f"zero_width_{i}": text for i, text in enumerate(ZERO_WIDTH)},
    "huge_text": "x" * 100_000,
}
HOSTILE_NUMBERS: dict[str, str] = {f"digit_{ord(d):04x}": d * 2 for d in UNICODE_DIGITS_SAMPLE} | {
    "underscore": "1_0",
    "spaced": " 3 ",
    "signed_plus": "+3",
    "huge": "9" * 5000,  # past CPython's 4,300-digit int() limit
    "bigint_overflow": str(2**63),
}


def deep_array(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def deep_object(depth: int) -> bytes:
    return b'{"a":' * depth + b"1" + b"}" * depth


def whole_body_payloads() -> dict[str, tuple[bytes, dict[str, Any]]]:
    """Bodies refused whole, before any field is read: name -> (body, extra WSGI environ)."""
    limit = settings.API_JSON_BODY_MAX_BYTES
    return {
        "deep_array_2000": (deep_array(2000), {}),
        "deep_object_2000": (deep_object(2000), {}),
        "deep_array_65": (deep_array(65), {}),
        "malformed_utf8": (b'{"title": "\xff\xfe\xc3\x28", "body": "\xed\xa0\x80"}', {}),
        "overlong_utf8": (b'{"title": "\xc0\xaf"}', {}),
        "truncated_json": (b'{"rating": ', {}),
        "nan": (b'{"rating": NaN}', {}),
        "nul_byte_raw": (b'{"title": "a\x00b"}', {}),
        "bom_prefixed": (b"\xef\xbb\xbf{}", {}),
        "lone_surrogate": (('{"title": ' + LONE_SURROGATE_JSON + "}").encode(), {}),
        "limit_plus_one": (b" " * (limit + 1), {}),
        "five_megabytes": (b"[" + b"0," * (5 * 1024 * 1024 // 2) + b"0]", {}),
        # Declares 50 MB and sends 2 bytes: refused on the header alone, never read.
        "fifty_megabytes_declared": (b"{}", {"CONTENT_LENGTH": str(50 * 1024 * 1024)}),
        "content_length_not_a_number": (b"{}", {"CONTENT_LENGTH": "１２"}),
    }


# --- The API, from its schema -----------------------------------------------------------
@dataclass(frozen=True)
class ApiOperation:
    method: str
    path: str
    operation: dict[str, Any] = field(hash=False, compare=False)

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"

    @property
    def parameters(self) -> list[dict[str, Any]]:
        return list(self.operation.get("parameters", []))


_SCHEMA: dict[str, Any] = {}


def api_schema() -> dict[str, Any]:
    if not _SCHEMA:
        _SCHEMA.update(SchemaGenerator().get_schema(request=None, public=True))
    return _SCHEMA


def api_operations() -> list[ApiOperation]:
    return [
        ApiOperation(method, path, operation)
        for path, item in api_schema()["paths"].items()
        for method, operation in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]


def resolve(schema_part: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema_part:
        name = schema_part["$ref"].rsplit("/", 1)[-1]
        schema_part = api_schema()["components"]["schemas"][name]
    if "oneOf" in schema_part:
        return resolve(schema_part["oneOf"][0])
    if "allOf" in schema_part:
        merged: dict[str, Any] = {}
        for part in schema_part["allOf"]:
            merged.update(resolve(part))
        return merged
    return schema_part


def request_body_schema(op: ApiOperation) -> dict[str, Any] | None:
    content = op.operation.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return None
    return resolve(content["application/json"]["schema"])


def sample_value(prop: dict[str, Any]) -> Any:
    """A plausible valid value of a schema property (the baseline one field is swapped in)."""
    prop = resolve(prop)
    if "enum" in prop:
        return next(value for value in prop["enum"] if value not in (None, ""))
    kind = prop.get("type")
    if kind == "integer":
        return max(prop.get("minimum", 1), 1)
    if kind == "number":
        return prop.get("minimum", 1)
    if kind == "boolean":
        return True
    if kind == "array":
        return [sample_value(prop.get("items", {"type": "string"}))] if prop.get("minItems") else []
    if prop.get("format") == "uri":
        return "https://erp.example.com/hooks/hostile"
    length = max(prop.get("minLength", 0), 24)
    return ("Sturdy and dry all night long. " * 4)[: min(length, prop.get("maxLength", length))]


def base_body(op: ApiOperation) -> dict[str, Any]:
    body_schema = request_body_schema(op) or {}
    return {name: sample_value(prop) for name, prop in body_schema.get("properties", {}).items()}


def body_field_types(op: ApiOperation) -> dict[str, str]:
    """Each body property's type ("string", "integer", ...); an array's by its items."""
    body_schema = request_body_schema(op) or {}
    types: dict[str, str] = {}
    for name, prop in body_schema.get("properties", {}).items():
        prop = resolve(prop)
        if prop.get("readOnly"):
            continue
        if prop.get("type") == "array":
            types[name] = "array:" + str(resolve(prop.get("items", {})).get("type", "string"))
        else:
            types[name] = str(prop.get("type", "string"))
    return types


def query_parameter_types(op: ApiOperation) -> dict[str, str]:
    types: dict[str, str] = {}
    for parameter in op.parameters:
        if parameter["in"] != "query":
            continue
        param_schema = resolve(parameter.get("schema", {}))
        if param_schema.get("type") == "array":
            types[parameter["name"]] = str(resolve(param_schema.get("items", {})).get("type", "string"))
        else:
            types[parameter["name"]] = str(param_schema.get("type", "string"))
    return types


def field_variants(types: dict[str, str]) -> Iterator[tuple[str, str, Any, bool]]:
    """(field, variant name, hostile value, must be refused): every text into text fields,
    every odd number into numeric ones (refused: a 400 naming the field)."""
    for name, kind in types.items():
        base_kind = kind.removeprefix("array:")
        wrap = kind.startswith("array:")
        if base_kind in ("integer", "number"):
            for variant, value in HOSTILE_NUMBERS.items():
                yield name, variant, [value] if wrap else value, True
        if base_kind == "string":
            for variant, value in HOSTILE_TEXTS.items():
                yield name, variant, [value] if wrap else value, variant == "nul"


def json_bytes(body: Any) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode("utf-8", "surrogatepass")


# --- The site, from its URL configuration -----------------------------------------------
_CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def site_routes() -> list[str]:
    """Every route of the URL configuration outside /api/ (the API's own tests) and
    /admin/ (Django's), as written: "reviews/<int:pk>/vote/"."""
    routes: list[str] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for entry in patterns:
            text = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, text)
            elif isinstance(entry, URLPattern):
                routes.append(text.lstrip("^"))

    walk(get_resolver().url_patterns, "")
    return sorted(route for route in set(routes) if not route.startswith(("api/", "admin/")) and "(?P" not in route)


def route_url(route: str, values: dict[str, str]) -> str:
    """The route with each ``<converter:name>`` replaced by ``values[name]``."""
    return "/" + _CONVERTER.sub(lambda match: values[match.group("name")], route)


def route_arguments(route: str) -> list[str]:
    return [match.group("name") for match in _CONVERTER.finditer(route)]
