"""`Authorization: Api-Key rg_…` for integrators; the site's session works beside it.

Any other scheme but a front server's (Basic, Digest, Negotiate, NTLM) is a 401 naming the one expected, with
`WWW-Authenticate: Api-Key realm="api"`.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from accounts.models import User
from apikeys.models import ApiKey
from apikeys.services import api_key_check, api_key_touch

KEYWORD = "Api-Key"
# The schemes of a server in front (a staging site behind a password, a company's single
# sign-on): the browser then sends them with every request, the site's own API calls
# included, so they are not refused here.
SCHEMES_LEFT_TO_OTHERS = frozenset({"basic", "digest", "negotiate", "ntlm"})

# Schemes other APIs take, named back to the caller. Anything else is not repeated: a key
# pasted without its scheme would otherwise come back (and be logged) in the answer.
_SCHEMES_NAMED_BACK = {"bearer": "Bearer", "token": "Token", "jwt": "JWT"}


def _wrong_scheme_message(scheme: str) -> str:
    named = _SCHEMES_NAMED_BACK.get(scheme.lower())
    if named is None:
        return _("This API authenticates with the Api-Key scheme: send “Authorization: Api-Key <key>”.")
    return _("This API does not accept the %(scheme)s scheme: send the key as “Authorization: Api-Key <key>”.") % {
        "scheme": named
    }


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """Authenticates as the key's owner; `request.auth` is the ApiKey (its scopes are checked
    by apikeys.permissions)."""

    def authenticate(self, request: Request) -> tuple[User, ApiKey] | None:
        header = authentication.get_authorization_header(request)
        if not header:
            return None
        parts = header.split()
        if not parts:
            return None
        scheme = parts[0].decode("latin-1")
        if scheme.lower() in SCHEMES_LEFT_TO_OTHERS:
            return None
        if scheme.lower() != KEYWORD.lower():
            # `Bearer <key>` (what most APIs take) used to pass as an anonymous request: a
            # public read answered as if the key were accepted, a write "not authenticated".
            # Say which scheme this API expects instead.
            raise exceptions.AuthenticationFailed(_wrong_scheme_message(scheme))
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
