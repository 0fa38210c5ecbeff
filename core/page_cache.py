"""Whole pages for anonymous visitors, from the shared cache, and revalidation by version.

A view decorated with `page_cached(stamp=...)` answers a visitor who cannot be signed in
(no session cookie, hence no user, no messages in the session) from `caches["default"]`
(Redis in production, the database cache by default), keyed by what the output depends
on: the stamp the view's data gives (e.g. a product's page version), the view, the
language, the day (pages say "in 5 days"), the host and scheme, the path with its query
string, and the code's release. Every other request renders as before.

What must never travel from one visitor to another:
* the CSRF token: the cached copy is rendered with a placeholder in its place (the
  `csrf_placeholder` context processor), and every answer, the first included, gets the
  visitor's own token substituted, so the CSRF middleware sets the visitor's cookie as a
  render would. A render that read a real token anyway (`get_token` called by a view or a
  tag) or wrote to the session is served, never stored;
* the session, the user and messages: a request carrying the session cookie or the
  messages cookie is never answered from the cache nor stored in it;
* a query string the page does not read: not cached, so that invented parameters cannot
  fill the cache.

Revalidation: `ETag` (weak: the bytes differ by the CSRF token) from the same key and the
visitor's CSRF secret (a 304 keeps the browser's copy, token included, so it must still be
the visitor's), and `Last-Modified` from the stamp's moment (not before today's start, since
the day is in the key). `If-None-Match`/`If-Modified-Since` answer 304 before any rendering
or cache read. `Cache-Control: no-cache`: browsers keep the page but ask before showing it.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csrf import get_token
from django.test.signals import setting_changed
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

# Stands for the CSRF token in a cached copy. Letters and digits only, so HTML escaping
# leaves it as it is; the same in every process, since they share the cache.
CSRF_PLACEHOLDER = "rgpagecachecsrfplaceholder7c1e"
_CSRF_PLACEHOLDER_BYTES = CSRF_PLACEHOLDER.encode()
# Set on the request while a cacheable copy renders (read by csrf_placeholder).
RENDERING_FOR_CACHE = "page_cache_rendering"
# django.contrib.messages' CookieStorage.cookie_name.
MESSAGES_COOKIE = "messages"
# Tells tests and operators whether the answer came from the cache ("hit"), was rendered and
# stored ("miss"), or rendered for this visitor only ("bypass": not anonymous, or not storable).
STATUS_HEADER = "X-Page-Cache"
# Trees whose content the pages' HTML comes from: a deployment that changes them starts
# new keys (the release), so no page from the previous code is served after it. Stylesheets
# and scripts too: a page links them by a name hashed from their content (core.static_storage),
# and a copy kept from before a deployment would link a file the new servers no longer have.
_RELEASE_TREES = ("templates", "locale", "static")
_RELEASE_SUFFIXES = (".py", ".html", ".mo", ".css", ".js")
_SECRET_NAMES = re.compile("SECRET|PASSWORD|KEY|TOKEN|CREDENTIAL")


logger = logging.getLogger(__name__)


def cache_read(key: str) -> Any:
    """The cached value, or None when there is none or the cache cannot be reached: a copy
    is only a shortcut, so an outage of Redis renders pages instead of failing them
    (docs/reliability.md)."""
    try:
        return cache.get(key)
    except Exception:  # any backend's failure: redis-py's, the database's
        logger.warning("cache read failed; rendering instead", exc_info=True)
        return None


def cache_write(key: str, value: Any) -> None:
    """Keep a copy for PAGE_CACHE_SECONDS; a cache that cannot be reached keeps nothing."""
    try:
        cache.set(key, value, settings.PAGE_CACHE_SECONDS)
    except Exception:  # as cache_read
        logger.warning("cache write failed; the page is served uncached", exc_info=True)


@dataclass(frozen=True)
class PageStamp:
    """What a page's data is at: `key` changes with every change the page shows, and
    `changed_at` is when it last did (Last-Modified)."""

    key: str
    changed_at: datetime


def csrf_placeholder(request: HttpRequest) -> dict[str, Any]:
    """Context processor: while a copy for the cache renders, `{% csrf_token %}` writes the
    placeholder instead of reading (and thereby creating) the visitor's token."""
    if getattr(request, RENDERING_FOR_CACHE, False):
        return {"csrf_token": CSRF_PLACEHOLDER}
    return {}


