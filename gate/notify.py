"""What the gate owes people when it decides: notices, reminders and webhooks.

The gate builds its own messages and payloads here and hands them to the generic outbox
(notifications.outbox.outbox_insert) inside the caller's transaction, so they exist if
and only if the event does. Its emails name their templates (``emails/gate_<kind>_*.txt``)
and pass dates and Decimals typed, so they are localised at delivery. Delivery, retries
and signatures are the outbox's.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from accounts.roles import MANAGE_ALL_PRODUCTS
from gate.configured import gate_policy_from_settings, gate_policy_settings
from gate.models import LIVE_NOTICE_STATES, GateEvent, ImprovementRequest, WithdrawalNotice
from gate.policy import GatePolicy
from notifications.models import OutboxMessage, WebhookEndpoint
from notifications.outbox import email_message_build, outbox_insert, webhook_message_build
from products.translated import in_languages

# Reminders go out this many days before a notice's deadline.
REMINDER_DAYS = (7, 1)

_DECIMAL_PLACES = Decimal("0.0001")


# --- Who, when ---------------------------------------------------------------------------


def _local_today(now: datetime) -> date:
    return now.astimezone(ZoneInfo(settings.TIME_ZONE)).date()


def notify_cutoff(*, today: date) -> date:
    """The earliest event day that still notifies on ``today``.

    Events of the last GATE_NOTIFY_DAYS days notify (a few days the scheduler missed still
    reach people); older ones are history being replayed or imported, and stay silent.
    """
    return today - timedelta(days=int(settings.GATE_NOTIFY_DAYS))


def quality_directors() -> QuerySet[User]:
    """Users holding the quality director permission through a group or directly.

    Superusers are not included merely for being superusers: an admin account is not a
    quality director who wants the gate's mail.
    """
    app_label, codename = MANAGE_ALL_PRODUCTS.split(".")
    via_group = Q(groups__permissions__codename=codename) & Q(groups__permissions__content_type__app_label=app_label)
    via_user = Q(user_permissions__codename=codename) & Q(user_permissions__content_type__app_label=app_label)
    return User.objects.filter(via_group | via_user).distinct()


class NotifyAudience:
    """Who hears of every event: the quality directors and the active webhook endpoints,
    each read once (on first use) for all the events of one run, e.g. a day's evaluation,
    instead of once per event."""

    @cached_property
    def quality_directors(self) -> list[User]:
        return list(quality_directors())

    @cached_property
    def endpoints(self) -> list[WebhookEndpoint]:
        return list(WebhookEndpoint.objects.filter(active=True).order_by("id"))


def _recipients(
    product_id: int, *, extra: Iterable[User | None] = (), audience: NotifyAudience | None = None
) -> list[User]:
    """The product's managers, every quality director, and any extra person (assignee),
    once each, active and with an email address, in a stable order."""
    users: dict[int, User] = {}
    managers = User.objects.filter(managed_products__id=product_id)
    directors = (audience or NotifyAudience()).quality_directors
    for user in [*managers, *directors, *[u for u in extra if u is not None]]:
        if user.is_active and user.email:
            users[user.pk] = user
    return [users[pk] for pk in sorted(users)]


# --- Payloads ----------------------------------------------------------------------------


def _average_text(value: Decimal | None) -> str | None:
    return None if value is None else str(Decimal(value).quantize(_DECIMAL_PLACES))


def _notice_for(event: GateEvent) -> WithdrawalNotice | None:
    """The withdrawal notice an event belongs to, if any.

    flagged: the notice it opened. recovered / withdrawn: the episode's notice, the latest
    one opened on or before the event day. improved / reinstated: the notice this
    improvement resolved, or the product's live one (the engine may not have closed it
    yet); an improvement of a product that was never flagged has none.
    """
    notices = WithdrawalNotice.objects.filter(product_id=event.product_id)
    if event.kind == "flagged":
        return notices.filter(flag_event=event).first()
    if event.improvement_id is not None:
        return (
            notices.filter(resolved_by_id=event.improvement_id).first()
            or notices.filter(state__in=LIVE_NOTICE_STATES).first()
        )
    return notices.filter(opened_on__lte=event.day).order_by("-opened_on", "-id").first()


# The desk's page of a notice. A path, not reverse("desk:notice"): the gate sits below the
# desk and must not depend on its URL names (tests hold the two equal).
NOTICE_PAGE = "/desk/notices/{notice_id}/"


def notice_url(notice_id: int) -> str:
    """The notice's desk page on SITE_URL, for emails and webhooks."""
    return f"{settings.SITE_URL}{NOTICE_PAGE.format(notice_id=notice_id)}"


# The desk's list of improvement requests (same reason as NOTICE_PAGE for a path).
IMPROVEMENT_REQUESTS_PAGE = "/desk/improvements/requests/"


def _deadline_of(event: GateEvent, notice: WithdrawalNotice | None) -> date | None:
    if notice is not None:
        return notice.deadline
    if event.kind != "flagged":
        return None
    # No notice row (should not happen: the engine opens it before notifying): the spec's
    # withdrawal date under the policy recorded with the event (the settings' policy fills
    # in whatever an older record lacks).
    policy = GatePolicy.build(**{**gate_policy_from_settings().as_dict(), **event.policy})
    return policy.withdrawal_date(event.day)


