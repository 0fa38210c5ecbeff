"""The Celery app. Django processes load it in ``NotificationsConfig.ready()``; workers
and beat name it: ``celery -A config.celery_app worker``."""

from __future__ import annotations

import os

from celery import Celery
from celery.schedules import crontab
from django.conf import settings
from kombu import Exchange, Queue

import core.task_context  # noqa: F401  (its signal handlers: the request id in tasks, workers log through LOGGING)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("reviewgate")
app.config_from_object("django.conf:settings", namespace="CELERY")

# --- Queues and routes (docs/queues.md) ---------------------------------------------------
# Every task of ours is named here, on one of settings.WORKER_QUEUES (a test fails for a
# task without a route): the gate's day on `gate`, each outbox channel's deliveries and
# sweep on that channel's queue, the rest on `default`. A slow webhook receiver then holds
# only the `webhooks` workers, never the gate's day or its notice emails.
TASK_ROUTES: dict[str, str] = {
    "gate.tasks.gate_evaluate_task": "gate",
    "gate.tasks.notice_reminders_task": "gate",
    "notifications.tasks.outbox_email_deliver_task": "email",
    "notifications.tasks.outbox_email_sweep_task": "email",
    "notifications.tasks.outbox_webhook_deliver_task": "webhooks",
    "notifications.tasks.outbox_webhook_sweep_task": "webhooks",
    # These write outbox rows (invitations, digests) or change data; the emails they cause
    # are delivered on `email` like every other.
    "orders.tasks.invitations_sweep_task": "default",
    "orders.tasks.orders_anonymise_task": "default",
    "care.tasks.care_digest_task": "default",
    "topics.digest_tasks.team_digests_send": "default",
    "topics.tasks.review_tag_task": "default",
    "topics.tasks.phrase_lists_retag_task": "default",
    "topics.tasks.phrase_added_retag_task": "default",
    "topics.tasks.phrase_removed_retag_task": "default",
    "reviews.tasks.review_photo_sizes_task": "default",
    "reviews.tasks.review_photo_sizes_sweep_task": "default",
    "reviews.tasks.review_photos_expired_delete_task": "default",
}
app.conf.task_routes = {name: {"queue": queue} for name, queue in TASK_ROUTES.items()}
# Declared, so that a worker started without -Q consumes every queue (as `make run`'s does
# with its -Q); a deployment gives each worker pool the queues it serves.
app.conf.task_queues = tuple(
    Queue(name, Exchange(name, type="direct"), routing_key=name) for name in settings.WORKER_QUEUES
)
app.conf.beat_schedule = {
    # Shortly after midnight in the policy time zone: evaluate yesterday (and any missed day).
    "gate-evaluate-daily": {
        "task": "gate.tasks.gate_evaluate_task",
        "schedule": crontab(hour=0, minute=10),
    },
    # Reminders 7 days and 1 day before a withdrawal deadline, after the night's gate run.
    "notice-reminders-daily": {
        "task": "gate.tasks.notice_reminders_task",
        "schedule": crontab(hour=8, minute=0),
    },
    # Sweep the outbox, one channel per entry, each on its channel's queue (TASK_ROUTES): a
    # lost kick, or a retry that fell due, goes out here; a stuck webhook receiver holds
    # the webhook sweep only, never the email one.
    "outbox-email-sweep": {
        "task": "notifications.tasks.outbox_email_sweep_task",
        "schedule": 60.0,
    },
    "outbox-webhook-sweep": {
        "task": "notifications.tasks.outbox_webhook_sweep_task",
        "schedule": 60.0,
    },
    # Review invitations and reminders that fell due (docs/invitations.md).
    "invitations-sweep": {
        "task": "orders.tasks.invitations_sweep_task",
        "schedule": float(settings.REVIEW_INVITE_SWEEP_SECONDS),
    },
    # Orders past ORDER_RETENTION_DAYS lose their customer's address and name, at night.
    "orders-anonymise-daily": {
        "task": "orders.tasks.orders_anonymise_task",
        "schedule": crontab(hour=3, minute=30),
    },
    # The daily digest of the care cases still open, to care staff and managers (care.alerts).
    "care-digest-daily": {
        "task": "care.tasks.care_digest_task",
        "schedule": crontab(hour=int(settings.CARE_DIGEST_HOUR), minute=0),
    },
    # Review photos whose sizes a lost task never made (reviews.tasks; they stay hidden until then).
    "review-photo-sizes-sweep": {
        "task": "reviews.tasks.review_photo_sizes_sweep_task",
        "schedule": 300.0,
    },
    # Rejected and removed reviews' photos, once the appeal window closed (docs/photos.md).
    "review-photos-expired-delete-daily": {
        "task": "reviews.tasks.review_photos_expired_delete_task",
        "schedule": crontab(hour=4, minute=10),
    },
    # Each team member's digest of their teams' new reviews (topics.digests).
    "topics-digest-daily": {
        "task": "topics.digest_tasks.team_digests_send",
        "schedule": crontab(hour=int(settings.TOPIC_DIGEST_HOUR), minute=0),
    },
}
# Fault tests only (tests/integration/faults/test_two_beats.py): with this set to N, every
# entry (gate run, reminders, outbox sweep) is sent every N seconds instead of daily / every
# minute, so two beat schedulers racing each other can be watched in seconds. Never set in
# a deployment.
_FAST_SCHEDULE_SECONDS = os.environ.get("CELERY_BEAT_FAST_SCHEDULE_SECONDS", "")
if _FAST_SCHEDULE_SECONDS:
    for _entry in app.conf.beat_schedule.values():
        _entry["schedule"] = float(_FAST_SCHEDULE_SECONDS)
app.autodiscover_tasks()


@app.on_after_configure.connect
def _make_broker_folders(sender: Celery, **kwargs: object) -> None:
    """The filesystem transport does not create its folders; make them on start-up."""
    options = sender.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        folder = options.get(key)
        if folder:
            os.makedirs(folder, exist_ok=True)
