"""A product's API answer from the cache, keyed by its page version (products.page_version).

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
