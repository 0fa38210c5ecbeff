"""Serving a stored file (Django's storage API) from a view that decided who may see it.

On the file system the view streams the file itself; on object storage (S3) it redirects
to the storage's URL, which is signed and short-lived when the bucket is private
(settings: querystring_auth), so the file's address alone never opens it for long.
"""

from __future__ import annotations

import mimetypes

from django.core.files.storage import FileSystemStorage, Storage
from django.http import FileResponse, Http404, HttpResponseBase, HttpResponseRedirect
from django.utils.cache import patch_cache_control

# Public files may be kept by browsers and proxies: a product image for a day (it changes
# only in the admin); a published review's photo 5 minutes, then asked again
# (must-revalidate), so a photo whose review a moderator removes stops being served within
# minutes. A file shown only to its author or moderators is never kept by a shared cache.
PUBLIC_MAX_AGE = 86_400
MODERATED_MAX_AGE = 300


def stored_file_response(
    storage: Storage,
    name: str,
    *,
    public: bool,
    max_age: int = PUBLIC_MAX_AGE,
    must_revalidate: bool = False,
    content_type: str | None = None,
) -> HttpResponseBase:
    """``content_type``: what the file holds, when the caller read it (else from the name)."""
    if not name:
        raise Http404
    if isinstance(storage, FileSystemStorage):
        try:
            stream = storage.open(name, "rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        content_type = content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
        response: HttpResponseBase = FileResponse(stream, content_type=content_type)
    else:
        response = HttpResponseRedirect(storage.url(name))
    if public and not isinstance(response, HttpResponseRedirect):
        if must_revalidate:
            patch_cache_control(response, public=True, max_age=max_age, must_revalidate=True)
        else:
            patch_cache_control(response, public=True, max_age=max_age)
    else:
        # A redirect to a signed URL is valid minutes only: never cached.
        patch_cache_control(response, private=True, no_cache=True, max_age=0)
    return response
