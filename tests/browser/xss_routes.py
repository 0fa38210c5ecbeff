"""Every route of the URL configuration, as a URL a test client can ask for: each path
converter gets a sample value (an existing object's key when the test passes one)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_BY_CONVERTER = {"int": "1", "str": "x", "slug": "x", "path": "x", "uuid": "00000000-0000-0000-0000-000000000000"}


def _routes(patterns: list[URLPattern | URLResolver], prefix: str) -> Iterator[str | None]:
    for entry in patterns:
        if not isinstance(entry.pattern, RoutePattern):
            yield None  # a regular expression (the admin's app index, the API router): not walked
            continue
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _routes(list(entry.url_patterns), route)
        else:
            yield route


def route_urls(samples: Mapping[str, str]) -> tuple[list[str], int]:
    """The URLs of every path() route, and how many regex routes were left out.

    ``samples`` maps a parameter's name ("pk", "sku") or converter to the value to put there.
    """
    urls: list[str] = []
    skipped = 0
    for route in _routes(list(get_resolver().url_patterns), "/"):
        if route is None:
            skipped += 1
            continue

        def value(match: re.Match[str]) -> str:
            converter = match.group("converter") or "str"
            return samples.get(match.group("name")) or samples.get(converter) or _BY_CONVERTER.get(converter, "x")

        urls.append(_PARAMETER.sub(value, route))
    return sorted(set(urls)), skipped
