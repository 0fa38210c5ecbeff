"""Creating, revoking and checking API keys."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from apikeys.models import ApiKey, ApiKeyScope, scopes_normalised, scopes_problem
from core.errors import ValidationFailed

KEY_PREFIX = "rg_"
# Writing last_used_at on every request would turn each read into a write; once a minute
# is precise enough for "is this key still in use?".
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class CreatedKey:
    api_key: ApiKey
    # The full key, to show once; only its hash is stored.
    plaintext: str


def _hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_key_create(*, name: str, owner: User, scopes: Iterable[str] = (ApiKeyScope.READ,)) -> CreatedKey:
    """A new key holding ``scopes`` (ApiKeyScope values; duplicates are dropped); by
    default a read-only key."""
    name = name.strip()
    if not name:
        raise ValidationFailed(_("Give the key a name."), fields={"name": _("Required.")})
    # A bare string is a mistake (its letters are no scopes): say so rather than guess.
    chosen = [] if isinstance(scopes, str) else list(scopes)
    if (problem := scopes_problem(chosen)) is not None:
        raise ValidationFailed(_("Choose the key's scopes."), fields={"scopes": problem})
    while True:
        # Lower-case letters and digits only, so the key survives copy-paste and URLs.
        prefix = secrets.token_hex(4)
        if not ApiKey.objects.filter(prefix=prefix).exists():
            break
    secret = secrets.token_urlsafe(32)
    api_key = ApiKey.objects.create(
        name=name,
        prefix=prefix,
        hashed_secret=_hash_secret(secret),
        scopes=scopes_normalised(chosen),
        owner=owner,
    )
    return CreatedKey(api_key=api_key, plaintext=f"{KEY_PREFIX}{prefix}_{secret}")


@transaction.atomic
def api_key_revoke(*, api_key: ApiKey, now: datetime | None = None) -> ApiKey:
    """Revokes at once and for good; revoking twice keeps the first date."""
    ApiKey.objects.filter(pk=api_key.pk, revoked_at__isnull=True).update(revoked_at=now or timezone.now())
    api_key.refresh_from_db(fields=["revoked_at"])
    return api_key


def api_key_check(*, plaintext: str) -> ApiKey | None:
    """The stored key matching `plaintext` (revoked ones included), or None."""
    if not plaintext.startswith(KEY_PREFIX):
        return None
    prefix, sep, secret = plaintext[len(KEY_PREFIX) :].partition("_")
    if not sep or not prefix or not secret or len(prefix) > 16:
        return None
    api_key = ApiKey.objects.select_related("owner").filter(prefix=prefix).first()
    if api_key is None or not hmac.compare_digest(api_key.hashed_secret, _hash_secret(secret)):
        return None
    return api_key


def api_key_touch(*, api_key: ApiKey, now: datetime | None = None) -> None:
    now = now or timezone.now()
    if api_key.last_used_at is None or now - api_key.last_used_at >= LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        api_key.last_used_at = now
