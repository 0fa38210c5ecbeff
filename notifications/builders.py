"""Emails completed by the worker as it sends: the hook for what must not wait in the outbox.

Most emails are fully described when they are written: their template and context sit in
the payload. Some are not, on purpose: a link that sets a password or confirms an address
is a credential, and the outbox keeps payloads in the database and shows them in the
admin. Such a row names a builder instead (payload key ``email_builder``); at delivery the
worker calls it with the recipient as it is then and the row's stored context, and the
builder returns what the template needs (the fresh link) or None when there is nothing to
send any more (an address already confirmed, a reset asked for an address no account
uses, a customer who unsubscribed). A row naming a builder may have no recipient: it is
the twin a request writes when the address it was given is unknown, or an email to an
address that is not an account's.

Emails to an address, not an account (a shop's customer): the builder returns the address
and the language in its mapping (``TO_ADDRESS_KEY``, ``TO_LANGUAGE_KEY``), read where the
address is stored, once, at delivery; these keys are never taken from the stored payload,
so no row carries an address and none can redirect an email. ``UNSUBSCRIBE_URL_KEY``, when
the context has it, is also sent as the ``List-Unsubscribe`` header.

The app that owns the email registers its builder here (notifications/accounts.py for
accounts': accounts sits below notifications and never imports it; orders registers its
invitations' in OrdersConfig.ready()).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from accounts.models import User

__all__ = [
    "EMAIL_BUILDER_KEY",
    "TO_ADDRESS_KEY",
    "TO_LANGUAGE_KEY",
    "UNSUBSCRIBE_URL_KEY",
    "EmailContextBuilder",
    "email_builder_register",
    "email_context_at_delivery",
]

EMAIL_BUILDER_KEY = "email_builder"
# Returned by a builder only (dropped from a stored context): where and in which language
# the email goes when it is not to the row's recipient account.
TO_ADDRESS_KEY = "to_address"
TO_LANGUAGE_KEY = "to_language"
DESTINATION_KEYS = (TO_ADDRESS_KEY, TO_LANGUAGE_KEY)
# In the context (stored or built): the page that stops these emails, also sent as the
# List-Unsubscribe header.
UNSUBSCRIBE_URL_KEY = "unsubscribe_url"

# builder(recipient as it is now, the row's stored context) -> what to add, or None.
EmailContextBuilder = Callable[[User | None, Mapping[str, Any]], Mapping[str, Any] | None]

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

    A context naming no builder is returned as it is, less any destination key (only a
    builder names an address).
    """
    stored = {key: value for key, value in context.items() if key not in DESTINATION_KEYS}
    name = stored.get(EMAIL_BUILDER_KEY)
    if not name:
        return stored
    builder = _builders.get(str(name))
    if builder is None:
        raise UnknownEmailBuilder(f"no email builder {name!r} is registered")
    extra = builder(recipient, dict(stored))
    if extra is None:
        return None
    return {**stored, **extra}
