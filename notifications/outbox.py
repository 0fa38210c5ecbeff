"""Writing the outbox: messages handed over by the apps that owe them, in their transaction.

The outbox knows users, endpoints and messages, not what a message is about: each app
builds its own email context (rendered at delivery with the template it names) or webhook
body, and hands the rows to :func:`outbox_insert` inside the transaction of the change
that causes them, so they exist if and only if that change does. Delivery, retries and
signatures are notifications.delivery's and notifications.webhooks'.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from accounts.models import User
from notifications.context import context_to_json
from notifications.models import EMAIL_TEMPLATE_KEY, WEBHOOK_EVENT_ID_KEY, OutboxMessage, WebhookEndpoint
from notifications.tasks import outbox_deliver_task_for

__all__ = [
    "email_message_build",
    "outbox_insert",
    "outbox_kick",
    "user_email_enqueue",
    "webhook_message_build",
]

logger = logging.getLogger(__name__)


def _checked_kind(kind: str) -> str:
    if len(kind) > OutboxMessage._meta.get_field("kind").max_length:  # type: ignore[operator]
        raise ValueError(f"message kind {kind!r} is too long")
    return kind


def email_message_build(
    *,
    recipient: User | None,
    kind: str,
    template: str,
    dedupe_key: str,
    context: Mapping[str, Any],
    due: datetime,
) -> OutboxMessage:
    """An unsaved email row for :func:`outbox_insert`.

    Rendered at delivery, in the recipient's language, from ``emails/<template>_subject.txt``
    and ``emails/<template>_body.txt`` with ``context`` plus ``recipient`` and ``site_url``.
    ``context`` holds JSON values, dates, datetimes and Decimals (kept typed through the
    payload, see notifications.context, so the template localises them).
    """
    return OutboxMessage(
        channel=OutboxMessage.Channel.EMAIL,
        kind=_checked_kind(kind),
        dedupe_key=dedupe_key,
        recipient=recipient,
        payload={**context_to_json(context), EMAIL_TEMPLATE_KEY: template},
        next_attempt_at=due,
    )


def webhook_message_build(
    *, endpoint: WebhookEndpoint, kind: str, dedupe_key: str, body: Mapping[str, Any], due: datetime
) -> OutboxMessage:
    """An unsaved webhook row for :func:`outbox_insert`: ``body`` is the JSON document sent
    as is on every attempt; its ``"id"`` goes out as ``Reviewgate-Event-Id``, the value a
    receiver de-duplicates by (delivery is at least once)."""
    if WEBHOOK_EVENT_ID_KEY not in body:
        raise ValueError(f'a webhook body needs an "{WEBHOOK_EVENT_ID_KEY}" for receivers to de-duplicate by')
    return OutboxMessage(
        channel=OutboxMessage.Channel.WEBHOOK,
        kind=_checked_kind(kind),
        dedupe_key=dedupe_key,
        endpoint=endpoint,
        payload=dict(body),
        next_attempt_at=due,
    )


def outbox_insert(rows: Sequence[OutboxMessage]) -> list[int]:
    """Insert rows whose dedupe key is new (a repeat is silently a no-op) and kick the
    pending ones once the caller's transaction commits. Returns the pending ids."""
    if not rows:
        return []
    # ON CONFLICT DO NOTHING: a concurrent writer of the same key cannot fail the caller.
    OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True)
    pending = list(
        OutboxMessage.objects.filter(
            dedupe_key__in=[row.dedupe_key for row in rows], status=OutboxMessage.Status.PENDING
        ).values_list("id", "channel")
    )
    if pending:
        # robust: whatever goes wrong in the kick is logged, never raised into the request
        # whose transaction has already committed; the sweep delivers regardless.
        transaction.on_commit(lambda: outbox_kick(messages=pending), robust=True)
    return [message_id for message_id, _channel in pending]


def user_email_enqueue(
    *, recipient: User | None, kind: str, dedupe_key: str, context: dict[str, Any], now: datetime | None = None
) -> int | None:
    """Write one email to a user in the caller's transaction, its templates named by ``kind``.

    See :func:`email_message_build` for the rendering; delivered and retried like every
    outbox message. Nothing is written for a recipient without an active account and an
    email address, or when ``dedupe_key`` was used before. Returns the pending message's
    id, or None.
    """
    if recipient is None or not recipient.is_active or not recipient.email:
        return None
    row = email_message_build(
        recipient=recipient,
        kind=kind,
        template=kind,
        dedupe_key=f"user:{dedupe_key}",
        context=context,
        due=now or timezone.now(),
    )
    with transaction.atomic():
        ids = outbox_insert([row])
    return ids[0] if ids else None


def outbox_kick(*, messages: Sequence[tuple[int, str]]) -> None:
    """Queue a delivery task per (message id, channel): the channel's own task, which its
    route puts on the channel's queue (`email` or `webhooks`, docs/queues.md). Never raises
    for a broker outage: the message is safe in the outbox and the beat sweep of its
    channel delivers it when the broker is back."""
    for message_id, channel in messages:
        try:
            outbox_deliver_task_for(channel).delay(message_id)
        except (OperationalError, ConnectionError, OSError) as exc:
            # Every further publish would wait for the same dead broker: stop here.
            logger.warning("outbox: broker unavailable, %d message(s) left to the sweep: %s", len(messages), exc)
            return