def _recorded_threshold(event: GateEvent) -> object:
    """The threshold the event was decided under (every event records its policy; the
    settings answer only for a record that lacks it)."""
    if "threshold" in event.policy:
        return event.policy["threshold"]
    return gate_policy_settings()["threshold"]


def _event_facts(event: GateEvent, notice: WithdrawalNotice | None) -> dict[str, Any]:
    product = event.product
    deadline = _deadline_of(event, notice)
    improvement = event.improvement
    return {
        "event_id": event.pk,
        "kind": event.kind,
        "day": event.day.isoformat(),
        "product_sku": product.sku,
        "product_name": in_languages(product, "name"),
        "average": _average_text(event.average),
        "count": event.count,
        "threshold": str(_recorded_threshold(event)),
        "grace_days": event.policy.get("grace_days"),
        "min_reviews": event.policy.get("min_reviews"),
        "window_days": event.policy.get("window_days"),
        "deadline": deadline.isoformat() if deadline else None,
        "notice_id": notice.pk if notice else None,
        "notice_url": notice_url(notice.pk) if notice else None,
        "improvement_public_note": improvement.public_note if improvement else "",
    }


def _email_context(facts: dict[str, Any]) -> dict[str, Any]:
    """The facts as the email templates want them: dates and Decimals, which they localise
    ("2.6129" / "2,6129"); a threshold kept as an exact fraction ("10/3") stays as written."""
    context = dict(facts)
    for key in ("day", "deadline"):
        if context[key]:
            context[key] = date.fromisoformat(context[key])
    if context["average"] is not None:
        context["average"] = Decimal(context["average"])
    if "/" not in context["threshold"]:
        context["threshold"] = Decimal(context["threshold"])
    return context


def _email_template(facts: dict[str, Any]) -> str:
    return f"gate_{facts['kind']}"


def webhook_body(event: GateEvent, *, notice: WithdrawalNotice | None = None) -> dict[str, Any]:
    """The JSON document delivered for ``event`` (see docs/webhooks.md).

    ``event`` holds exactly the spec's event object; the rest is context for integrators.
    """
    facts = _event_facts(event, notice if notice is not None else _notice_for(event))
    average = None if facts["average"] is None else float(facts["average"])
    return {
        "id": str(event.pk),
        "type": event.kind,
        "event": {
            "day": facts["day"],
            "product_id": facts["product_sku"],
            "event": event.kind,
            "average": average,
            "count": event.count,
        },
        # The default language's name, as before names had languages (docs/webhooks.md).
        "product": {"sku": facts["product_sku"], "name": facts["product_name"].in_language(settings.LANGUAGE_CODE)},
        "withdrawal_date": facts["deadline"] if event.kind == "flagged" else None,
        "notice_url": facts["notice_url"],
        "policy": event.policy,
    }


def gate_event_notify(*, event: GateEvent, now: datetime | None = None, audience: NotifyAudience | None = None) -> None:
    """Write the emails and webhook deliveries an event owes, in the caller's transaction.

    ``audience``: pass one :class:`NotifyAudience` for all the events of a run (read once).

    1. Events older than GATE_NOTIFY_DAYS (by ``now``'s date in TIME_ZONE) send nothing.
    2. One email per recipient: the product's managers, every quality director, and the
       notice's assignee; rendered at delivery in the recipient's language.
    3. One webhook delivery per active endpoint subscribed to the event's kind.
    4. On commit, a delivery task is queued per message (the sweep covers a lost one).
    Calling it again for the same event adds nothing: every row has a unique dedupe key.
    """
    now = now or timezone.now()
    if event.day < notify_cutoff(today=_local_today(now)):
        return
    audience = audience or NotifyAudience()
    with transaction.atomic():
        notice = _notice_for(event)
        facts = _event_facts(event, notice)
        context = _email_context(facts)
        rows: list[OutboxMessage] = [
            email_message_build(
                recipient=user,
                kind=event.kind,
                template=_email_template(facts),
                dedupe_key=f"email:{event.pk}:{user.pk}",
                context=context,
                due=now,
            )
            for user in _recipients(event.product_id, extra=[notice.assigned_to] if notice else [], audience=audience)
        ]
        body = webhook_body(event, notice=notice)
        rows.extend(
            webhook_message_build(
                endpoint=endpoint,
                kind=event.kind,
                dedupe_key=f"webhook:{event.pk}:{endpoint.pk}",
                body=body,
                due=now,
            )
            for endpoint in audience.endpoints
            if event.kind in endpoint.events
        )
        outbox_insert(rows)


