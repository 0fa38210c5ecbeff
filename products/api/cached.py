"""A product's API answer and the ratings feed from the cache, keyed by the page version of
the product, or of the whole catalogue for the feed (products.page_version).

The figures the API shows change only with the changes that raise the version, so the
serialized product is kept under (version, language, scheme and host: image URLs are
absolute, the code's release) and served without a query beyond the version's. Answers do
not depend on who asks (public data), so authenticated callers share them; throttles and
authentication still run first. ETag and 304 stay core.api_http's, from the data.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils import translation
from rest_framework.request import Request
from rest_framework.response import Response

from core.page_cache import cache_read, cache_write, code_release
from products.page_version import product_page_version


class VersionCachedRetrieveMixin:
    """`retrieve` from the cache; `cached_updated_at` is the product's updated_at then
    (the view's Last-Modified), None when the answer was rendered."""

    cached_updated_at: datetime | None = None

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        lookup = str(getattr(self, "lookup_url_kwarg", None) or getattr(self, "lookup_field", "pk"))
        version = product_page_version(sku=kwargs[lookup]) if settings.PAGE_CACHE_SECONDS > 0 else None
        if version is None:
            return super().retrieve(request, *args, **kwargs)  # type: ignore[misc,no-any-return]
        language = translation.get_language() or ""
        parts = (version.key, language, request.scheme or "", request.get_host(), code_release())
        key = "api:product:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
        stored = cache_read(key)
        if stored is not None:
            data, self.cached_updated_at = stored
            return Response(data)
        response: Response = super().retrieve(request, *args, **kwargs)  # type: ignore[misc]
        if response.status_code == 200:
            obj = getattr(self, "_object", None)
            cache_write(key, (dict(response.data), getattr(obj, "updated_at", None)))
        return response


# The feed's parameters. A request with any other is answered but not stored, so invented
# parameters cannot fill the shared cache with copies of one page.
FEED_QUERY_KEYS = frozenset({"cursor", "page_size", "updated_since"})
# What a served row of a list is at: every change a service makes to what the row shows
# raises its page version, and any save (the shell's too) moves its updated_at.
_ROW_STAMP_FIELDS = ("pk", "page_version", "updated_at")


class PageRowsCachedListMixin:
    """`list` (the ratings feed) from the cache, keyed by the rows of the page asked for:
    the same filters and keyset pagination run on a narrow query (id, page version,
    updated_at; the page's size from the index, whatever the catalogue's), and the copy of
    the page is found under those rows, whether a next page exists, the address with its
    query string, the language, the scheme and host (the links are absolute) and the code's
    release. A change to any row served raises its version or moves it, a row that settles
    or arrives enters the narrow query, and one that leaves drops out of it: the key is
    new exactly when the page is. The feed is public data, the same for every caller;
    authentication and throttles run first; the ETag stays core.api_http's, from the data.

    Not a catalogue-wide version: the largest page version, or the latest page_changed_at,
    does not move when a transaction that took its moment before another commits after it;
    a sum of every version costs a scan of the products on each request; a single counter
    row would make every review post in the shop wait for the one before it."""

    pagination_class: Any
    # The view's Last-Modified, when its expression (`list_last_modified_expression`) was
    # read by the key's query: one round trip to the database on a hit, not two.
    list_last_modified: datetime | None = None
    list_last_modified_read = False

    def list_last_modified_expression(self) -> Any:
        """An expression (a subquery) of the list's Last-Modified, read with the key's rows;
        None: the view reads it itself."""
        return None

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        params = request.query_params
        storable = settings.PAGE_CACHE_SECONDS > 0 and all(
            key in FEED_QUERY_KEYS and len(params.getlist(key)) == 1 for key in params
        )
        if not storable:
            return super().list(request, *args, **kwargs)  # type: ignore[misc,no-any-return]
        key = "api:list:" + self._page_rows_key(request)
        stored = cache_read(key)
        if stored is not None:
            return Response(stored)
        response: Response = super().list(request, *args, **kwargs)  # type: ignore[misc]
        if response.status_code == 200:
            cache_write(key, response.data)
        return response

    def _page_rows_key(self, request: Request) -> str:
        # Tuples, not model instances: a hundred deferred instances cost more than the query.
        queryset = self.filter_queryset(self.get_queryset())  # type: ignore[attr-defined]
        latest = self.list_last_modified_expression()
        if latest is not None:
            queryset = queryset.annotate(list_latest=latest)
        fields = (*_ROW_STAMP_FIELDS, "list_latest") if latest is not None else _ROW_STAMP_FIELDS
        probe = self.pagination_class()
        rows = probe.paginate_queryset(queryset.values_list(*fields), request, view=self)
        if latest is not None and rows:  # an empty page: the view reads it
            self.list_last_modified, self.list_last_modified_read = rows[0][3], True
        digest = hashlib.sha256()
        for pk, version, updated_at, *_latest in rows:
            digest.update(f"{pk}.{version}.{updated_at.timestamp():.6f};".encode())
        parts = (
            digest.hexdigest(),
            str(bool(probe.has_next)),
            translation.get_language() or "",
            request.scheme or "",
            request.get_host(),
            request.get_full_path(),
            code_release(),
        )
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
