"""A delivery attempt is logged when its message is claimed, and completed after the send.

Its outcome (succeeded, duration) is null until then, and for ever when the worker was
killed mid-send; finished_at says when it ended. Attempts logged before this migration
all ended: their finished_at is their start plus their duration.
"""

from datetime import timedelta

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def finish_existing_attempts(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    attempt_model = apps.get_model("notifications", "DeliveryAttempt")
    for attempt in attempt_model.objects.filter(finished_at__isnull=True).iterator():
        attempt.finished_at = attempt.attempted_at + timedelta(milliseconds=attempt.duration_ms)
        attempt.save(update_fields=["finished_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0004_email_without_recipient_names_builder"),
    ]

    operations = [
        migrations.AddField(
            model_name="deliveryattempt",
            name="finished_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="finished at"),
        ),
        migrations.RunPython(finish_existing_attempts, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="deliveryattempt",
            name="duration_ms",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="duration (ms)"),
        ),
        migrations.AlterField(
            model_name="deliveryattempt",
            name="succeeded",
            field=models.BooleanField(blank=True, null=True, verbose_name="succeeded"),
        ),
        migrations.AddConstraint(
            model_name="deliveryattempt",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("duration_ms__isnull", True), ("finished_at__isnull", True), ("succeeded__isnull", True)),
                    models.Q(
                        ("duration_ms__isnull", False), ("finished_at__isnull", False), ("succeeded__isnull", False)
                    ),
                    _connector="OR",
                ),
                name="notifications_deliveryattempt_outcome_when_finished",
            ),
        ),
    ]
