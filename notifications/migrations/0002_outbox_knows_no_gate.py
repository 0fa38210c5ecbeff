"""The outbox keeps no link to the gate: what a message is about is in its dedupe key and
its payload (the webhook body's "id", the email context's event_id / notice_id)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.RemoveField(model_name="outboxmessage", name="event"),
        migrations.RemoveField(model_name="outboxmessage", name="notice"),
    ]
