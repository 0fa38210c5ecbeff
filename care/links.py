"""The signed reply link of a care message: the customer answers through it, once.

Django's signing (HMAC with SECRET_KEY, a salt of its own): the link names the message by
id, carries no address, cannot be forged or altered, and expires CARE_REPLY_LINK_DAYS after
it was signed (when the email was sent). Single use is the database's: a message has at
most one answer (CaseMessage.reply_to is unique). What a genuine link may still do (used,
closed since) is care.replies'.
"""

from __future__ import annotations

import contextlib
from datetime import timedelta
from enum import StrEnum

from django.conf import settings
from django.core import signing

_REPLY_SALT = "care.case.reply"


class ReplyProblem(StrEnum):
    """Why a reply link is refused (each has its own page, in both languages)."""

    INVALID = "invalid"  # tampered with, cut short, or not one of ours: 403
    EXPIRED = "expired"  # 410
    USED = "used"  # the message has its answer already: 410
    CLOSED = "closed"  # the case closed since (a closing message's link still works): 410


class ReplyRefused(Exception):
    """A refused reply link. ``message_id`` is known when the link was genuine (expired,
    used, closed): the refusal page is then in its customer's language."""

    def __init__(self, problem: ReplyProblem, *, message_id: int | None = None, language: str = "") -> None:
        super().__init__(problem.value)
        self.problem = problem
        self.message_id = message_id
        self.language = language


def reply_link_max_age() -> timedelta:
    return timedelta(days=settings.CARE_REPLY_LINK_DAYS)


def reply_token(message_id: int) -> str:
    return signing.dumps({"message": message_id}, salt=_REPLY_SALT, compress=False)


def _message_id(data: object) -> int:
    value = data.get("message") if isinstance(data, dict) else None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ReplyRefused(ReplyProblem.INVALID)
    return value


def reply_token_message_id(token: str) -> int:
    """The message a reply link names; ReplyRefused(INVALID or EXPIRED) otherwise. An
    expired link's signature was checked: its refusal names the message."""
    try:
        data = signing.loads(token, salt=_REPLY_SALT, max_age=reply_link_max_age())
    except signing.SignatureExpired as exc:
        expired = ReplyRefused(ReplyProblem.EXPIRED)
        # Genuine and only too old: whose it was (for the page's language).
        with contextlib.suppress(signing.BadSignature, ReplyRefused):
            expired.message_id = _message_id(signing.loads(token, salt=_REPLY_SALT))
        raise expired from exc
    except signing.BadSignature as exc:
        raise ReplyRefused(ReplyProblem.INVALID) from exc
    return _message_id(data)
