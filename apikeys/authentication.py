"""`Authorization: Api-Key rg_…` for integrators; the site's session works beside it."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from accounts.models import User
from apikeys.models import ApiKey
from apikeys.services import api_key_check, api_key_touch

KEYWORD = "Api-Key"


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """Authenticates as the key's owner; `request.auth` is the ApiKey (its scopes are checked
    by apikeys.permissions)."""

    def authenticate(self, request: Request) -> tuple[User, ApiKey] | None:
        header = authentication.get_authorization_header(request)
        if not header:
            return None
        parts = header.split()
        if not parts or parts[0].decode("latin-1").lower() != KEYWORD.lower():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Send the key as “Authorization: Api-Key <key>”."))
        try:
            plaintext = parts[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("This API key is not valid.")) from exc
        api_key = api_key_check(plaintext=plaintext)
        if api_key is None:
            raise exceptions.AuthenticationFailed(_("This API key is not valid."))
        if not api_key.is_active:
            raise exceptions.AuthenticationFailed(_("This API key was revoked."))
        if not api_key.owner.is_active:
            raise exceptions.AuthenticationFailed(_("The owner of this API key is no longer active."))
        api_key_touch(api_key=api_key)
        return api_key.owner, api_key

    def authenticate_header(self, request: Request) -> str:
        # Makes DRF answer 401 (with WWW-Authenticate), not 403, to a caller without credentials.
        return f'{KEYWORD} realm="api"'
