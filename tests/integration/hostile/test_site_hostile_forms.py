"""Every route of the site's URL configuration x every hostile body and field value.

The routes come from the URL configuration (tests.integration.hostile.payloads.site_routes);
their form fields from the forms the site's own pages show (every page is fetched once and
its ``<form method="post">`` read), so the values land in the fields a browser would send.
A route no page links a form to is still posted to, with a generic field. Outcome: never
a 5xx; a body over the limit is the site's 413 page.
"""

from __future__ import annotations

from collections import Counter
from functools import partial
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import Client
from django.urls import Resolver404, resolve

from tests.integration.hostile.conftest import World, sent
from tests.integration.hostile.payloads import (
    HOSTILE_NUMBERS,
    HOSTILE_TEXTS,
    route_arguments,
    route_url,
    site_routes,
)

pytestmark = pytest.mark.django_db

ROUTES = site_routes()
FORM_CONTENT = "application/x-www-form-urlencoded"
OUTCOMES: Counter[int] = Counter()
TRIED: Counter[str] = Counter()
# Route -> the fields of the forms that post to it (name -> the value the page gave).
FIELDS: dict[str, dict[str, str]] = {}


class _PostForms(HTMLParser):
    def __init__(self, page_path: str) -> None:
        super().__init__()
        self.page_path = page_path
        self.forms: list[tuple[str, dict[str, str]]] = []
        self._current: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form" and attributes.get("method", "").lower() == "post":
            self._current = {}
            self.forms.append((attributes.get("action") or self.page_path, self._current))
        elif tag in ("input", "textarea", "select", "button") and self._current is not None:
            name = attributes.get("name")
            if name and name != "csrfmiddlewaretoken":
                self._current.setdefault(name, attributes.get("value", "x"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


def route_of(url: str) -> str | None:
    try:
        return resolve(urlsplit(url).path).route
    except Resolver404:
        return None


def fields_discovered(world: World, poster: Client) -> dict[str, dict[str, str]]:
    """Fetches every page once (per test session) and maps each route to the fields of the
    forms posting to it."""
    if FIELDS:
        return FIELDS
    for route in ROUTES:
        path = route_url(route, world.route_values(route))
        for client in (poster, Client()):
            response = sent(partial(client.get, path))
            if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
                continue
            finder = _PostForms(path)
            finder.feed(response.content.decode())
            for action, fields in finder.forms:
                target = route_of(action)
                if target:
                    FIELDS.setdefault(target, {}).update(fields)
    return FIELDS


def checked(response: HttpResponse, what: str) -> HttpResponse:
    OUTCOMES[response.status_code] += 1
    assert response.status_code < 500, f"{what[:200]}: {response.status_code}"
    if response.status_code == 413:
        assert response["Content-Type"].startswith("text/html"), what
        assert "Request too large" in response.content.decode(), what
    return response


def whole_bodies(fields: dict[str, str]) -> dict[str, tuple[bytes, dict[str, Any]]]:
    limit = settings.SITE_FORM_BODY_MAX_BYTES
    first = next(iter(fields))
    return {
        "malformed_utf8": (f"{first}=%FF%FE%C0%AF&{first}2=".encode() + b"\xff\xfe\xed\xa0\x80", {}),
        "nul_raw": (f"{first}=a%00b".encode(), {}),
        "too_many_fields": (b"&".join(b"f%d=1" % n for n in range(1100)), {}),
        "limit_plus_one": (f"{first}=".encode() + b"x" * (limit + 1 - len(first) - 1), {}),
        "five_megabytes": (f"{first}=".encode() + b"x" * (5 * 1024 * 1024), {}),
        "fifty_megabytes_declared": (f"{first}=x".encode(), {"CONTENT_LENGTH": str(50 * 1024 * 1024)}),
        "broken_multipart": (b"--nope\r\nContent-Disposition: form-data\r\n\r\nx", {"boundary": "b"}),
    }


def callers(route: str, world: World, poster: Client) -> list[tuple[str, Client]]:
    # Sign-up, sign-in and the reset pages are for people who are not signed in.
    if route.startswith("accounts/"):
        return [("poster", poster), ("anonymous", Client(raise_request_exception=False))]
    return [("poster", poster)]


@pytest.mark.slow
@pytest.mark.parametrize("route", ROUTES)
def test_hostile_values_in_every_form_field_never_break_a_page(route: str, world: World, poster_client: Client) -> None:
    path = route_url(route, world.route_values(route))
    fields = fields_discovered(world, poster_client).get(route) or {"value": "1"}
    for caller, client in callers(route, world, poster_client):
        for name in fields:
            for variant, value in {**HOSTILE_TEXTS, **HOSTILE_NUMBERS}.items():
                what = f"{caller} POST /{route} {name}={variant}"
                TRIED[route] += 1
                checked(sent(partial(client.post, path, {**fields, name: value})), what)
        for name in [*fields, "page"]:
            for raw in ("%FF%FE", "%00", quote("٣"), quote("²")):
                TRIED[route] += 1
                checked(
                    sent(partial(client.get, f"{path}?{name}={raw}")),
                    f"GET {name}={raw}",
                )


@pytest.mark.slow
@pytest.mark.parametrize("route", ROUTES)
def test_hostile_whole_bodies_never_break_a_page(route: str, world: World, poster_client: Client) -> None:
    path = route_url(route, world.route_values(route))
    fields = fields_discovered(world, poster_client).get(route) or {"value": "1"}
    limit = settings.SITE_FORM_BODY_MAX_BYTES
    for caller, client in callers(route, world, poster_client):
        for variant, (body, extra) in whole_bodies(fields).items():
            content_type = FORM_CONTENT
            if "boundary" in extra:
                content_type = f"multipart/form-data; boundary={extra.pop('boundary')}"
            what = f"{caller} POST /{route} body={variant}"
            TRIED[route] += 1
            response = checked(
                sent(partial(client.generic, "POST", path, body, content_type=content_type, **extra)),
                what,
            )
            declared = int(extra.get("CONTENT_LENGTH", len(body)))
            if declared > limit:
                assert response.status_code == 413, what


def test_every_route_has_its_url_arguments(world: World) -> None:
    """A route added without a row in World.route_values fails here, not silently."""
    for route in ROUTES:
        values = world.route_values(route)
        missing = [name for name in route_arguments(route) if name not in values]
        assert not missing, f"{route}: add {missing} to World.route_values"
        assert resolve(route_url(route, values)).route == route


@pytest.mark.slow
def test_forms_of_the_site_were_found(world: World, poster_client: Client) -> None:
    """The crawl finds the forms that matter (else the field tests only post `value=1`)."""
    found = fields_discovered(world, poster_client)
    assert {"title", "body", "rating"} <= set(found["products/<sku:sku>/review/"])
    assert "decision" in found["desk/moderation/"]  # the queue posts to itself (page_with_forms)
    assert {"reason", "comment"} <= set(found["reviews/<int:pk>/report/"])
    print(f"\nSite hostile: {len(ROUTES)} routes, {len(found)} with forms found, {sum(TRIED.values())} requests")
    print(f"by status: {dict(OUTCOMES)}")
