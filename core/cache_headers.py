"""Signed-in answers are never kept by a shared cache.

A page, a desk screen or an API answer rendered for a signed-in user (session or API key)
holds what only that user may see: a proxy or CDN that kept it could serve it to the next
visitor. Every such response gets `Cache-Control: private` (directives already set, such
as `no-store` or `no-cache`, are kept; `public` is dropped) and `Vary: Cookie`.

Anonymous answers are left exactly as their views made them, so public pages keep their
caching: the user is only looked at when the request could be signed in (it carries the
session cookie, or authentication already ran and replaced the lazy user).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.functional import SimpleLazyObject


def request_is_signed_in(request: HttpRequest) -> bool:
    """Whether the response to this request was rendered for an authenticated user.

    Evaluating the lazy user reads the session, which marks the response `Vary: Cookie`;
    without a session cookie no session can sign anyone in, so it is not evaluated then.
    An API key's authentication (DRF) replaces the lazy object with the key's owner.
    """
    user = getattr(request, "user", None)
    if user is None:
        return False
    if isinstance(user, SimpleLazyObject) and settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    return bool(user.is_authenticated)


class PrivateCacheForSignedInMiddleware:
    """Adds `Cache-Control: private` and `Vary: Cookie` to every signed-in response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if request_is_signed_in(request):
            # patch_cache_control keeps no-store/no-cache/max-age and removes `public`.
            patch_cache_control(response, private=True)
            patch_vary_headers(response, ("Cookie",))
        return response