@functools.cache
def _code_digest() -> str:
    """A digest of the code, templates and translations (read once per process)."""
    base = Path(settings.BASE_DIR)
    digest = hashlib.sha256()
    roots = {base / tree for tree in _RELEASE_TREES}
    roots |= {base / app.split(".")[0] for app in settings.INSTALLED_APPS if (base / app.split(".")[0]).is_dir()}
    for root in sorted(roots):
        for path in sorted(root.rglob("*")):
            if path.suffix in _RELEASE_SUFFIXES and path.is_file():
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _plain(value: object) -> bool:
    """A setting whose repr is the same in every process (no object addresses)."""
    if value is None or isinstance(value, str | int | float | bool | Decimal):
        return True
    if isinstance(value, list | tuple | frozenset | set):
        return all(_plain(item) for item in value)
    if isinstance(value, dict):
        return all(_plain(key) and _plain(item) for key, item in value.items())
    return False


@functools.cache
def _settings_digest() -> str:
    """A digest of the settings (pages read many: NPS_PUBLIC, the gate's policy, SITE_URL),
    secrets left out; recomputed when a test changes one (setting_changed)."""
    names = sorted(name for name in dir(settings) if name.isupper() and not _SECRET_NAMES.search(name))
    text = repr([(name, value) for name in names if _plain(value := getattr(settings, name))])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def code_release() -> str:
    """The code's release (PAGE_CACHE_RELEASE, else a digest of the code) and the settings'
    digest: part of every key."""
    return f"{settings.PAGE_CACHE_RELEASE or _code_digest()}.{_settings_digest()}"


@receiver(setting_changed)
def _settings_changed(**kwargs: Any) -> None:
    _settings_digest.cache_clear()


_NOT_STORED = "_page_cache_not_stored"


def page_cache_not_stored(request: HttpRequest) -> None:
    """This request's answer is served but not stored: the view says it is not the canonical
    address of its page (a search, a refused filter, a page number other than the page shown,
    a repeated parameter), so that nobody fills the shared cache with variants of one page."""
    setattr(request, _NOT_STORED, True)


def may_be_served_from_cache(request: HttpRequest, *, query_keys: Collection[str]) -> bool:
    """Anonymous for certain (no session, so no user and no session messages), no messages
    cookie, a read, and only query parameters the page reads."""
    if settings.PAGE_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or MESSAGES_COOKIE in cookies:
        return False
    return all(key in query_keys for key in request.GET)


def _page_key(request: HttpRequest, view_name: str, stamp: PageStamp, today: date) -> str:
    parts = (
        view_name,
        stamp.key,
        translation.get_language() or "",
        today.isoformat(),
        request.scheme or "",
        request.get_host(),
        request.get_full_path(),
        code_release(),
    )
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _etag(page_key: str, request: HttpRequest) -> str:
    # The visitor's CSRF secret (CsrfViewMiddleware put it there from the cookie, or
    # get_token made it): a 304 must never keep a copy whose token is not theirs.
    secret = str(request.META.get("CSRF_COOKIE", ""))
    return 'W/"' + hashlib.sha256(f"{page_key}:{secret}".encode()).hexdigest()[:32] + '"'


def _last_modified(stamp: PageStamp, today: date) -> int:
    start_of_today = timezone.make_aware(datetime.combine(today, time.min))
    return int(max(stamp.changed_at, start_of_today).timestamp())


