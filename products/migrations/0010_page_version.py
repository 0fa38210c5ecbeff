# The product page's version (products.page_version): cached pages and ETags are keyed by it.
# Numbered 0010: 0009 is the speed work's index; the lead chains them at merge.

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("products", "0009_list_ordering_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="product",
            name="page_version",
            field=models.PositiveBigIntegerField(default=0, editable=False, verbose_name="page version"),
        ),
        migrations.AddField(
            model_name="product",
            name="page_changed_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, editable=False, verbose_name="page changed at"
            ),
        ),
    ]
