"""The topics' rows (topics.models.TopicKey), in the order pages list them. ``seed`` is
idempotent: the test suite runs it again after a flush (tests/conftest.py)."""

from django.db import migrations

KEYS = ["delivery", "quality", "size", "price", "service", "setup", "other"]


def seed(apps, schema_editor):
    Topic = apps.get_model("topics", "Topic")
    for position, key in enumerate(KEYS, start=1):
        Topic.objects.get_or_create(key=key, defaults={"position": position})


def delete(apps, schema_editor):
    apps.get_model("topics", "Topic").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("topics", "0001_initial")]

    operations = [migrations.RunPython(seed, delete)]
