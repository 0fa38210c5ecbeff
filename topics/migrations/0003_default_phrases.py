"""The default phrase lists (topics.default_phrases), stored with their stems. ``seed`` is
idempotent: it adds only the phrases whose stems its language lacks, and the test suite runs
it again after a flush (tests/conftest.py)."""

from django.db import migrations

from topics.default_phrases import DEFAULT_PHRASES
from topics.tagging import phrase_stems


def seed(apps, schema_editor):
    Topic = apps.get_model("topics", "Topic")
    TopicPhrase = apps.get_model("topics", "TopicPhrase")
    topics = {topic.key: topic for topic in Topic.objects.all()}
    for key, languages in DEFAULT_PHRASES.items():
        for language, phrases in languages.items():
            for phrase in phrases:
                TopicPhrase.objects.get_or_create(
                    language=language,
                    stems=phrase_stems(phrase, language),
                    defaults={"topic": topics[key], "phrase": phrase},
                )


def delete(apps, schema_editor):
    TopicPhrase = apps.get_model("topics", "TopicPhrase")
    for languages in DEFAULT_PHRASES.values():
        for language, phrases in languages.items():
            stems = [phrase_stems(phrase, language) for phrase in phrases]
            TopicPhrase.objects.filter(language=language, stems__in=stems, created_by__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("topics", "0002_topics")]

    operations = [migrations.RunPython(seed, delete)]
