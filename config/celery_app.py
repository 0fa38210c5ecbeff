"""The Celery app. Django processes load it in ``NotificationsConfig.ready()``; workers
and beat name it: ``celery -A config.celery_app worker``."""

from __future__ import annotations

import os

from celery import Celery
from celery.schedules import crontab
from django.conf import settings

import core.task_context  # noqa: F401  (its signal handlers: the request id in tasks, workers log through LOGGING)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("reviewgate")
app.config_from_object("django.conf:settings", namespace="CELERY")
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
    # Sweep the outbox: anything a lost broker message left unsent goes out here.
    "outbox-sweep": {
        "task": "notifications.tasks.outbox_sweep_task",
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
