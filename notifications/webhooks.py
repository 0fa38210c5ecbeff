"""Webhook endpoints (registered and revoked by quality directors) and their signatures.

What an endpoint may subscribe to is WEBHOOK_EVENT_KINDS (notifications.models); what it
receives is the body the app that owes it built (see notifications.outbox).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from collections.abc import Sequence
from datetime import datetime
from urllib.parse import urlsplit

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.roles import user_is_quality_director
from core.errors import NotAllowed, ValidationFailed
from notifications.models import WEBHOOK_EVENT_KINDS, WebhookEndpoint

__all__ = [
    "DESCRIPTION_MAX_LENGTH",
    "URL_MAX_LENGTH",
    "WEBHOOK_URL_NOT_URI",
    "WEBHOOK_URL_PATTERN",
    "webhook_endpoint_create",
    "webhook_endpoint_errors",
    "webhook_endpoint_revoke",
    "webhook_signature",
    "webhook_signature_verify",
    "webhook_url_is_uri",
]

# Read from the model, their one definition (the API's serializer uses them too).
URL_MAX_LENGTH: int = WebhookEndpoint._meta.get_field("url").max_length  # type: ignore[assignment]
DESCRIPTION_MAX_LENGTH: int = WebhookEndpoint._meta.get_field("description").max_length  # type: ignore[assignment]


_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38}[A-Za-z0-9])?"
# RFC 3986's characters of a path, query or fragment (unreserved, sub-delims, ":", "@", and
# "%" with two hex digits): never a space, a control character or raw non-ASCII text.
_PCHAR = r"(?:[A-Za-z0-9._~!$&'()*+,;=:@-]|%[0-9A-Fa-f]{2})"
# What a receiver's address may be, stated once for the API's schema and for the check below
# (the API, the admin and the desk all register through webhook_endpoint_errors):
# http(s), then localhost, an IPv4 address, or a name of at most six labels of at most 40
# characters (at most 245 in all: DNS allows 253) that neither start nor end with "-";
# a port; a path, query and fragment written as a URI. Django's URLValidator alone also took
# control characters and raw non-ASCII paths, stored and then served back as no URI.
WEBHOOK_URL_PATTERN = (
    rf"^https?://(?:localhost|{_OCTET}(?:\.{_OCTET}){{3}}|(?:{_LABEL}\.){{1,5}}[A-Za-z]{{2,40}})"
    rf"(?::[0-9]{{1,5}})?(?:/(?:{_PCHAR}|/)*)?(?:\?(?:{_PCHAR}|[/?])*)?(?:#(?:{_PCHAR}|[/?])*)?$"
)
_WEBHOOK_URL = re.compile(WEBHOOK_URL_PATTERN.removesuffix("$"))
WEBHOOK_URL_NOT_URI = gettext_lazy(
    "Enter a full http:// or https:// address, written as a URI (spaces and symbols percent-encoded)."
)


def webhook_url_is_uri(url: str) -> bool:
    return _WEBHOOK_URL.fullmatch(url) is not None


def webhook_signature(secret: str, timestamp: int | str, body: bytes | str) -> str:
    """The ``Reviewgate-Signature`` value: ``sha256=`` + hex HMAC-SHA256 of ``"<timestamp>.<body>"``."""
    raw = body.encode() if isinstance(body, str) else body
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + raw, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def webhook_signature_verify(
    secret: str,
    *,
    timestamp: str,
    body: bytes,
    signature: str,
    tolerance_seconds: int = 300,
    now: float | None = None,
) -> bool:
    """The receiver's check: the signature matches (in constant time) and the signed
    timestamp is within ``tolerance_seconds`` of the clock, so a captured delivery cannot
    be replayed later."""
    try:
        sent_at = int(timestamp)
    except (TypeError, ValueError):
        return False
    current = time.time() if now is None else now
    if abs(current - sent_at) > tolerance_seconds:
        return False
    return hmac.compare_digest(webhook_signature(secret, sent_at, body), signature)


def webhook_endpoint_errors(*, url: str, events: Sequence[str], description: str = "") -> dict[str, str]:
    """What is wrong with an endpoint's fields, by field name (empty when nothing is).

    Shared by the service, the admin form and the API, so all three say the same thing.
    """
    errors: dict[str, str] = {}
    url = (url or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        errors["url"] = _("Enter a full http:// or https:// address.")
    else:
        if len(url) > URL_MAX_LENGTH:
            errors["url"] = _("The address can be at most %(max)d characters long.") % {"max": URL_MAX_LENGTH}
        elif not webhook_url_is_uri(url):
            errors["url"] = str(WEBHOOK_URL_NOT_URI)
        elif urlsplit(url).username or urlsplit(url).password:
            errors["url"] = _("Do not put credentials in the address; deliveries are signed instead.")
    chosen = list(dict.fromkeys(events or []))
    unknown = [e for e in chosen if e not in WEBHOOK_EVENT_KINDS]
    if not chosen:
        errors["events"] = _("Choose at least one event.")
    elif unknown:
        errors["events"] = _("Unknown events: %(unknown)s. Choose from %(known)s.") % {
            "unknown": ", ".join(map(str, unknown)),
            "known": ", ".join(WEBHOOK_EVENT_KINDS),
        }
    if len(description or "") > DESCRIPTION_MAX_LENGTH:
        errors["description"] = _("The description can be at most %(max)d characters long.") % {
            "max": DESCRIPTION_MAX_LENGTH
        }
    return errors


def webhook_endpoint_create(
    *, url: str, events: Sequence[str], by: User | AnonymousUser, description: str = ""
) -> tuple[WebhookEndpoint, str]:
    """Register an endpoint (quality directors only). Returns it with its signing secret,
    which the caller shows once."""
    if not isinstance(by, User) or not user_is_quality_director(by):
        raise NotAllowed(_("Only quality directors can register webhook endpoints."))
    errors = webhook_endpoint_errors(url=url, events=events, description=description)
    if errors:
        raise ValidationFailed(_("The webhook endpoint could not be registered."), fields=errors)
    secret = "whsec_" + secrets.token_urlsafe(32)
    endpoint = WebhookEndpoint.objects.create(
        url=url.strip(),
        secret=secret,
        events=[e for e in WEBHOOK_EVENT_KINDS if e in events],
        description=description.strip(),
        created_by=by,
    )
    return endpoint, secret


def webhook_endpoint_revoke(
    *, endpoint: WebhookEndpoint, by: User | AnonymousUser, now: datetime | None = None
) -> WebhookEndpoint:
    """Stop deliveries to an endpoint (pending ones are given up when their turn comes)."""
    if not user_is_quality_director(by):
        raise NotAllowed(_("Only quality directors can revoke webhook endpoints."))
    WebhookEndpoint.objects.filter(pk=endpoint.pk, revoked_at__isnull=True).update(
        active=False, revoked_at=now or timezone.now()
    )
    endpoint.refresh_from_db()
    return endpoint