def _validators_set(response: HttpResponseBase, *, etag: str, last_modified: int) -> None:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, no_cache=True)
    # The answer depends on the cookies (signed in or not, the language cookie).
    patch_vary_headers(response, ("Cookie",))


def _with_visitor_token(request: HttpRequest, content: bytes) -> bytes:
    """The visitor's own CSRF token in place of the placeholder (get_token also makes the
    CSRF middleware set the visitor's cookie, as a render would)."""
    if _CSRF_PLACEHOLDER_BYTES not in content:
        return content
    return content.replace(_CSRF_PLACEHOLDER_BYTES, get_token(request).encode())


def _render_for_cache(
    view: Callable[..., HttpResponseBase], request: HttpRequest, *args: Any, **kwargs: Any
) -> tuple[HttpResponseBase, bool]:
    """The view's answer rendered with the placeholder (the visitor's token already put in
    its place), and whether the rendered copy may be shared."""
    setattr(request, RENDERING_FOR_CACHE, True)
    try:
        response = view(request, *args, **kwargs)
        if callable(getattr(response, "render", None)):  # a TemplateResponse
            response = response.render()  # type: ignore[attr-defined]
    finally:
        setattr(request, RENDERING_FOR_CACHE, False)
    if not isinstance(response, HttpResponse) or response.streaming:
        return response, False
    # Read before the visitor's token goes in: a token read while rendering (get_token from
    # a view or a tag, or a cookie the middleware had to replace) would be in the copy.
    token_read = bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))
    session = getattr(request, "session", None)
    shareable = (
        response.status_code == 200
        and not getattr(request, _NOT_STORED, False)
        and not response.cookies
        and not token_read
        and not (session is not None and session.modified)
    )
    return response, shareable


def page_cached(
    *, stamp: Callable[..., PageStamp | None], query_keys: Collection[str] = ()
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """Serve the view's anonymous answers from the cache, keyed by `stamp(request, *args,
    **kwargs)` (None: the view answers, e.g. its 404), with ETag/Last-Modified and 304s.
    `query_keys`: the query parameters the page reads (any other: not cached)."""
    allowed = frozenset(query_keys)

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        view_name = f"{view.__module__}.{view.__qualname__}"

        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not may_be_served_from_cache(request, query_keys=allowed):
                return view(request, *args, **kwargs)
            page_stamp = stamp(request, *args, **kwargs)
            if page_stamp is None:
                return view(request, *args, **kwargs)
            today = timezone.localdate()  # once: the key and Last-Modified must agree on it
            key = _page_key(request, view_name, page_stamp, today)
            last_modified = _last_modified(page_stamp, today)
            etag = _etag(key, request)
            not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
            if not_modified is not None:
                _validators_set(not_modified, etag=etag, last_modified=last_modified)
                return not_modified
            return _answer(view, request, key, last_modified, *args, **kwargs)

        return wrapped

    return decorator


def _answer(
    view: Callable[..., HttpResponseBase],
    request: HttpRequest,
    key: str,
    last_modified: int,
    *args: Any,
    **kwargs: Any,
) -> HttpResponseBase:
    cache_key = f"page:{key}"
    stored = cache_read(cache_key)
    if stored is None:
        response, shareable = _render_for_cache(view, request, *args, **kwargs)
        if not isinstance(response, HttpResponse) or response.streaming:
            return response
        content = response.content
        if shareable:
            cache_write(cache_key, (content, response["Content-Type"]))
        response.content = _with_visitor_token(request, content)
        if response.status_code != 200:
            return response  # an error page or a redirect, as the view made it
        response[STATUS_HEADER] = "miss" if shareable else "bypass"
    else:
        content, content_type = stored
        response = HttpResponse(_with_visitor_token(request, content), content_type=content_type)
        response[STATUS_HEADER] = "hit"
    _validators_set(response, etag=_etag(key, request), last_modified=last_modified)
    return response
