"""Email payloads written before the outbox was generic, made readable by the generic reader.

Until then the deliverer knew the gate's emails: a payload without "email_template" used
the templates gate_<kind>, and its "day" / "deadline" became dates and its "average" /
"threshold" Decimals (a threshold written as a fraction, "10/3", stayed text). Now the
writer names the template and tags typed values (notifications.context). This rewrites
the rows written the old way, pending ones above all, into that form, so they render as
they would have. The old rules are copied here on purpose: a migration is history.
Reversible: the reverse leaves the values untagged (the template name stays; the old
reader honoured it too).
"""

from django.db import migrations

_DATE_KEYS = ("day", "deadline")
_DECIMAL_KEYS = ("average", "threshold")
_BATCH = 500


def _tagged(payload, kind):
    payload = dict(payload)
    if not payload.get("email_template"):
        payload["email_template"] = f"gate_{payload.get('kind', kind)}"
    for key in _DATE_KEYS:
        value = payload.get(key)
        if value and isinstance(value, str):
            payload[key] = {"$date": value}
    for key in _DECIMAL_KEYS:
        value = payload.get(key)
        if value is not None and not isinstance(value, dict) and "/" not in str(value):
            payload[key] = {"$decimal": str(value)}
    return payload


def _untagged(payload, kind):
    payload = dict(payload)
    for key, tag in [*((k, "$date") for k in _DATE_KEYS), *((k, "$decimal") for k in _DECIMAL_KEYS)]:
        value = payload.get(key)
        if isinstance(value, dict) and list(value) == [tag]:
            payload[key] = value[tag]
    return payload


def _rewrite(apps, change):
    OutboxMessage = apps.get_model("notifications", "OutboxMessage")
    changed = []
    for message in OutboxMessage.objects.filter(channel="email").order_by("id").iterator(chunk_size=_BATCH):
        payload = change(message.payload, message.kind)
        if payload != message.payload:
            message.payload = payload
            changed.append(message)
        if len(changed) >= _BATCH:
            OutboxMessage.objects.bulk_update(changed, ["payload"])
            changed.clear()
    if changed:
        OutboxMessage.objects.bulk_update(changed, ["payload"])


def forwards(apps, schema_editor):
    _rewrite(apps, _tagged)


def backwards(apps, schema_editor):
    _rewrite(apps, _untagged)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_outbox_knows_no_gate"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
