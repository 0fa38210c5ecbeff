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
from products.api.selectors import ratings_feed_settled_before
from products.page_version import catalogue_figures_stamp, product_page_version


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
_NOT_STAMPED = object()


class CatalogueCachedListMixin:
    """`list` from the cache, keyed by the catalogue's figures stamp at the view's `now`
    (`catalogue_figures_stamp`: one aggregate over the products, never older than the last
    change), the address with its query string, the language, the scheme and host (the
    `next` and `previous` links are absolute) and the code's release. The feed is public
    data, the same for every caller; authentication and throttles run first. The ETag stays
    core.api_http's, from the data; `feed_last_modified` is the stamp's latest settled row
    (the view's Last-Modified), read by the same query."""

    now: datetime
    feed_last_modified: Any = _NOT_STAMPED

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        params = request.query_params
        storable = settings.PAGE_CACHE_SECONDS > 0 and all(
            key in FEED_QUERY_KEYS and len(params.getlist(key)) == 1 for key in params
        )
        if not storable:
            return super().list(request, *args, **kwargs)  # type: ignore[misc,no-any-return]
        stamp = catalogue_figures_stamp(settled_before=ratings_feed_settled_before(self.now))
        self.feed_last_modified = stamp.settled_updated_at
        language = translation.get_language() or ""
        parts = (stamp.key, language, request.scheme or "", request.get_host(), request.get_full_path(), code_release())
        key = "api:ratings:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
        stored = cache_read(key)
        if stored is not None:
            return Response(stored)
        response: Response = super().list(request, *args, **kwargs)  # type: ignore[misc]
        if response.status_code == 200:
            cache_write(key, response.data)
        return response

    def feed_stamped(self) -> bool:
        return self.feed_last_modified is not _NOT_STAMPED
