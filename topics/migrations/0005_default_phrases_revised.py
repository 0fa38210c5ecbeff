"""The default phrase lists revised (topics.default_phrases): the defaults that tagged
realistic reviews wrongly are removed ("late" also read "lately", French "arrivé" also read
"je n'arrive pas à": DROPPED_DEFAULT_PHRASES), the new ones added ("arrived late", "ripped",
"décollé"...). Idempotent: a phrase is removed only as the defaults wrote it (no author), so
a director's own stays; a phrase is added only when its stems are not listed in its language.
Tags made by a removed phrase keep their words until ``manage.py tag_reviews --all``."""

import importlib

from django.db import migrations

from topics.default_phrases import DROPPED_DEFAULT_PHRASES
from topics.tagging import phrase_stems


def seed(apps, schema_editor):
    # 0003's seed adds the current DEFAULT_PHRASES; this one only takes out the dropped ones.
    seed_0003 = importlib.import_module("topics.migrations.0003_default_phrases").seed
    TopicPhrase = apps.get_model("topics", "TopicPhrase")
    for language, phrases in DROPPED_DEFAULT_PHRASES.items():
        for phrase in phrases:
            TopicPhrase.objects.filter(
                language=language, stems=phrase_stems(phrase, language), phrase=phrase, created_by__isnull=True
            ).delete()
    seed_0003(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("topics", "0004_phrase_list_generation")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
