"""Request body limits, checked before anything reads the body.

Every route states its limit (docs/api.md, "Request size"):

- ``/api/``: API_JSON_BODY_MAX_BYTES (1 MiB), refused with the API's JSON error;
- every other page (the site's forms, the desk, the admin): SITE_FORM_BODY_MAX_BYTES
  (1 MiB: an imported review edited on the site may hold 50,000 characters, which a
  browser sends percent-encoded in up to 12 bytes each, about 600 KB), refused with the
  site's "too large" page;
- a multipart body to the routes that take files (UPLOAD_BODY_PATHS: a review with
  photos, 51 MiB, reviews.photo_rules; the product admin's images): UPLOAD_BODY_MAX_BYTES.

The limit plus one byte is a 413. The declared ``Content-Length`` is checked first, so a
50 MB body is refused without reading a byte of it; a body without one (a chunked upload
passed on by an ASGI server) is counted as it is read and refused at the limit plus one.
Without this, Django read up to DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) and answered a larger
body with its own HTML "RequestDataTooBig" 400, even on the JSON API.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.api_errors import error_body
from core.local_formats import number_text

API_PREFIX = "/api/"
DEFAULT_BODY_MAX_BYTES = 1024 * 1024
_CONTENT_LENGTH = re.compile(r"[0-9]{1,20}", re.ASCII)


@dataclass(frozen=True)
class BodyLimit:
    max_bytes: int
    is_api: bool


def _takes_uploads(path: str, content_type: str) -> bool:
    """A multipart body to a route that accepts files (settings.UPLOAD_BODY_PATHS: a review
    with photos, the product admin's images) has its own, larger limit, UPLOAD_BODY_MAX_BYTES;
    any other body to those routes (JSON) keeps the route's usual limit."""
    if not content_type.lower().startswith("multipart/form-data"):
        return False
    return any(re.search(pattern, path) for pattern in getattr(settings, "UPLOAD_BODY_PATHS", ()))


def body_limit_for(path: str, content_type: str = "") -> BodyLimit:
    if _takes_uploads(path, content_type):
        upload_max = getattr(settings, "UPLOAD_BODY_MAX_BYTES", DEFAULT_BODY_MAX_BYTES)
        return BodyLimit(upload_max, is_api=path.startswith(API_PREFIX))
    if path.startswith(API_PREFIX):
        return BodyLimit(getattr(settings, "API_JSON_BODY_MAX_BYTES", DEFAULT_BODY_MAX_BYTES), is_api=True)
    return BodyLimit(getattr(settings, "SITE_FORM_BODY_MAX_BYTES", DEFAULT_BODY_MAX_BYTES), is_api=False)


def body_too_large_response(request: HttpRequest, limit: BodyLimit) -> HttpResponse:
    kilobytes = limit.max_bytes // 1024
    # Grouped as the site writes numbers ("52 224" in French, "52,224" in English).
    message = _("The request body is larger than this endpoint accepts: at most %(kb)s KB.") % {
        "kb": number_text(kilobytes)
    }
    if limit.is_api:
        response: HttpResponse = JsonResponse(error_body("request_too_large", message), status=413)
    else:
        response = render(request, "413.html", {"max_kilobytes": kilobytes}, status=413)
    # No "Connection: close": WSGI forbids an application hop-by-hop headers (wsgiref
    # answered 500 instead). The server deals with the unread body: Django's runserver and
    # gunicorn read and discard it before the next request on the connection.
    return response


def bad_content_length_response(request: HttpRequest, limit: BodyLimit) -> HttpResponse:
    message = _("The Content-Length header is not a number of bytes.")
    if limit.is_api:
        return JsonResponse(error_body("invalid_content_length", message), status=400)
    return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")


class BodyTooLarge(OSError):
    """Raised by a counted stream past its limit; the middleware answers 413."""


class _CountingStream:
    """Wraps a body stream without a declared length; refuses to read past ``limit``."""

    def __init__(self, stream: IO[bytes], limit: int, request: HttpRequest) -> None:
        self._stream = stream
        self._left = limit + 1
        self._request = request

    def _counted(self, chunk: bytes) -> bytes:
        self._left -= len(chunk)
        if self._left <= 0:
            self._request.body_limit_exceeded = True  # type: ignore[attr-defined]
            raise BodyTooLarge("request body over its limit")
        return chunk

    def read(self, size: int = -1) -> bytes:
        wanted = self._left if size is None or size < 0 else min(size, self._left)
        return self._counted(self._stream.read(wanted))

    def readline(self, size: int = -1) -> bytes:
        wanted = self._left if size is None or size < 0 else min(size, self._left)
        return self._counted(self._stream.readline(wanted))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class RequestBodyLimitMiddleware:
    """Refuses over-large bodies with 413 in the endpoint's own error shape."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = body_limit_for(request.path_info, request.META.get("CONTENT_TYPE") or "")
        declared = request.META.get("CONTENT_LENGTH") or ""
        if declared:
            if not _CONTENT_LENGTH.fullmatch(declared):
                return bad_content_length_response(request, limit)
            if int(declared) > limit.max_bytes:
                return body_too_large_response(request, limit)
        elif hasattr(request, "_stream"):
            # No declared length: WSGI gives Django no body at all then; ASGI servers pass
            # chunked bodies on, and those are counted as they are read. Django keeps the
            # body in the private `_stream`; there is no public hook for wrapping it.
            request._stream = _CountingStream(request._stream, limit.max_bytes, request)  # type: ignore[assignment]
        try:
            response = self.get_response(request)
        except OSError:  # BodyTooLarge, or Django's UnreadablePostError wrapping it
            if not getattr(request, "body_limit_exceeded", False):
                raise
            return body_too_large_response(request, limit)
        # Inside Django's stack the exception became a 400 or 500 answer on its way here.
        if getattr(request, "body_limit_exceeded", False):
            return body_too_large_response(request, limit)
        return response