def notice_reminders_send(*, today: date | None = None, now: datetime | None = None) -> int:
    """Write the reminders due ``today`` for open notices: 7 days and 1 day before the deadline.

    A reminder is due on ``deadline - k``; a run that missed that day still sends it while
    it is no older than GATE_NOTIFY_DAYS and the deadline has not passed, but the 7-day one
    is dropped once the 1-day one is due (one reminder, the most urgent). A reminder that
    would fall on or before the flagging day is skipped: the flag email already gave the
    date. Repeating the run adds nothing (dedupe keys ``reminder<k>:<notice>:<user>``).
    Returns the number of messages written.
    """
    now = now or timezone.now()
    today = today or _local_today(now)
    cutoff = notify_cutoff(today=today)
    notices = (
        WithdrawalNotice.objects.filter(
            state=WithdrawalNotice.State.OPEN,
            deadline__gte=today,
            deadline__lte=today + timedelta(days=max(REMINDER_DAYS)),
        )
        .select_related("product", "flag_event__product", "flag_event__improvement", "assigned_to")
        .order_by("deadline", "id")
    )
    audience = NotifyAudience()  # the quality directors, read once for every notice
    written = 0
    with transaction.atomic():
        rows: list[OutboxMessage] = []
        for notice in notices:
            due = [k for k in REMINDER_DAYS if cutoff <= notice.deadline - timedelta(days=k) <= today]
            due = [k for k in due if notice.deadline - timedelta(days=k) > notice.opened_on]
            if not due:
                continue
            days = min(due)  # the most urgent reminder due; an older one is superseded
            facts = _event_facts(notice.flag_event, notice)
            facts.update({"kind": "reminder", "reminder_days": days, "days_left": (notice.deadline - today).days})
            context = _email_context(facts)
            rows.extend(
                email_message_build(
                    recipient=user,
                    kind="reminder",
                    template=_email_template(facts),
                    dedupe_key=f"reminder{days}:{notice.pk}:{user.pk}",
                    context=context,
                    due=now,
                )
                for user in _recipients(notice.product_id, extra=[notice.assigned_to], audience=audience)
            )
        existing = set(
            OutboxMessage.objects.filter(dedupe_key__in=[r.dedupe_key for r in rows]).values_list(
                "dedupe_key", flat=True
            )
        )
        written = sum(1 for row in rows if row.dedupe_key not in existing)
        outbox_insert(rows)
    return written


# --- Improvement sign-off (GATE_IMPROVEMENT_APPROVAL = "director") ------------------------

# The outbox's kind (16 characters at most) and the templates (emails/gate_improvement_*).
_REQUEST_MESSAGES = {
    ImprovementRequest.State.PENDING: ("impr_requested", "gate_improvement_requested"),
    ImprovementRequest.State.APPROVED: ("impr_approved", "gate_improvement_approved"),
    ImprovementRequest.State.REJECTED: ("impr_rejected", "gate_improvement_rejected"),
}


def _request_page_url(improvement_request: ImprovementRequest) -> str:
    """The notice the request answers (the product's live notice, or the one its approval
    resolved), else the desk's list of requests."""
    notices = WithdrawalNotice.objects.filter(product_id=improvement_request.product_id)
    notice = notices.filter(state__in=LIVE_NOTICE_STATES).first()
    if notice is None and improvement_request.improvement_id is not None:
        notice = notices.filter(resolved_by_id=improvement_request.improvement_id).first()
    if notice is not None:
        return notice_url(notice.pk)
    return f"{settings.SITE_URL}{IMPROVEMENT_REQUESTS_PAGE}"


def improvement_request_notify(*, improvement_request: ImprovementRequest, now: datetime | None = None) -> None:
    """Email who must hear of an improvement request, in the caller's transaction: the
    quality directors when it is sent for approval, its author when it is decided (the
    approval's improved / reinstated event notifies as every event does). Once each: the
    dedupe key names the request, its state and the recipient."""
    now = now or timezone.now()
    kind, template = _REQUEST_MESSAGES[ImprovementRequest.State(improvement_request.state)]
    if improvement_request.state == ImprovementRequest.State.PENDING:
        recipients = [user for user in quality_directors() if user.is_active and user.email]
    else:
        author = improvement_request.requested_by
        recipients = [author] if author is not None and author.is_active and author.email else []
    product = improvement_request.product
    improvement = improvement_request.improvement
    decided_by = improvement_request.decided_by
    context: dict[str, Any] = {
        "product_name": in_languages(product, "name"),
        "product_sku": product.sku,
        "requested_by": improvement_request.requested_by.public_name if improvement_request.requested_by else "",
        "requested_at": improvement_request.requested_at,
        "description": improvement_request.description,
        "public_note": improvement_request.public_note,
        "decided_by": decided_by.public_name if decided_by is not None else "",
        "decided_at": improvement_request.decided_at,
        "rejection_reason": improvement_request.rejection_reason,
        "revision": improvement.revision if improvement is not None else None,
        "page_url": _request_page_url(improvement_request),
    }
    outbox_insert(
        [
            email_message_build(
                recipient=user,
                kind=kind,
                template=template,
                dedupe_key=f"{kind}:{improvement_request.pk}:{user.pk}",
                context=context,
                due=now,
            )
            for user in sorted(recipients, key=lambda user: user.pk)
        ]
    )
