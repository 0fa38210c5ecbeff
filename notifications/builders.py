"""Emails completed by the worker as it sends: the hook for what must not wait in the outbox.

Most emails are fully described when they are written: their template and context sit in
the payload. Some are not, on purpose: a link that sets a password or confirms an address
is a credential, and the outbox keeps payloads in the database and shows them in the
admin. Such a row names a builder instead (payload key ``email_builder``); at delivery the
worker calls it with the recipient as it is then, and the builder returns what the
template needs (the fresh link) or None when there is nothing to send any more (an
address already confirmed, a reset asked for an address no account uses). A row naming a
builder may have no recipient: it is the twin a request writes when the address it was
given is unknown, so that the request does the same work either way.

The app that owns the email registers its builder here (notifications/accounts.py for
accounts': accounts sits below notifications and never imports it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from accounts.models import User

__all__ = ["EMAIL_BUILDER_KEY", "EmailContextBuilder", "email_builder_register", "email_context_at_delivery"]

EMAIL_BUILDER_KEY = "email_builder"

EmailContextBuilder = Callable[[User | None], Mapping[str, Any] | None]

_builders: dict[str, EmailContextBuilder] = {}


class UnknownEmailBuilder(LookupError):
    pass


def email_builder_register(name: str, builder: EmailContextBuilder) -> None:
    """Register ``builder`` under ``name`` (registering the same one again is a no-op)."""
    known = _builders.get(name)
    if known is not None and known is not builder:
        raise ValueError(f"email builder {name!r} is already registered")
    _builders[name] = builder


def email_context_at_delivery(context: dict[str, Any], *, recipient: User | None) -> dict[str, Any] | None:
    """``context`` completed by its builder for ``recipient``, or None for "send nothing".

    A context naming no builder is returned as it is.
    """
    name = context.get(EMAIL_BUILDER_KEY)
    if not name:
        return context
    builder = _builders.get(str(name))
    if builder is None:
        raise UnknownEmailBuilder(f"no email builder {name!r} is registered")
    extra = builder(recipient)
    if extra is None:
        return None
    return {**context, **extra}
